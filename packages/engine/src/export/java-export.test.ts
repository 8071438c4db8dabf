// The Java export compiles with plain javac and scores every model kind with the engine's exact bits.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureRecord } from '../artifact/feature-record.js';
import type { FeatureSpec, GbdtArtifact, GbdtTree, ModelArtifact } from '../artifact/model-artifact.js';
import { predictFrame } from '../artifact/predict-frame.js';
import { predictRecords } from '../artifact/predict-records.js';
import type { Column } from '../frame/column.js';
import { Frame } from '../frame/frame.js';
import { frameRecords, parityCases, stackedCases, type ParityCase } from '../test-support/parity-cases.js';
import { exportJava } from './java-export.js';

/**
 * 200 complete trees of depth 8 (511 nodes each, 102,200 in all) over a trained model's features, numeric and
 * category splits mixed, with pseudo-random thresholds and leaves: far past what array initialisers could hold.
 */
function hugeGbdt(template: GbdtArtifact, frame: Frame): GbdtArtifact {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const features = template.features;
  const trees = Array.from({ length: 200 }, (): GbdtTree => {
    const nodes = 511;
    const tree: GbdtTree = {
      feature: [],
      threshold: [],
      leftCategories: [],
      defaultLeft: [],
      left: [],
      right: [],
      value: [],
      cover: [],
    };
    for (let node = 0; node < nodes; node++) {
      const leaf = node >= 255;
      const f = leaf ? -1 : Math.floor(random() * features.length);
      const spec = f >= 0 ? features[f]! : undefined;
      tree.feature.push(f);
      // A value the feature takes in the scoring rows, so rows go both ways.
      const column = spec?.type === 'number' ? frame.column(spec.name) : undefined;
      const at = Math.floor(random() * frame.nRows);
      tree.threshold.push(column?.kind === 'number' && Number.isFinite(column.values[at]!) ? column.values[at]! : 0);
      tree.leftCategories.push(
        spec?.type === 'category' ? spec.categories.flatMap((_, k) => (random() < 0.5 ? [k] : [])) : [],
      );
      tree.defaultLeft.push(random() < 0.5);
      tree.left.push(leaf ? -1 : 2 * node + 1);
      tree.right.push(leaf ? -1 : 2 * node + 2);
      tree.value.push(leaf ? (random() - 0.5) / 10 : 0);
      tree.cover.push(1);
    }
    return tree;
  });
  return { ...template, model: { ...template.model, trees } };
}

/**
 * A trained model whose first category feature is renamed, with renamed categories, to text that breaks naive Java
 * source generation: quotes, backslashes, a written-out \u000a escape, comment ends, newlines and non-ASCII text.
 */
function awkwardNames(c: ParityCase): ParityCase {
  const artifact = JSON.parse(JSON.stringify(c.artifact)) as ModelArtifact;
  const at = artifact.features.findIndex((f) => f.type === 'category');
  const spec = artifact.features[at]! as Extract<FeatureSpec, { type: 'category' }>;
  const from = spec.name;
  const to = 'na"me \\u000a */ é\n';
  const rename = (k: string, i: number) => [`${k} \\u000a "q"`, `x,y\r\n*/`, `ünï 💡 \\`][i] ?? `${k} \u2028`;
  const categories = spec.categories.map(rename);
  artifact.features[at] = { name: to, type: 'category', categories };
  const encoding = artifact.preprocessing.encodings.findIndex((e) => e.name === from);
  artifact.preprocessing.encodings[encoding] = { name: to, type: 'category', categories };
  const columns = c.frame.names.map((name): Column => {
    const column = c.frame.column(name);
    if (name !== from || column.kind !== 'category') return column;
    const dictionary = column.dictionary.map((d) => {
      const k = spec.categories.indexOf(d);
      return k >= 0 ? categories[k]! : d;
    });
    return { ...column, name: to, dictionary };
  });
  return { name: `${c.name}-awkward-names`, artifact, frame: Frame.fromColumns(columns) };
}

