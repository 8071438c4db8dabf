// Exports a model as one dependency-free Java 17 source file that scores the same bits as the engine.
import type { FeatureSpec, ModelArtifact } from '../artifact/model-artifact.js';
import { JAVA_RUNTIME } from './code-java-runtime.js';
import { modelPlan, type PlanGlm, type PlanModel, type PlanTrees } from './code-model-plan.js';

export interface JavaExportOptions {
  /** The public class (and file) name; `Model` by default. */
  className?: string;
  /** The package, if any. */
  packageName?: string;
}

/** Below the class file's 65,535-byte limit on one string constant (modified UTF-8). */
const CHUNK_BYTES = 60_000;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const COMBINE: Record<PlanTrees['combine'], number> = {
  identity: 0,
  sigmoid: 1,
  softmax: 2,
  exp: 3,
  'forest-regression': 4,
  'forest-binary': 5,
  'forest-classes': 6,
};
const LINK: Record<PlanGlm['link'], number> = { identity: 0, sigmoid: 1, softmax: 2 };

/**
 * The `.java` source of one public final class with `score(Map)`, `predictLabel(Map)`, the `FEATURES`/`CLASSES`
 * constants and a `main` that scores CSV from stdin, printing raw IEEE bits in hex. Save it as `<className>.java`.
 */
export function exportJava(artifact: ModelArtifact, options: JavaExportOptions = {}): string {
  const className = options.className ?? 'Model';
  if (!IDENTIFIER.test(className)) throw new Error(`Invalid Java class name "${className}"`);
  const packageName = options.packageName;
  if (packageName !== undefined && !packageName.split('.').every((part) => IDENTIFIER.test(part))) {
    throw new Error(`Invalid Java package name "${packageName}"`);
  }
  const data = encodeData(artifact);
  const literals = chunks(data).map((chunk) => `      "${javaEscape(chunk)}",`);
  return JAVA_RUNTIME.replace('__PACKAGE__', packageName === undefined ? '' : `package ${packageName};\n\n`)
    .replace('__HEADER__', () => header(artifact, className))
    .replaceAll('__CLASS__', className)
    .replace('__DATA__', () => literals.join('\n'));
}

function encodeData(artifact: ModelArtifact): string {
  const plan = modelPlan(artifact);
  const out = new TokenWriter();
  out.str(plan.target);
  out.str(plan.task);
  const classes = plan.task === 'classification' ? (plan.classes ?? []) : [];
  out.int(classes.length);
  classes.forEach((c) => out.str(c));
  writeSpecs(out, plan.features);
  out.int(plan.knownKeys.length);
  plan.knownKeys.forEach((k) => out.str(k));
  out.int(plan.width);
  out.int(plan.bases.length);
  plan.bases.forEach((m) => writeModel(out, m));
  if (plan.meta === null) out.int(0);
  else {
    out.int(1);
    writeModel(out, plan.meta.model);
    out.int(plan.meta.sources.length);
    plan.meta.sources.forEach((s) => out.int(s));
  }
  return out.text();
}

function writeSpecs(out: TokenWriter, specs: FeatureSpec[]): void {
  out.int(specs.length);
  for (const spec of specs) {
    out.str(spec.name);
    if (spec.type === 'number') out.int(0);
    else {
      out.int(1);
      out.int(spec.categories.length);
      spec.categories.forEach((c) => out.str(c));
    }
  }
}

function writeModel(out: TokenWriter, model: PlanModel): void {
  writeSpecs(out, model.features);
  for (const encoded of model.targetEncoded) {
    out.int(encoded === null ? 0 : encoded.outputs.length);
    for (const output of encoded?.outputs ?? []) {
      out.double(output.prior);
      out.doubles(output.values);
    }
  }
  out.int(model.columns);
  out.int(model.width);
  const scorer = model.scorer;
  if (scorer.kind === 'glm') {
    out.int(0);
    out.int(LINK[scorer.link]);
    out.doubles(scorer.intercepts);
    for (const e of scorer.encodings) {
      if (e.type === 'number') {
        out.int(0);
        out.double(e.impute);
        out.double(e.center);
        out.double(e.scale);
      } else {
        out.int(1);
        out.int(e.size);
      }
    }
    scorer.coefficients.forEach((row) => out.doubles(row));
    return;
  }
  out.int(1);
  out.int(COMBINE[scorer.combine]);
  out.int(scorer.k);
  scorer.start.forEach((v) => out.double(v));
  numericColumns(model).forEach((numeric) => out.int(numeric ? 1 : 0));
  out.int(scorer.roots.length);
  scorer.roots.forEach((r) => out.int(r));
  out.int(scorer.feature.length);
  scorer.feature.forEach((f, n) => {
    out.int(f);
    if (f < 0) {
      out.double(scorer.value[n]!);
      return;
    }
    out.int(scorer.defaultLeft[n]!);
    out.int(scorer.left[n]!);
    out.int(scorer.right[n]!);
    out.int(scorer.maskOffset[n]!);
    if (scorer.maskOffset[n]! < 0) out.double(scorer.threshold[n]!);
  });
  out.str(scorer.masks.join(''));
}

