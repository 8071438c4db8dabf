// The browser bundle of the scorer in a real page: it loads GLM and GBDT artifacts and scores records and frames
// bit-identically to Node.

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import {
  Frame,
  parseArtifact,
  predictFrame,
  predictRecords,
  trainForestModel,
  trainGbdtModel,
  trainGlmModel,
  validateRecords,
  type FeatureRecord,
  type ModelArtifact,
} from '@modelyard/engine';
import type * as ScorerModule from '../../packages/engine/src/scorer.js';

const BUNDLE = fileURLToPath(new URL('../../packages/engine/dist/browser/modelyard-scorer.js', import.meta.url));
// An origin that never reaches the network: every request to it is answered by the page's route below.
const ORIGIN = 'http://scorer.modelyard.test';
const PAGE = `<!doctype html><script type="module">
import * as scorer from './modelyard-scorer.js';
window.scorer = scorer;
window.scorerReady = true;
</script>`;

/** Training rows from a fixed-seed generator: two numbers (some missing) and a category. */
function trainingFrame(rows: number): Frame {
  let state = 12345;
  const rand = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const x1 = new Float64Array(rows);
  const x2 = new Float64Array(rows);
  const colour = new Int32Array(rows);
  const y = new Float64Array(rows);
  const label = new Int32Array(rows);
  const kind = new Int32Array(rows);
  const count = new Float64Array(rows);
  const effect = [0, 1.5, -1, 0.5];
  for (let i = 0; i < rows; i++) {
    x1[i] = rand() * 10 - 5;
    x2[i] = rand() < 0.1 ? NaN : rand() * 3;
    colour[i] = rand() < 0.05 ? -1 : Math.floor(rand() * 4);
    const c = colour[i]!;
    const signal = 0.8 * x1[i]! - (Number.isNaN(x2[i]!) ? 1 : x2[i]!) + (c < 0 ? 0 : effect[c]!);
    y[i] = signal + (rand() - 0.5);
    label[i] = signal + (rand() - 0.5) * 3 > 0 ? 1 : 0;
    kind[i] = signal < -2 ? 0 : signal < 1 ? 1 : 2;
    count[i] = Math.floor(Math.exp(signal / 3) * rand() * 3);
  }
  return Frame.fromColumns([
    { kind: 'number', name: 'x1', values: x1 },
    { kind: 'number', name: 'x2', values: x2 },
    { kind: 'category', name: 'colour', codes: colour, dictionary: ['red', 'green', 'blue', 'violet'] },
    { kind: 'number', name: 'y', values: y },
    { kind: 'category', name: 'label', codes: label, dictionary: ['no', 'yes'] },
    { kind: 'category', name: 'kind', codes: kind, dictionary: ['low', 'mid', 'high'] },
    { kind: 'number', name: 'count', values: count },
  ]);
}

const frame = trainingFrame(800);
const features = (target: string) => frame.select(['x1', 'x2', 'colour', target]);
const models: Record<string, ModelArtifact> = {
  'glm binomial': trainGlmModel(features('label'), { target: 'label', task: 'classification' }).artifact,
  'glm gaussian': trainGlmModel(features('y'), { target: 'y', task: 'regression' }).artifact,
  'glm multinomial': trainGlmModel(features('kind'), { target: 'kind', task: 'classification' }).artifact,
  'forest target-encoded': trainForestModel(features('label'), {
    target: 'label',
    task: 'classification',
    params: { nTrees: 10, categoricalEncoding: 'target' },
  }).artifact,
  'gbdt poisson': trainGbdtModel(features('count'), {
    target: 'count',
    task: 'regression',
    params: { nTrees: 10, maxDepth: 3, objective: 'poisson' },
  }).artifact,
  'gbdt squared_error': trainGbdtModel(features('y'), {
    target: 'y',
    task: 'regression',
    params: { nTrees: 40, maxDepth: 4 },
  }).artifact,
  'gbdt logistic': trainGbdtModel(features('label'), {
    target: 'label',
    task: 'classification',
    params: { nTrees: 30, maxDepth: 3 },
  }).artifact,
  'gbdt softmax': trainGbdtModel(features('kind'), {
    target: 'kind',
    task: 'classification',
    params: { nTrees: 20, maxDepth: 3 },
  }).artifact,
};

// Edge cases on purpose: missing numbers, a missing category, an unseen category, numbers sent as strings.
const records: FeatureRecord[] = [
  { x1: 1.25, x2: 0.5, colour: 'red' },
  { x1: -4.75, x2: 2.9, colour: 'violet' },
  { x1: 0, x2: null, colour: 'green' },
  { x1: 3.3333333333333335, x2: 1e-9, colour: null },
  { x1: -0.1, x2: 1.5, colour: 'ultramarine' },
  { x1: '2.5', x2: '0.75', colour: 'blue' },
];
// Records with problems for validateRecords: a missing field and text where a number belongs.
const badRecords: FeatureRecord[] = [
  { x1: 1, colour: 'red' },
  { x1: 'many', x2: 1, colour: 'blue' },
];
const scoringColumns = {
  x1: [1.25, -4.75, 0, 3.3333333333333335, -0.1, 2.5, NaN],
  x2: [0.5, 2.9, NaN, 1e-9, 1.5, 0.75, 2],
  colour: { codes: [0, 1, 2, -1, 3, 4, 2], dictionary: ['red', 'violet', 'green', 'ultramarine', 'blue'] },
};

