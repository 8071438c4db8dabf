// Sums a V8 .cpuprofile (from `node --cpu-prof`) into where the time went: self time by function, by source file or
// package, and inclusive time of chosen functions (a function's time counted once per sample even when recursive).
// Usage: node --import tsx bench/serving/profile-summary.ts <file.cpuprofile> [--top 40] [--since-ms N] [--until-ms N]
//          [--inclusive name1,name2,...] [--callers name1,...] [--buckets]
// --buckets: each sample goes to the first rule of BUCKETS that recognises a frame of its stack.
// Without --inclusive it ranks every function by inclusive time; --callers lists who called the named functions
// (the nearest caller with a different name), weighted by the named function's self time.

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '40' },
    'since-ms': { type: 'string', default: '0' },
    'until-ms': { type: 'string', default: 'Infinity' },
    inclusive: { type: 'string', default: '' },
    callers: { type: 'string', default: '' },
    buckets: { type: 'boolean', default: false },
  },
});
const file = positionals[0];
if (file === undefined) throw new Error('usage: profile-summary.ts <file.cpuprofile>');
const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

/** A short name for where a frame's code lives: a package, a workspace source file, node internals. */
function place(url: string): string {
  if (url === '') return '(native/VM)';
  if (url.startsWith('node:')) return url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `npm:${pkg[1]}`;
  const ws = /\/work\/main\/(.*)$/.exec(url);
  return ws ? ws[1]! : url;
}
const label = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${place(f.url)}:${f.lineNumber + 1}`;

const since = Number(values['since-ms']) * 1000;
const until = Number(values['until-ms']) * 1000;
const inclusiveNames = values.inclusive.split(',').filter(Boolean);
const callerNames = values.callers.split(',').filter(Boolean);
const callers = new Map<string, number>();

const selfByFn = new Map<string, number>();
const selfByPlace = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
let t = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  t += dt;
  if (t < since || t > until) continue;
  const node = byId.get(profile.samples[i]!)!;
  total += dt;
  const f = node.callFrame;
  selfByFn.set(label(f), (selfByFn.get(label(f)) ?? 0) + dt);
  const where = f.functionName.startsWith('(') ? f.functionName : place(f.url);
  selfByPlace.set(where, (selfByPlace.get(where) ?? 0) + dt);
  if (!f.functionName.startsWith('(')) {
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      const name = inclusiveNames.length > 0 ? frame.functionName : label(frame);
      if ((inclusiveNames.length === 0 || inclusiveNames.includes(name)) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
      }
    }
  }
  if (callerNames.includes(f.functionName)) {
    let id = parent.get(node.id);
    while (id !== undefined && byId.get(id)!.callFrame.functionName === f.functionName) id = parent.get(id);
    const key = `${f.functionName} <- ${id === undefined ? '(root)' : label(byId.get(id)!.callFrame)}`;
    callers.set(key, (callers.get(key) ?? 0) + dt);
  }
}

/**
 * Where a Modelyard predict request spends its time: a sample goes to the first rule, in this order, that recognises
 * any frame of its stack (so a query run for the auth hook counts as authentication, not as SQL).
 */
const BUCKETS: [string, (f: CallFrame, where: string) => boolean][] = [
  ['profiler / bench', (_f, w) => w.startsWith('bench/') || w === 'node:inspector'],
  ['request body JSON.parse', (f, w) => w === 'npm:secure-json-parse' || f.functionName === 'defaultJsonParser'],
  [
    'authentication (token lookup: kysely + better-sqlite3)',
    (f, w) =>
      f.functionName === 'findUserByTokenHash' || w.endsWith('http/authenticate.ts') || w.endsWith('auth/tokens.ts'),
  ],
  ['scoring (engine: validate + predictRecords)', (_f, w) => w.startsWith('packages/engine/')],
  ['inference log (hand-off to its writer thread)', (_f, w) => /serving\/(threaded-sqlite-log|group-commit)/.test(w)],
  ['request ids (newId: crypto random)', (f, w) => f.functionName === 'newId' || w.endsWith('store/ids.ts')],
  [
    'reply: send, headers, socket write',
    (f) => /^(Reply\.send|onSendHook|onSendEnd|writePayload)$/.test(f.functionName),
  ],
  [
    'serving runtime (access, state, batcher)',
    (_f, w) => /serving\/(serving-runtime|micro-batcher|loaded-model|serving)\.ts/.test(w),
  ],
  ['other SQL (kysely / better-sqlite3)', (_f, w) => w === 'npm:kysely' || w === 'npm:better-sqlite3'],
  ['predict route handler (own code)', (_f, w) => w.endsWith('routes/endpoint-routes.ts')],
  ['fastify (routing, hooks, schema)', (_f, w) => /^npm:(fastify|find-my-way|avvio|@fastify)/.test(w)],
  ['node http parsing + sockets', (_f, w) => /^node:/.test(w)],
];
const buckets = new Map<string, number>();
if (values.buckets) {
  let time = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    time += dt;
    if (time < since || time > until) continue;
    const leaf = byId.get(profile.samples[i]!)!;
    let bucket = leaf.callFrame.functionName.startsWith('(') ? leaf.callFrame.functionName : 'other';
    if (bucket === 'other') {
      const stack: CallFrame[] = [];
      for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id))
        stack.push(byId.get(id)!.callFrame);
      const rule = BUCKETS.find(([, test]) => stack.some((f) => f.url !== '' && test(f, place(f.url))));
      if (rule) bucket = rule[0];
    }
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + dt);
  }
}

const top = Number(values.top);
const pct = (x: number) => `${((100 * x) / total).toFixed(1).padStart(5)} %`;
const show = (title: string, m: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) {
    console.log(`  ${pct(v)}  ${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  }
};
console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled`);
if (values.buckets) {
  const busy = total - (buckets.get('(idle)') ?? 0) - (buckets.get('profiler / bench') ?? 0);
  console.log(
    `\nbuckets (share of busy time: ${(busy / 1000).toFixed(0)} ms without idle and the profiler's own calls)`,
  );
  for (const [k, v] of [...buckets].sort((a, b) => b[1] - a[1])) {
    const share = k === '(idle)' || k === 'profiler / bench' ? '' : `${((100 * v) / busy).toFixed(1)} % of busy`;
    console.log(`  ${(v / 1000).toFixed(0).padStart(7)} ms  ${share.padStart(14)}  ${k}`);
  }
}
show('self time by place', selfByPlace, top);
show('self time by function', selfByFn, top);
show('inclusive time', inclusive, inclusiveNames.length > 0 ? inclusiveNames.length : top);
if (callerNames.length > 0) show('callers', callers, top);
