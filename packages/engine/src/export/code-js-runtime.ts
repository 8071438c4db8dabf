// The scoring code every exported JavaScript module carries: a row-by-row port of the engine's scorers that performs
// the same floating-point operations in the same order, so the module scores the engine's bits.

/** Plain JavaScript (no template strings inside); reads the `PLAN` constant the module declares before it. */
export const JS_RUNTIME = String.raw`
// ---- Reading values (as the engine reads JSON records and frame columns) ----

const TRUE_WORDS = new Set(['true', 'yes', 'y', 't', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', 'f', '0']);

/** The one category spelling this truth value, or -1 when none or several do. */
function uniqueSpelling(categories, spellings) {
  let found = -1;
  for (let i = 0; i < categories.length; i++) {
    if (!spellings.has(categories[i].trim().toLowerCase())) continue;
    if (found >= 0) return -1;
    found = i;
  }
  return found;
}

function categoryLookup(categories) {
  return {
    exact: new Map(categories.map((c, i) => [c, i])),
    truthy: uniqueSpelling(categories, TRUE_WORDS),
    falsy: uniqueSpelling(categories, FALSE_WORDS),
  };
}

/** Index of a category, letting yes/no, true/false and 1/0 spellings stand in for each other; -1 when unseen. */
function findCategory(lookup, text) {
  const exact = lookup.exact.get(text);
  if (exact !== undefined) return exact;
  const normal = text.trim().toLowerCase();
  if (TRUE_WORDS.has(normal)) return lookup.truthy;
  if (FALSE_WORDS.has(normal)) return lookup.falsy;
  return -1;
}

function parseNumber(text) {
  if (text.trim() === '') return NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : NaN;
}

/** A record's value as the model reads it (number, NaN = missing; category index, -1 = missing or unseen), or undefined when its type is wrong. */
function readRecordValue(spec, raw) {
  if (spec.type === 'number') {
    if (raw === null || raw === undefined) return NaN;
    if (typeof raw === 'number') {
      if (Number.isNaN(raw)) return NaN;
      return Number.isFinite(raw) ? raw : undefined;
    }
    if (typeof raw === 'string') {
      if (raw.trim() === '') return NaN;
      const value = parseNumber(raw);
      return Number.isNaN(value) ? undefined : value;
    }
    return undefined;
  }
  if (raw === null || raw === undefined) return -1;
  if (typeof raw === 'string') return findCategory(spec.lookup, raw);
  if (typeof raw === 'number') return Number.isNaN(raw) ? -1 : findCategory(spec.lookup, String(raw));
  if (typeof raw === 'boolean') {
    const k = findCategory(spec.lookup, String(raw));
    return k >= 0 ? k : undefined;
  }
  return undefined;
}

/** A batch column's value as the model reads it (the engine's frame semantics). */
function readColumnValue(spec, raw) {
  if (spec.type === 'number') {
    if (typeof raw === 'number') return Number.isFinite(raw) ? raw : NaN;
    if (raw === null || raw === undefined) return NaN;
    if (typeof raw === 'string') {
      const value = parseNumber(raw);
      if (Number.isNaN(value) && raw.trim() !== '') throw fail('wrong_column_type', 'Column "' + spec.name + '" must be numeric');
      return value;
    }
    throw fail('wrong_column_type', 'Column "' + spec.name + '" must be numeric');
  }
  if (raw === null || raw === undefined) return -1;
  if (typeof raw === 'string') return findCategory(spec.lookup, raw);
  if (typeof raw === 'number') return Number.isNaN(raw) ? -1 : findCategory(spec.lookup, String(raw));
  if (typeof raw === 'boolean') return findCategory(spec.lookup, String(raw));
  throw fail('wrong_column_type', 'Column "' + spec.name + '" must hold strings');
}

function fail(code, message, details) {
  const error = new Error(message);
  error.code = code;
  if (details !== undefined) error.details = details;
  return error;
}

// ---- exp and probabilities (fdlibm's exp in plain double arithmetic: the same bits on every engine) ----

const expScratch = new Float64Array(1);
const expWords = new Int32Array(expScratch.buffer);
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.442695040888963387;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.6533902205465251539e-6;
const P5 = 4.13813679705723846039e-8;
const O_THRESHOLD = 7.09782712893383973096e2;
const U_THRESHOLD = -7.4513321910194110842e2;
const TWO_M1000 = 9.3326361850321887899e-302;

function portableExp(x) {
  if (x === 1) return Math.E;
  expScratch[0] = x;
  let hx = expWords[1];
  const negative = hx < 0;
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) return Number.isNaN(x) ? x : negative ? 0 : x;
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0;
  }
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (hx > 0x3fd62e42) {
    if (hx < 0x3ff0a2b2) {
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
      k = negative ? -1 : 1;
    } else {
      k = Math.trunc(INV_LN2 * x + (negative ? -0.5 : 0.5));
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  expScratch[0] = 1 - (lo - (x * c) / (2 - c) - hi);
  if (k >= -1021) {
    expWords[1] = expWords[1] + (k << 20);
    return expScratch[0];
  }
  expWords[1] = expWords[1] + ((k + 1000) << 20);
  return expScratch[0] * TWO_M1000;
}

function portableSigmoid(eta) {
  if (eta >= 0) return 1 / (1 + portableExp(-eta));
  const e = portableExp(eta);
  return e / (1 + e);
}

/** In place: out[o .. o + k) becomes its softmax, shifted by the maximum. */
function softmax(out, o, k) {
  let top = -Infinity;
  for (let c = 0; c < k; c++) top = Math.max(top, out[o + c]);
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const e = portableExp(out[o + c] - top);
    out[o + c] = e;
    sum += e;
  }
  for (let c = 0; c < k; c++) out[o + c] = out[o + c] / sum;
}

/** Argmax, ties to the first class. */
function pickLabel(probabilities) {
  let best = 0;
  for (let k = 1; k < probabilities.length; k++) if (probabilities[k] > probabilities[best]) best = k;
  return best;
}

// ---- Models ----

/** Scores one row: x holds the model's feature values; writes model.width outputs at out[o]. */
function scoreModel(model, x, out, o) {
  const cols = model.cols;
  let c = 0;
  for (let f = 0; f < model.features.length; f++) {
    const encoded = model.targetEncoded[f];
    const v = x[f];
    if (encoded === null) cols[c++] = v;
    else for (const output of encoded.outputs) cols[c++] = v >= 0 ? output.values[v] : output.prior;
  }
  if (model.scorer.kind === 'glm') scoreGlm(model.scorer, cols, out, o);
  else scoreTrees(model.scorer, cols, out, o);
}

/** Linear predictors term by term in encoding order, then the link. */
function scoreGlm(glm, cols, out, o) {
  const n = glm.intercepts.length;
  const encodings = glm.encodings;
  for (let p = 0; p < n; p++) {
    const coefficients = glm.coefficients[p];
    let eta = glm.intercepts[p];
    let offset = 0;
    for (let e = 0; e < encodings.length; e++) {
      const encoding = encodings[e];
      const v = cols[e];
      if (encoding.type === 'number') {
        eta += coefficients[offset] * (((Number.isFinite(v) ? v : encoding.impute) - encoding.center) / encoding.scale);
        offset += 1;
      } else {
        if (v >= 0) eta += coefficients[offset + v];
        offset += encoding.size;
      }
    }
    out[o + p] = eta;
  }
  if (glm.link === 'sigmoid') out[o] = portableSigmoid(out[o]);
  else if (glm.link === 'softmax') softmax(out, o, n);
}

/** Every tree in order (tree t adds to margin t mod k), then the objective's link or the forest's means. */
function scoreTrees(trees, cols, out, o) {
  const { k, feature, threshold, maskOffset, masks, defaultLeft, left, right, value, roots, numeric } = trees;
  for (let c = 0; c < numeric.length; c++) if (numeric[c] === 1 && !Number.isFinite(cols[c])) cols[c] = NaN;
  for (let c = 0; c < k; c++) out[o + c] = trees.start[c];
  for (let t = 0; t < roots.length; t++) {
    let node = roots[t];
    let f = feature[node];
    while (f >= 0) {
      const x = cols[f];
      const offset = maskOffset[node];
      let goLeft;
      if (offset < 0) goLeft = x === x ? x < threshold[node] : defaultLeft[node] === 1;
      else goLeft = x >= 0 ? masks[offset + x] === 1 : defaultLeft[node] === 1;
      node = goLeft ? left[node] : right[node];
      f = feature[node];
    }
    const c = o + (t % k);
    out[c] = out[c] + value[node];
  }
  const combine = trees.combine;
  if (combine === 'sigmoid') out[o] = portableSigmoid(out[o]);
  else if (combine === 'exp') out[o] = portableExp(out[o]);
  else if (combine === 'softmax') softmax(out, o, k);
  else if (combine !== 'identity') {
    const rounds = roots.length / k;
    for (let c = 0; c < k; c++) out[o + c] = out[o + c] / rounds;
    if (combine === 'forest-binary') out[o] = Math.min(1, Math.max(0, out[o]));
    else if (combine === 'forest-classes') {
      let total = 0;
      for (let c = 0; c < k; c++) total += out[o + c];
      for (let c = 0; c < k; c++) out[o + c] = total > 0 ? out[o + c] / total : 1 / k;
    }
  }
}

/** Typed arrays, lookups and scratch space, once at load. */
function prepareModel(model) {
  for (const spec of model.features) if (spec.type === 'category') spec.lookup = categoryLookup(spec.categories);
  model.x = new Float64Array(model.features.length);
  model.cols = new Float64Array(model.columns);
  model.out = new Float64Array(model.width);
  const s = model.scorer;
  if (s.kind === 'trees') {
    s.roots = Int32Array.from(s.roots);
    s.feature = Int32Array.from(s.feature);
    s.threshold = Float64Array.from(s.threshold);
    s.maskOffset = Int32Array.from(s.maskOffset);
    s.masks = Uint8Array.from(s.masks);
    s.defaultLeft = Uint8Array.from(s.defaultLeft);
    s.left = Int32Array.from(s.left);
    s.right = Int32Array.from(s.right);
    s.value = Float64Array.from(s.value);
    s.numeric = Uint8Array.from(s.columnSizes, (size, c) => (isNumericColumn(model, c) ? 1 : 0));
  }
  return model;
}

/** Whether model column c holds numbers (a numeric feature or a target-encoding output), not category indices. */
function isNumericColumn(model, c) {
  let at = 0;
  for (let f = 0; f < model.features.length; f++) {
    const encoded = model.targetEncoded[f];
    const width = encoded === null ? 1 : encoded.outputs.length;
    if (c < at + width) return encoded !== null || model.features[f].type === 'number';
    at += width;
  }
  return false;
}

for (const spec of PLAN.features) if (spec.type === 'category') spec.lookup = categoryLookup(spec.categories);
PLAN.bases.forEach(prepareModel);
if (PLAN.meta !== null) prepareModel(PLAN.meta.model);
const KNOWN = new Set([...PLAN.features.map((f) => f.name), ...PLAN.knownKeys]);
const stackOut = new Float64Array(PLAN.bases.reduce((sum, m) => sum + m.width, 0));

/** Scores the row whose base inputs are already in each base's x; writes PLAN.width outputs at out[o]. */
function scoreFilled(out, o) {
  if (PLAN.meta === null) {
    scoreModel(PLAN.bases[0], PLAN.bases[0].x, out, o);
    return;
  }
  let at = 0;
  for (const base of PLAN.bases) {
    scoreModel(base, base.x, stackOut, at);
    at += base.width;
  }
  const meta = PLAN.meta.model;
  PLAN.meta.sources.forEach((source, j) => (meta.x[j] = stackOut[source]));
  scoreModel(meta, meta.x, out, o);
}

function isPlainObject(value) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The engine's record checks: every feature present with a usable value, no keys but features, target and dropped columns. */
function recordIssues(record) {
  if (!isPlainObject(record)) return [{ row: 0, field: '', problem: 'wrong_type' }];
  const issues = [];
  for (const spec of PLAN.features) {
    if (!Object.hasOwn(record, spec.name)) issues.push({ row: 0, field: spec.name, problem: 'missing' });
    else if (readRecordValue(spec, record[spec.name]) === undefined) {
      issues.push({ row: 0, field: spec.name, problem: 'wrong_type', expected: spec.type === 'number' ? 'number' : 'string' });
    }
  }
  for (const key of Object.keys(record)) if (!KNOWN.has(key)) issues.push({ row: 0, field: key, problem: 'unexpected' });
  return issues;
}

/**
 * Scores one JSON record: { label, probabilities } for a classifier, { value } for a regression. Throws an error with
 * code 'invalid_records' and details.issues when a feature is missing, has the wrong type, or an unknown key is present.
 */
export function predict(record) {
  const issues = recordIssues(record);
  if (issues.length > 0) throw fail('invalid_records', issues.length + ' problem(s) in the records', { issues });
  for (const base of PLAN.bases) base.features.forEach((spec, f) => (base.x[f] = readRecordValue(spec, record[spec.name])));
  const out = new Float64Array(PLAN.width);
  scoreFilled(out, 0);
  if (PLAN.task === 'regression') return { value: out[0] };
  const row = PLAN.width === 1 ? [1 - out[0], out[0]] : Array.from(out);
  const probabilities = {};
  PLAN.classes.forEach((name, c) => (probabilities[name] = row[c] ?? 0));
  return { label: PLAN.classes[pickLabel(row)] ?? '', probabilities };
}

/**
 * Scores columns (an object of arrays or typed arrays keyed by feature name; numbers with NaN/null = missing, strings
 * for categories with null/undefined = missing). Returns a Float64Array: one value per row (the probability of
 * classes[1] for a binary classifier), or n × k row-major class probabilities over more than two classes.
 */
export function predictBatch(columns) {
  let n = 0;
  PLAN.features.forEach((spec, j) => {
    const column = columns[spec.name];
    if (column === undefined || column === null || typeof column.length !== 'number') {
      throw fail('unknown_column', 'Unknown column "' + spec.name + '"', { column: spec.name });
    }
    if (j === 0) n = column.length;
    else if (column.length !== n) throw fail('length_mismatch', 'Column "' + spec.name + '" has ' + column.length + ' rows, expected ' + n);
  });
  const out = new Float64Array(n * PLAN.width);
  const reads = PLAN.bases.map((base) => base.features.map((spec) => columns[spec.name]));
  for (let i = 0; i < n; i++) {
    PLAN.bases.forEach((base, b) => {
      const read = reads[b];
      base.features.forEach((spec, f) => (base.x[f] = readColumnValue(spec, read[f][i])));
    });
    scoreFilled(out, i * PLAN.width);
  }
  return out;
}
`;