/** PascalCase class name of a case. */
function className(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** The frame's feature columns as CSV (header first; missing and non-finite values empty; categories quoted). */
function frameCsv(frame: Frame, artifact: ModelArtifact): string {
  const names = artifact.features.map((f) => f.name);
  const columns = names.map((name) => frame.column(name));
  const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;
  const lines = [[...names, 'ignored extra'].map(quote).join(',')];
  for (let i = 0; i < frame.nRows; i++) {
    const cells = columns.map((column) => {
      if (column.kind === 'number') {
        const v = column.values[i]!;
        return Number.isFinite(v) ? String(v) : '';
      }
      const code = column.codes[i]!;
      return code < 0 ? '' : quote(column.dictionary[code]!);
    });
    lines.push([...cells, 'x'].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Hex of a double's raw bits, as Java's Long.toHexString(Double.doubleToRawLongBits(v)) prints them. */
function hexBits(v: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  return view.getBigUint64(0).toString(16);
}

function fromHex(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

/** What the Java main prints per row: score() (binary: [1 - p, p]) from predictFrame's output. */
function expectedRows(artifact: ModelArtifact, frame: Frame): number[][] {
  const batch = predictFrame(artifact, frame);
  const width = batch.length / frame.nRows;
  return Array.from({ length: frame.nRows }, (_, i) => {
    if (width > 1) return Array.from(batch.subarray(i * width, (i + 1) * width));
    const p = batch[i]!;
    return artifact.task === 'classification' ? [1 - p, p] : [p];
  });
}

interface JavaCase extends ParityCase {
  className: string;
}

let dir: string;
let cases: JavaCase[] = [];
let compileMs = 0;
let hugeSourceLength = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'modelyard-java-export-'));
  const trained = [...parityCases(), ...stackedCases()];
  const template = trained.find((c) => c.name === 'gbdt-regression')!;
  const huge = {
    ...template,
    name: 'gbdt-200-trees-depth-8',
    artifact: hugeGbdt(template.artifact as GbdtArtifact, template.frame),
  };
  const awkward = awkwardNames(trained.find((c) => c.name === 'glm-binomial')!);
  cases = [...trained, awkward, huge].map((c) => ({ ...c, className: className(c.name) }));
  for (const c of cases) {
    const source = exportJava(c.artifact, { className: c.className, packageName: 'modelyard.test' });
    writeFileSync(join(dir, `${c.className}.java`), source);
    if (c === cases.at(-1)) hugeSourceLength = source.length;
  }
  const started = Date.now();
  execFileSync(
    'javac',
    ['-nowarn', '-d', join(dir, 'classes'), ...cases.map((c) => join(dir, `${c.className}.java`))],
    {
      stdio: 'pipe',
    },
  );
  compileMs = Date.now() - started;
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a class's main on the CSV; short-run JVM flags (client compiler, serial GC) halve its start-up. */
function runMain(c: JavaCase, csv: string): Promise<string[]> {
  const flags = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-cp', join(dir, 'classes')];
  const child = spawn('java', [...flags, `modelyard.test.${c.className}`]);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => stdout.push(b));
  child.stderr.on('data', (b: Buffer) => stderr.push(b));
  child.stdin.end(csv);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      if (status !== 0) reject(new Error(`${c.className} exited ${status}: ${Buffer.concat(stderr).toString()}`));
      else resolve(Buffer.concat(stdout).toString('utf8').trimEnd().split('\n'));
    });
  });
}

/** Maps over items two at a time (the JVMs start in parallel). */
async function twoAtATime<T, R>(items: T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i]!);
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