/** The leaves of a JSON-like value in order, object keys included, so that two values can be compared leaf by leaf. */
function leavesOf(value: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) value.forEach((v) => leavesOf(v, out));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      leavesOf(v, out);
    }
  } else out.push(value);
  return out;
}

/** Distance in units in the last place: 0 when the two doubles have the same bits. */
function ulpsBetween(a: number, b: number): number {
  const bits = (x: number) => {
    const i = new BigInt64Array(Float64Array.of(x).buffer)[0]!;
    return i < 0n ? -(i & 0x7fffffffffffffffn) : i;
  };
  return Number(bits(a) > bits(b) ? bits(a) - bits(b) : bits(b) - bits(a));
}

interface Scored {
  records: unknown;
  frame: number[];
  issues: unknown;
}

function scoreInNode(text: string): Scored {
  const artifact = parseArtifact(JSON.parse(text));
  const scoring = Frame.fromColumns([
    { kind: 'number', name: 'x1', values: Float64Array.from(scoringColumns.x1) },
    { kind: 'number', name: 'x2', values: Float64Array.from(scoringColumns.x2) },
    {
      kind: 'category',
      name: 'colour',
      codes: Int32Array.from(scoringColumns.colour.codes),
      dictionary: scoringColumns.colour.dictionary,
    },
  ]);
  return {
    records: predictRecords(artifact, records),
    frame: Array.from(predictFrame(artifact, scoring)),
    issues: validateRecords(artifact, badRecords),
  };
}

describe('scorer bundle in a browser', () => {
  let browser: Browser;
  let page: Page;
  let bundle: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` before this test.`);
    bundle = await readFile(BUNDLE, 'utf8');
    browser = await launchChromium();
    page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/') return route.fulfill({ contentType: 'text/html', body: PAGE });
      if (path === '/modelyard-scorer.js') return route.fulfill({ contentType: 'text/javascript', body: bundle });
      return route.fulfill({ status: 404, body: 'not found' });
    });
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => (window as unknown as { scorerReady?: boolean }).scorerReady === true);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('is one small ES module with no training code in it', () => {
    expect(bundle).toMatch(/\bexport\s*\{/);
    // The scoring path is ~15 kB; training (binning, tree growing, coordinate descent) would at least double it.
    expect(bundle.length).toBeLessThan(40_000);
    expect(bundle).not.toMatch(/\brequire\(|node:|process\.env/);
  });

  for (const [name, artifact] of Object.entries(models)) {
    it(`scores a ${name} model bit-identically to Node`, async () => {
      const text = JSON.stringify(artifact);
      const inBrowser = await page.evaluate(
        ({ text, records, badRecords, columns }) => {
          const scorer = (window as unknown as { scorer: typeof ScorerModule }).scorer;
          const parsed = scorer.parseArtifact(JSON.parse(text));
          const scoring = scorer.Frame.fromColumns([
            { kind: 'number', name: 'x1', values: Float64Array.from(columns.x1) },
            { kind: 'number', name: 'x2', values: Float64Array.from(columns.x2) },
            {
              kind: 'category',
              name: 'colour',
              codes: Int32Array.from(columns.colour.codes),
              dictionary: columns.colour.dictionary,
            },
          ]);
          return {
            records: scorer.predictRecords(parsed, records),
            frame: Array.from(scorer.predictFrame(parsed, scoring)),
            issues: scorer.validateRecords(parsed, badRecords),
          };
        },
        { text, records, badRecords, columns: scoringColumns },
      );
      const inNode = scoreInNode(text);
      expect(inNode.frame.every((v) => Number.isFinite(v))).toBe(true);
      expect((inNode.issues as unknown[]).length).toBeGreaterThan(0);
      const [browserLeaves, nodeLeaves] = [leavesOf(inBrowser), leavesOf(inNode)];
      // Labels, keys, issues: equal. Numbers: the bits, compared apart so that a failure names the distance.
      expect(browserLeaves.map((v) => (typeof v === 'number' ? 0 : v))).toEqual(
        nodeLeaves.map((v) => (typeof v === 'number' ? 0 : v)),
      );
      const ulps = nodeLeaves.map((v, i) => (typeof v === 'number' ? ulpsBetween(v, browserLeaves[i] as number) : 0));
      // Probabilities and Poisson means too: the scorer's exp is its own (portableExp), not the engine's Math.exp.
      expect(Math.max(...ulps)).toBe(0);
      expect(pageErrors).toEqual([]);
    });
  }

  it('rejects a broken artifact in the browser with the same error code as Node', async () => {
    const broken = { ...models['gbdt squared_error']!, formatVersion: 99 };
    const text = JSON.stringify(broken);
    const code = await page.evaluate((text) => {
      const scorer = (window as unknown as { scorer: typeof ScorerModule }).scorer;
      try {
        scorer.parseArtifact(JSON.parse(text));
        return 'no error';
      } catch (error) {
        return error instanceof scorer.EngineError ? error.code : String(error);
      }
    }, text);
    expect(code).toBe('invalid_artifact');
    expect(() => parseArtifact(JSON.parse(text))).toThrow(/formatVersion/);
  });
});
