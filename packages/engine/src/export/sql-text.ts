// SQL text for the exported scorers: quoted identifiers and strings, exact double literals, guarded exp, safe names.

/** The databases the SQL export targets; both read the same text except where noted. */
export type SqlDialect = 'duckdb' | 'postgres';

/** A double-quoted identifier; any name (quotes, spaces, keywords) is safe. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A single-quoted string literal (standard_conforming_strings: backslashes are plain characters). */
export function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * A double literal with the exact bits of `x`. Why a string cast: PostgreSQL reads `1.5` as numeric and DuckDB as
 * DECIMAL, whose conversion to double may round differently; both read a string as double with correct rounding, and
 * JavaScript's `String(x)` round-trips exactly (exponent form included).
 */
export function sqlDouble(x: number): string {
  let text: string;
  if (Number.isNaN(x)) text = 'NaN';
  else if (x === Infinity) text = 'Infinity';
  else if (x === -Infinity) text = '-Infinity';
  else if (Object.is(x, -0)) text = '-0';
  else text = String(x);
  return `'${text}'::float8`;
}

/** `portableExp` returns 0 below this (PostgreSQL's exp raises an underflow error instead). */
const EXP_UNDERFLOW = -7.4513321910194110842e2;
/** `portableExp` returns Infinity above this (PostgreSQL's exp raises an overflow error instead). */
const EXP_OVERFLOW = 7.09782712893383973096e2;

/** exp of a column reference (evaluated several times, so pass a reference, not an expression), saturating as the engine does. */
export function sqlExp(ref: string, { nonPositive = false } = {}): string {
  const low = `WHEN ${ref} < ${sqlDouble(EXP_UNDERFLOW)} THEN ${sqlDouble(0)}`;
  const high = nonPositive ? '' : ` WHEN ${ref} > ${sqlDouble(EXP_OVERFLOW)} THEN ${sqlDouble(Infinity)}`;
  return `CASE ${low}${high} ELSE exp(${ref}) END`;
}

/** The characters JavaScript's String.prototype.trim removes, as a SQL expression (for the boolean spellings). */
export const JS_WHITESPACE = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007,
  0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff,
]
  .map((code) => `chr(${code})`)
  .join(' || ');

/** Lower-case ASCII letters, digits and `_`, at most `max` characters: a name any SQL database keeps as written. */
export function sanitiseName(text: string, max = 48): string {
  const clean = text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return (clean === '' ? 'x' : clean).slice(0, max);
}

/** Hands out names unique within one statement (so later steps can never confuse two columns). */
export class NameAllocator {
  readonly #used = new Set<string>();

  /** `avoid`: lower-case names the result must not equal either (DuckDB matches identifiers case-insensitively). */
  fresh(base: string, avoid: ReadonlySet<string> = new Set()): string {
    const root = sanitiseName(base);
    let name = root;
    for (let n = 2; this.#used.has(name) || avoid.has(name); n++) name = `${root}_${n}`;
    this.#used.add(name);
    return name;
  }
}

/** One line of a `--` comment; JSON escapes keep a name with a line break from ending the comment. */
export function commentText(value: string): string {
  return JSON.stringify(value);
}