describe('exportJava', () => {
  it('compiles every model kind with one plain javac call, 200 trees of depth 8 included', () => {
    expect(cases.map((c) => c.artifact.model.kind)).toEqual(
      expect.arrayContaining(['glm', 'gbdt', 'forest', 'stacked']),
    );
    const huge = cases.find((c) => c.name === 'gbdt-200-trees-depth-8')!;
    const trees = (huge.artifact as GbdtArtifact).model.trees;
    expect(trees.reduce((n, t) => n + t.feature.length, 0)).toBe(200 * 511);
    // The source is far past one string constant's 65,535 bytes: the chunking is exercised.
    expect(hugeSourceLength).toBeGreaterThan(1_000_000);
    expect(compileMs).toBeGreaterThan(0);
  });

  it('main prints predictFrame’s bits for 10,000 CSV rows of every model', { timeout: 300_000 }, async () => {
    const outputs = await twoAtATime(cases, (c) => runMain(c, frameCsv(c.frame, c.artifact)));
    cases.forEach((c, j) => {
      const lines = outputs[j]!;
      const expected = expectedRows(c.artifact, c.frame);
      expect(lines.length, c.name).toBe(expected.length);
      let differ = 0;
      let first = -1;
      let maxDiff = 0;
      lines.forEach((line, i) => {
        const want = expected[i]!.map(hexBits).join(',');
        if (line === want) return;
        differ++;
        if (first < 0) first = i;
        line.split(',').forEach((hex, k) => {
          const d = Math.abs(fromHex(hex) - expected[i]![k]!);
          maxDiff = Math.max(maxDiff, Number.isNaN(d) ? Infinity : d);
        });
      });
      expect(differ, `${c.name}: ${differ} rows differ (first ${first}), max abs difference ${maxDiff}`).toBe(0);
    });
  });

  it('score(Map) reads typed values as predictRecords reads JSON, and refuses what it refuses', () => {
    const c = cases.find((x) => x.name === 'gbdt-target-encoded')!;
    const features = c.artifact.features;
    const records = frameRecords(
      c.frame,
      features.map((f) => f.name),
    ).slice(9_990);
    for (const record of records) for (const f of features) record[f.name] ??= null;
    const base = records[0]!;
    const probes: FeatureRecord[] = [
      ...records,
      { ...base, tenure: '12', monthly_charges: ' 70.5 ', total_charges: '0x20', senior_citizen: '1e0' },
      { ...base, contract: 'One year', payment_method: 'never-seen', multiple_lines: 42.5 },
    ];
    const javaValue = (v: FeatureRecord[string]): string => {
      if (v === null) return 'null';
      if (typeof v === 'boolean') return String(v);
      if (typeof v === 'number') return `Double.longBitsToDouble(0x${hexBits(v)}L)`;
      return JSON.stringify(v);
    };
    const calls = probes.map((record) => {
      const puts = Object.entries(record).map(([k, v]) => `r.put(${JSON.stringify(k)}, ${javaValue(v)});`);
      return `{ Map<String, Object> r = new HashMap<>(); ${puts.join(' ')} print(r); }`;
    });
    const refused = `{ Map<String, Object> r = new HashMap<>(); r.put("surprise", 1); try { ${c.className}.score(r); System.out.println("accepted"); } catch (IllegalArgumentException e) { System.out.println("refused " + e.getMessage()); } }`;
    const probe = [
      'package modelyard.test;',
      'import java.util.HashMap;',
      'import java.util.Map;',
      'public final class Probe {',
      '  static void print(Map<String, Object> r) {',
      `    double[] s = ${c.className}.score(r);`,
      '    StringBuilder b = new StringBuilder();',
      '    for (double v : s) b.append(Long.toHexString(Double.doubleToRawLongBits(v))).append(",");',
      `    System.out.println(b.append(${c.className}.predictLabel(r)));`,
      '  }',
      '  public static void main(String[] args) {',
      ...calls.map((call) => `    ${call}`),
      `    ${refused}`,
      `    System.out.println(String.join(",", ${c.className}.CLASSES) + "|" + String.join(",", ${c.className}.FEATURES));`,
      '  }',
      '}',
    ].join('\n');
    writeFileSync(join(dir, 'Probe.java'), probe);
    execFileSync('javac', [
      '-nowarn',
      '-cp',
      join(dir, 'classes'),
      '-d',
      join(dir, 'classes'),
      join(dir, 'Probe.java'),
    ]);
    const out = execFileSync('java', ['-cp', join(dir, 'classes'), 'modelyard.test.Probe'], { encoding: 'utf8' })
      .trimEnd()
      .split('\n');
    const classes = c.artifact.classes!;
    const expected = predictRecords(c.artifact, probes).map((p) =>
      'probabilities' in p ? [...classes.map((k) => hexBits(p.probabilities[k]!)), p.label].join(',') : '',
    );
    expect(out.slice(0, probes.length)).toEqual(expected);
    expect(out[probes.length]).toMatch(/^refused \d+ problem\(s\) in the record: .*surprise: unexpected/);
    expect(out[probes.length + 1]).toBe(`${classes.join(',')}|${features.map((f) => f.name).join(',')}`);
  });

  it('carries its own exp, bit-identical to the engine’s on the frozen Node 20 inputs', () => {
    const fixture = JSON.parse(
      readFileSync(new URL('../artifact/__fixtures__/exp-node20.json', import.meta.url), 'utf8'),
    ) as { cases: [string, string][] };
    const c = cases[0]!;
    const probe = [
      'package modelyard.test;',
      'public final class ExpProbe {',
      '  public static void main(String[] args) throws java.io.IOException {',
      '    StringBuilder out = new StringBuilder();',
      '    for (String line : new String(System.in.readAllBytes(), "UTF-8").split("\\n")) {',
      '      double x = Double.longBitsToDouble(Long.parseUnsignedLong(line, 16));',
      `      out.append(String.format("%016x", Double.doubleToRawLongBits(${c.className}.exp(x)))).append('\\n');`,
      '    }',
      '    System.out.print(out);',
      '  }',
      '}',
    ].join('\n');
    writeFileSync(join(dir, 'ExpProbe.java'), probe);
    execFileSync('javac', ['-cp', join(dir, 'classes'), '-d', join(dir, 'classes'), join(dir, 'ExpProbe.java')]);
    const out = execFileSync('java', ['-cp', join(dir, 'classes'), 'modelyard.test.ExpProbe'], {
      input: fixture.cases.map(([input]) => input).join('\n'),
      encoding: 'utf8',
    });
    expect(fixture.cases.length).toBe(3023);
    expect(out.trimEnd().split('\n')).toEqual(fixture.cases.map(([, expected]) => expected));
  });

  it('names the class and package as asked and refuses names javac would not take', () => {
    const c = cases[0]!;
    const source = exportJava(c.artifact, { className: 'ChurnScorer', packageName: 'com.example.models' });
    expect(source).toMatch(/^package com\.example\.models;\n/);
    expect(source).toContain('public final class ChurnScorer {');
    expect(source).toMatch(/public static double\[\] score\(Map<String, \?> record\)/);
    expect(() => exportJava(c.artifact, { className: 'my-model' })).toThrow(/class name/);
    expect(() => exportJava(c.artifact, { packageName: 'a..b' })).toThrow(/package name/);
  });
});
