// The filter language of experiment and registry searches: `name LIKE 'a%' AND tags.team = 'risk'` (AND only),
// parsed into clauses; a refusal names the position where the filter went wrong.

import { invalidParameter } from './mlflow-error.js';

export type SearchComparator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE' | 'IN';

export interface SearchClause {
  entity: 'attribute' | 'tag';
  key: string;
  comparator: SearchComparator;
  value: string | number | string[];
  position: number;
}

interface Token {
  kind: 'name' | 'string' | 'number' | 'op' | 'punct' | 'end';
  text: string;
  start: number;
}

const fail = (source: string, position: number, what: string) =>
  invalidParameter(`Invalid filter string '${source}' at position ${position}: ${what}`);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"' || c === '`') {
      let text = '';
      i += 1;
      while (i < source.length && source[i] !== c) text += source[i++];
      if (i >= source.length) throw fail(source, start, 'unterminated quoted text');
      i += 1;
      tokens.push({ kind: c === '`' ? 'name' : 'string', text, start });
    } else if (/[<>=!]/.test(c)) {
      const two = source.slice(i, i + 2);
      const op = ['<=', '>=', '!='].includes(two) ? two : c;
      if (op === '!') throw fail(source, start, "expected '!='");
      i += op.length;
      tokens.push({ kind: 'op', text: op, start });
    } else if (c === '(' || c === ')' || c === ',') {
      i += 1;
      tokens.push({ kind: 'punct', text: c, start });
    } else if (/[-\d]/.test(c)) {
      const match = /^-?\d+(\.\d+)?/.exec(source.slice(i));
      if (!match) throw fail(source, start, `unexpected '${c}'`);
      i += match[0].length;
      tokens.push({ kind: 'number', text: match[0], start });
    } else if (/[\w.]/.test(c)) {
      const match = /^[\w.]+/.exec(source.slice(i))!;
      i += match[0].length;
      // `tags.` followed by a quoted key.
      if (match[0].endsWith('.') && /['"`]/.test(source[i] ?? '')) {
        const quote = source[i]!;
        const close = source.indexOf(quote, i + 1);
        if (close < 0) throw fail(source, i, 'unterminated quoted name');
        tokens.push({ kind: 'name', text: match[0] + source.slice(i + 1, close), start });
        i = close + 1;
      } else tokens.push({ kind: 'name', text: match[0], start });
    } else throw fail(source, start, `unexpected '${c}'`);
  }
  tokens.push({ kind: 'end', text: '', start: source.length });
  return tokens;
}

/** Parses a filter; `attributes` maps each allowed attribute to whether it is numeric (a time) or text. */
export function parseSearchFilter(
  source: string | undefined,
  attributes: Record<string, 'text' | 'number'>,
  allowIn = false,
): SearchClause[] {
  if (source === undefined || source.trim() === '') return [];
  const tokens = tokenize(source);
  const clauses: SearchClause[] = [];
  let i = 0;
  const next = () => tokens[i++]!;
  for (;;) {
    const name = next();
    if (name.kind !== 'name') throw fail(source, name.start, 'expected a name such as name or tags.<key>');
    let entity: SearchClause['entity'] = 'attribute';
    let key = name.text;
    const dot = key.indexOf('.');
    if (dot >= 0) {
      const prefix = key.slice(0, dot);
      key = key.slice(dot + 1);
      if (prefix === 'tags' || prefix === 'tag') entity = 'tag';
      else if (prefix !== 'attribute' && prefix !== 'attributes') {
        throw fail(source, name.start, `unknown entity '${prefix}'; use tags.<key> or an attribute`);
      }
    }
    const kind = entity === 'tag' ? 'text' : attributes[key];
    if (kind === undefined) {
      throw fail(source, name.start, `unknown attribute '${key}'; valid are ${Object.keys(attributes).join(', ')}`);
    }
    const opToken = next();
    const word = opToken.kind === 'name' ? opToken.text.toUpperCase() : opToken.text;
    const allowed: SearchComparator[] =
      kind === 'number'
        ? ['=', '!=', '<', '<=', '>', '>=']
        : allowIn
          ? ['=', '!=', 'LIKE', 'ILIKE', 'IN']
          : ['=', '!=', 'LIKE', 'ILIKE'];
    if (!(allowed as string[]).includes(word)) {
      throw fail(source, opToken.start, `expected one of ${allowed.join(', ')} after '${name.text}'`);
    }
    const comparator = word as SearchComparator;
    let value: SearchClause['value'];
    if (comparator === 'IN') {
      if (next().text !== '(') throw fail(source, tokens[i - 1]!.start, "expected '(' after IN");
      const list: string[] = [];
      for (;;) {
        const item = next();
        if (item.kind !== 'string') throw fail(source, item.start, 'expected a quoted value in the list');
        list.push(item.text);
        const sep = next();
        if (sep.text === ')') break;
        if (sep.text !== ',') throw fail(source, sep.start, "expected ',' or ')'");
      }
      value = list;
    } else {
      const v = next();
      if (kind === 'number') {
        if (v.kind !== 'number') throw fail(source, v.start, 'expected a number');
        value = Number(v.text);
      } else {
        if (v.kind !== 'string') throw fail(source, v.start, 'expected a quoted value');
        value = v.text;
      }
    }
    clauses.push({ entity, key, comparator, value, position: name.start });
    const joiner = next();
    if (joiner.kind === 'end') return clauses;
    if (joiner.kind !== 'name' || joiner.text.toUpperCase() !== 'AND') {
      throw fail(source, joiner.start, 'expected AND between clauses (OR is not supported)');
    }
  }
}

/** `key [ASC|DESC]` items of an order_by list over the given keys. */
export function parseSearchOrder(items: string[], keys: string[]): { key: string; ascending: boolean }[] {
  return items.map((item) => {
    const match = /^\s*(?:attributes?\.)?`?([\w]+)`?\s*(ASC|DESC)?\s*$/i.exec(item);
    if (!match || !keys.includes(match[1]!)) {
      throw invalidParameter(`Invalid order_by clause '${item}'. Valid keys are ${keys.join(', ')}.`);
    }
    return { key: match[1]!, ascending: (match[2] ?? 'ASC').toUpperCase() === 'ASC' };
  });
}

/** A SQL LIKE pattern matched in memory (`%` any run, `_` one character). */
export function likeMatches(value: string, pattern: string, insensitive: boolean): boolean {
  let regex = '^';
  for (const c of pattern) regex += c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${regex}$`, insensitive ? 'is' : 's').test(value);
}
