// An early, readable refusal of SQL that is not one plain SELECT. The real guards are the database user's own
// permissions and the read-only transaction every connector opens; this check only gives the caller a clear error.

import { badRequest } from '../errors.js';
import type { ConnectorKind } from './connector.js';

type Token = { kind: 'word'; upper: string } | { kind: 'open' | 'close' | 'semicolon' | 'other' };

const STATEMENT_WORDS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'VALUES', 'TABLE']);
const LOCKING_CLAUSES = [
  ['FOR', 'UPDATE'],
  ['FOR', 'SHARE'],
  ['FOR', 'NO', 'KEY', 'UPDATE'],
  ['FOR', 'KEY', 'SHARE'],
  ['LOCK', 'IN', 'SHARE', 'MODE'],
];

/**
 * Throws 400 `not_a_select` unless `sql` is one SELECT (or WITH … SELECT), optionally ended by one `;`. Comments,
 * string literals and quoted identifiers are set aside first, using the lexical rules of `kind`; without a kind the
 * text must pass under both PostgreSQL's and MySQL's rules, so neither can hide a second statement from the check.
 */
export function checkSingleSelect(sql: string, kind?: ConnectorKind): void {
  for (const dialect of kind === undefined ? (['postgres', 'mysql'] as const) : [kind]) {
    checkTokens(tokenize(sql, dialect));
  }
}

function notASelect(reason: string): Error {
  return badRequest('not_a_select', `Only a single SELECT statement can be snapshotted: ${reason}`, { reason });
}

function checkTokens(all: Token[]): void {
  const tokens = all.at(-1)?.kind === 'semicolon' ? all.slice(0, -1) : all;
  if (tokens.some((token) => token.kind === 'semicolon')) throw notASelect('it holds more than one statement.');
  let leadingParens = 0;
  while (tokens[leadingParens]?.kind === 'open') leadingParens++;
  const first = tokens[leadingParens];
  if (first === undefined) throw notASelect('it is empty.');
  const firstWord = first.kind === 'word' ? first.upper : '';
  if (firstWord !== 'SELECT' && firstWord !== 'WITH') throw notASelect(`it starts with '${firstWord || 'a symbol'}'.`);
  if (firstWord === 'WITH') checkMainStatement(tokens, leadingParens);
  const words = tokens.map((token) => (token.kind === 'word' ? token.upper : ''));
  words.forEach((word, i) => {
    if (word === 'INTO' && words[i - 1] !== 'INSERT' && words[i - 1] !== 'MERGE') {
      throw notASelect('SELECT … INTO writes its result.');
    }
    for (const clause of LOCKING_CLAUSES) {
      if (clause.every((part, j) => words[i + j] === part)) throw notASelect(`${clause.join(' ')} locks rows.`);
    }
  });
}

/** After WITH, the first statement keyword outside the CTE bodies (which sit in parentheses) is the main statement. */
function checkMainStatement(tokens: Token[], depth: number): void {
  let level = 0;
  for (const token of tokens) {
    if (token.kind === 'open') level++;
    else if (token.kind === 'close') level--;
    else if (token.kind === 'word' && level === depth && STATEMENT_WORDS.has(token.upper)) {
      if (token.upper === 'SELECT') return;
      throw notASelect(`WITH is followed by ${token.upper}.`);
    }
  }
  throw notASelect('WITH is not followed by SELECT.');
}

const WORD = /[\p{L}_][\p{L}\p{N}_$]*/uy;
const DOLLAR_TAG = /\$(?:[\p{L}_][\p{L}\p{N}_]*)?\$/uy;

function tokenize(sql: string, dialect: ConnectorKind): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const skipTo = (end: string, from: number): number => {
    const at = sql.indexOf(end, from);
    return at < 0 ? sql.length : at + end.length;
  };
  while (i < sql.length) {
    const c = sql[i] ?? '';
    const next = sql[i + 1] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && next === '-' && (dialect === 'postgres' || /[\s\p{Cc}]|^$/u.test(sql[i + 2] ?? ''))) {
      i = skipTo('\n', i);
    } else if (c === '#' && dialect === 'mysql') {
      i = skipTo('\n', i);
    } else if (c === '/' && next === '*') {
      if (dialect === 'mysql' && /^\/\*M?!/.test(sql.slice(i, i + 4))) {
        throw notASelect('MySQL executable comments (/*! … */) are not allowed.');
      }
      i = dialect === 'postgres' ? skipNestedComment(sql, i) : skipTo('*/', i + 2);
    } else if (c === "'" || (c === '"' && dialect === 'mysql')) {
      const previous = tokens.at(-1);
      const escapes =
        dialect === 'mysql' || (previous?.kind === 'word' && previous.upper === 'E' && /[eE]/.test(sql[i - 1] ?? ''));
      if (escapes && previous?.kind === 'word' && previous.upper === 'E' && dialect === 'postgres') tokens.pop();
      i = skipQuoted(sql, i, c, escapes);
      tokens.push({ kind: 'other' });
    } else if (c === '"' || (c === '`' && dialect === 'mysql')) {
      i = skipQuoted(sql, i, c, false);
      tokens.push({ kind: 'other' });
    } else if (c === '$' && dialect === 'postgres' && matchAt(DOLLAR_TAG, sql, i) !== undefined) {
      const tag = matchAt(DOLLAR_TAG, sql, i) ?? '';
      i = skipTo(tag, i + tag.length);
      tokens.push({ kind: 'other' });
    } else if (matchAt(WORD, sql, i) !== undefined) {
      const word = matchAt(WORD, sql, i) ?? '';
      tokens.push({ kind: 'word', upper: word.toUpperCase() });
      i += word.length;
    } else {
      if (c === '(') tokens.push({ kind: 'open' });
      else if (c === ')') tokens.push({ kind: 'close' });
      else if (c === ';') tokens.push({ kind: 'semicolon' });
      else if (tokens.at(-1)?.kind !== 'other') tokens.push({ kind: 'other' });
      i++;
    }
  }
  return tokens;
}

function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

/** A quoted string or identifier; a doubled quote stays inside, and so does a backslash-escaped one if `escapes`. */
function skipQuoted(sql: string, start: number, quote: string, escapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (escapes && c === '\\') i += 2;
    else if (c === quote && sql[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  return sql.length;
}

/** PostgreSQL block comments nest. */
function skipNestedComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return sql.length;
}