/** Per model column: true for numbers (a numeric feature or a target-encoding output), false for category indices. */
function numericColumns(model: PlanModel): boolean[] {
  return model.features.flatMap((spec, f) => {
    const encoded = model.targetEncoded[f] ?? null;
    return encoded === null ? [spec.type === 'number'] : encoded.outputs.map(() => true);
  });
}

/** Comma-terminated tokens: decimal ints, doubles as hex of their raw bits, strings as `<UTF-16 length>:<text>`. */
class TokenWriter {
  readonly #parts: string[] = [];
  readonly #view = new DataView(new ArrayBuffer(8));

  int(v: number): void {
    if (!Number.isInteger(v)) throw new Error(`expected an integer, got ${v}`);
    this.#parts.push(`${v},`);
  }

  double(v: number): void {
    this.#view.setFloat64(0, v);
    this.#parts.push(`${this.#view.getBigUint64(0).toString(16)},`);
  }

  doubles(values: number[]): void {
    this.int(values.length);
    values.forEach((v) => this.double(v));
  }

  str(text: string): void {
    this.#parts.push(`${text.length}:${text},`);
  }

  text(): string {
    return this.#parts.join('');
  }
}

/** Splits text into pieces whose modified UTF-8 encoding (a class file's string constants) fits CHUNK_BYTES. */
function chunks(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const size = c >= 1 && c <= 0x7f ? 1 : c <= 0x7ff ? 2 : 3;
    if (bytes + size > CHUNK_BYTES) {
      out.push(text.slice(from, i));
      from = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (from < text.length || out.length === 0) out.push(text.slice(from));
  return out;
}

/**
 * Java string literal content, ASCII only. Control characters use octal escapes, as javac turns \u escapes into
 * characters before it reads the literal (a \u000a would end the line).
 */
function javaEscape(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c < 0x20 || c === 0x7f) out += `\\${c.toString(8).padStart(3, '0')}`;
    else if (c < 0x7f) out += text[i];
    else out += `\\u${c.toString(16).padStart(4, '0')}`;
  }
  return out;
}

/** A class comment; user text is cut to printable ASCII (javac reads \u escapes even in comments). */
function header(artifact: ModelArtifact, className: string): string {
  const safe = (text: string) => text.replace(/[^\x20-\x7e]|\\/g, '?').replaceAll('*/', '*?');
  const kind = artifact.model.kind === 'stacked' ? 'stacked ensemble' : artifact.model.kind;
  const lines = [
    `Modelyard ${kind} model, exported as dependency-free Java 17 (generated; do not edit).`,
    '',
    `Target: ${safe(artifact.target)} (${artifact.task})`,
  ];
  if (artifact.classes !== undefined) lines.push(`Classes: ${artifact.classes.map(safe).join(', ')}`);
  lines.push('Features:');
  for (const spec of artifact.features) {
    const categories =
      spec.type === 'category'
        ? ` [${spec.categories.slice(0, 12).map(safe).join(', ')}${spec.categories.length > 12 ? `, ... (${spec.categories.length} in all)` : ''}]`
        : '';
    lines.push(`  ${safe(spec.name)}: ${spec.type}${categories}`);
  }
  lines.push(
    '',
    `Use: ${className}.score(Map<String, ?> record) gives ${
      artifact.task === 'regression' ? 'the predicted value' : 'the class probabilities in CLASSES order'
    };`,
    ...(artifact.task === 'classification' ? [`${className}.predictLabel(record) gives the most probable class.`] : []),
    'Values: Number, String (read as the engine reads JSON), Boolean, or null for missing; every feature key is required.',
    `Batch: java ${className} < rows.csv prints each row's scores as raw IEEE-754 bits in hex.`,
  );
  return ['/**', ...lines.map((l) => ` * ${l}`.trimEnd()), ' */'].join('\n');
}
