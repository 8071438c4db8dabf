// Parses MLflow's run search language (filter_string and order_by) into typed clauses, refusing what MLflow 2.17 refuses.

import { type Token, tokenize } from './run-filter-lexer.js';

export type FilterEntity = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';
export type Comparator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';

export interface FilterClause {
  entity: FilterEntity;
  /** For attributes the canonical name: run_id, run_name, status, user_id, start_time, end_time, artifact_uri. */
  key: string;
  comparator: Comparator;
  value: number | string | string[];
  /** 0-based offset of the clause in the filter text, for error reporting. */
  position: number;
}

export interface OrderKey {
  entity: FilterEntity;
  key: string;
  ascending: boolean;
}

export interface FilterSyntaxErrorOptions {
  position?: number;
  /** What to do about it, in our words; appended after MLflow's text. */
  hint?: string;
  /** The text that was parsed, to build the caret excerpt. */
  source?: string;
  orderByIndex?: number;
}

/** A refused filter or order_by. MLflow answers these with 400 INVALID_PARAMETER_VALUE. */
export class FilterSyntaxError extends Error {
  /** 0-based offset of the offending token (in the order_by item when orderByIndex is set). */
  readonly position: number | undefined;
  /** MLflow's own text, which `message` starts with; the MLflow-compatible endpoint can answer with it alone. */
  readonly mlflowMessage: string;
  /** The offending line with a caret under the offending token. */
  readonly excerpt: string | undefined;
  readonly orderByIndex: number | undefined;

  constructor(mlflowMessage: string, options: FilterSyntaxErrorOptions = {}) {
    const { position, hint, source, orderByIndex } = options;
    const where =
      position === undefined
        ? undefined
        : `at position ${position}${orderByIndex === undefined ? '' : ` of order_by[${orderByIndex}]`}`;
    const detail = [where, hint].filter((part) => part !== undefined).join('; ');
    super(detail === '' ? mlflowMessage : `${mlflowMessage} (${detail})`);
    this.name = 'FilterSyntaxError';
    this.mlflowMessage = mlflowMessage;
    this.position = position;
    this.orderByIndex = orderByIndex;
    this.excerpt = source === undefined || position === undefined ? undefined : caretExcerpt(source, position);
  }
}

function caretExcerpt(source: string, position: number): string {
  const lineStart = source.lastIndexOf('\n', position - 1) + 1;
  const lineEnd = source.indexOf('\n', position);
  const line = source.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  return `${line}\n${' '.repeat(position - lineStart)}^`;
}

const ENTITY_NAMES = new Map<string, FilterEntity>([
  ['metric', 'metric'],
  ['metrics', 'metric'],
  ['parameter', 'param'],
  ['parameters', 'param'],
  ['param', 'param'],
  ['params', 'param'],
  ['tag', 'tag'],
  ['tags', 'tag'],
  ['attribute', 'attribute'],
  ['attributes', 'attribute'],
  ['attr', 'attribute'],
  ['run', 'attribute'],
  ['dataset', 'dataset'],
  ['datasets', 'dataset'],
]);
/** RunInfo's searchable attributes in MLflow 2.17; lifecycle_stage is chosen by run_view_type instead. */
const ATTRIBUTES = ['artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id'];
const NUMERIC_ATTRIBUTES = new Set(['start_time', 'end_time']);
const FILTER_ATTRIBUTE_ALIASES = new Map([
  ['created', 'start_time'],
  ['Created', 'start_time'],
  ['run name', 'run_name'],
  ['Run name', 'run_name'],
  ['Run Name', 'run_name'],
]);
// MLflow's order_by accepts the start_time aliases but not the run name ones.
const ORDER_ATTRIBUTE_ALIASES = new Map([
  ['created', 'start_time'],
  ['Created', 'start_time'],
]);
const DATASET_KEYS = ['name', 'digest', 'context'];

const NUMERIC_COMPARATORS: Comparator[] = ['=', '!=', '>', '>=', '<', '<='];
const STRING_COMPARATORS: Comparator[] = ['=', '!=', 'LIKE', 'ILIKE'];
const LIST_COMPARATORS: Comparator[] = [...STRING_COMPARATORS, 'IN', 'NOT IN'];
const WORD_COMPARATORS = new Set(['LIKE', 'ILIKE', 'IN', 'RLIKE', 'REGEXP']);

const quoted = (items: readonly string[]): string => `'{${items.map((item) => `'${item}'`).join(', ')}}'`;
const INVALID_IDENTIFIER = (text: string): string =>
  `Invalid identifier '${text}'. Columns should be specified as 'attribute.<key>', 'metric.<key>', 'tag.<key>', ` +
  `'dataset.<key>', or 'param.'.`;
const LIST_PREFIX = 'While parsing a list in the query, expected';

class Cursor {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index += 1;
    return token;
  }
}

const end = (token: Token): number => token.start + token.text.length;
const isPunct = (token: Token, text: string): boolean => token.kind === 'punct' && token.text === text;

/** How errors read in the filter versus in one order_by item. */
interface Context {
  source: string;
  mode: 'filter' | 'order_by';
  aliases: ReadonlyMap<string, string>;
  fail(mlflowMessage: string, position: number, hint?: string): FilterSyntaxError;
  /** MLflow's generic refusal for a token that does not fit; `shown` replaces the token text (for the end). */
  syntax(token: Token, hint: string, shown?: string): FilterSyntaxError;
}

interface Identifier {
  entity: FilterEntity;
  key: string;
  /** The key as written (before alias translation), for MLflow's messages. */
  writtenKey: string;
  start: number;
}

/** A name as written: its segments split at periods, not yet checked against MLflow's entity and attribute lists. */
interface RawName {
  segments: Token[];
  start: number;
  text: string;
}

function readName(cursor: Cursor, ctx: Context): RawName {
  const first = cursor.peek();
  const joiner = first.kind === 'word' && /^(and|or)$/i.test(first.text) && !isPunct(cursor.peek(1), '.');
  if (joiner || !(first.kind === 'word' || (first.kind === 'string' && first.quote !== "'"))) {
    if (ctx.mode === 'filter' && (first.kind === 'number' || first.kind === 'string')) {
      throw ctx.fail(
        `Invalid comparison clause. Expected 'Identifier' found '${first.text}'`,
        first.start,
        'a clause starts with a name such as metrics.auc',
      );
    }
    const hint = 'expected a name such as metrics.auc, params.model or attributes.status';
    throw ctx.syntax(first, hint, first.kind === 'eof' ? ctx.source.trim() : undefined);
  }
  const segments: Token[] = [cursor.next()];
  while (isPunct(cursor.peek(), '.') && cursor.peek().start === end(segments[segments.length - 1] as Token)) {
    const dot = cursor.next();
    const segment = cursor.peek();
    const adjacent = segment.start === end(dot);
    if (adjacent && segment.kind === 'unterminated') throw ctx.syntax(segment, `unterminated quoted name`);
    if (adjacent && (segment.kind === 'word' || segment.kind === 'string')) {
      segments.push(cursor.next());
      continue;
    }
    const digit = adjacent && segment.kind === 'number';
    const text = ctx.source.slice(first.start, digit ? end(segment) : end(dot));
    const prefix = ctx.source.slice(first.start, end(dot));
    throw ctx.fail(
      INVALID_IDENTIFIER(text),
      digit ? segment.start : end(dot),
      digit
        ? `a name that starts with a digit must be quoted, e.g. ${prefix}"${segment.text}"`
        : 'a name must follow the period',
    );
  }
  const last = segments[segments.length - 1] as Token;
  return { segments, start: first.start, text: ctx.source.slice(first.start, end(last)) };
}

/** MLflow's SearchUtils._get_identifier: entity aliases, attribute and dataset keys. */
function resolveName(ctx: Context, name: RawName): Identifier {
  const [first, ...rest] = name.segments as [Token, ...Token[]];
  const nameOf = (token: Token): string => (token.kind === 'string' ? token.value : token.text);
  let entity: FilterEntity = 'attribute';
  let keyToken = first;
  let key = nameOf(first);
  if (rest.length > 0) {
    const entityName = first.kind === 'string' && first.quote === '`' ? first.value : first.text;
    const found = ENTITY_NAMES.get(entityName);
    if (found === undefined) {
      throw ctx.fail(
        `Invalid entity type '${entityName}'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']`,
        first.start,
        'use metrics., params., tags., attributes. or datasets.',
      );
    }
    entity = found;
    keyToken = rest[0] as Token;
    if (rest.length > 1 && rest.some((segment) => segment.kind !== 'word')) {
      throw ctx.fail(INVALID_IDENTIFIER(name.text), keyToken.start, `quote the whole name, e.g. ${entityName}."a.b"`);
    }
    key = rest.length === 1 ? nameOf(keyToken) : rest.map((segment) => segment.text).join('.');
  }

  if (entity === 'attribute') {
    const canonical = ctx.aliases.get(key) ?? (ATTRIBUTES.includes(key) ? key : undefined);
    if (canonical === undefined) {
      const hint =
        key === 'lifecycle_stage'
          ? 'the lifecycle stage is chosen with run_view_type, not in the filter'
          : rest.length === 0
            ? `a name without a prefix is an attribute; did you mean metrics.${key}, params.${key} or tags.${key}?`
            : undefined;
      throw ctx.fail(
        `Invalid attribute key '${key}' specified. Valid keys are ${quoted(ATTRIBUTES)}`,
        keyToken.start,
        hint,
      );
    }
    return { entity, key: canonical, writtenKey: key, start: name.start };
  }
  if (entity === 'dataset' && !DATASET_KEYS.includes(key)) {
    throw ctx.fail(`Invalid dataset key '${key}' specified. Valid keys are ${quoted(DATASET_KEYS)}`, keyToken.start);
  }
  return { entity, key, writtenKey: key, start: name.start };
}

interface ComparatorToken {
  text: string;
  token: Token;
}

function readComparator(cursor: Cursor, ctx: Context, name: RawName): ComparatorToken {
  const token = cursor.peek();
  let text: string | undefined;
  if (token.kind === 'op') {
    text = cursor.next().text;
  } else if (token.kind === 'word') {
    const upper = token.text.toUpperCase();
    const following = cursor.peek(1);
    const second = following.kind === 'word' ? following.text.toUpperCase() : '';
    if (WORD_COMPARATORS.has(upper)) {
      text = cursor.next().text.toUpperCase();
    } else if (upper === 'NOT' && WORD_COMPARATORS.has(second)) {
      cursor.next();
      cursor.next();
      text = `NOT ${second}`;
    }
  }
  if (text === undefined) {
    const special = token.kind === 'other' && token.start === end(name.segments[name.segments.length - 1] as Token);
    const [first, ...rest] = name.segments as [Token, ...Token[]];
    const example =
      rest.length === 0
        ? `"${name.text}${token.text}…"`
        : `${first.text}."${ctx.source.slice(rest[0]?.start, token.start)}${token.text}…"`;
    const hint = special
      ? `a name with special characters must be quoted, e.g. ${example}`
      : `expected a comparator (${[...NUMERIC_COMPARATORS, ...LIST_COMPARATORS.slice(2)].join(', ')}) after '${name.text}'`;
    throw ctx.syntax(token, hint, token.kind === 'eof' ? ctx.source.slice(name.start).trim() : undefined);
  }
  return { text, token };
}

function comparatorsFor(id: Identifier): Comparator[] {
  if (id.entity === 'metric') return NUMERIC_COMPARATORS;
  if (id.entity === 'param' || id.entity === 'tag') return STRING_COMPARATORS;
  if (id.entity === 'attribute' && NUMERIC_ATTRIBUTES.has(id.key)) return NUMERIC_COMPARATORS;
  return LIST_COMPARATORS;
}

interface ListProblem {
  message: string;
  position: number;
  hint: string;
}

type Value =
  | { kind: 'number'; text: string; start: number; number: number }
  | { kind: 'quoted'; text: string; start: number; string: string }
  | { kind: 'bare'; text: string; start: number }
  | { kind: 'list'; text: string; start: number; items: string[]; problem: ListProblem | undefined };

function readValue(cursor: Cursor, ctx: Context, clauseStart: number, comparator: string): Value {
  const token = cursor.peek();
  const afterComparator = `expected a value after '${comparator}'`;
  if ((comparator === 'IN' || comparator === 'NOT IN') && !isPunct(token, '(')) {
    const shown = token.kind === 'eof' ? ctx.source.slice(clauseStart).trim() : undefined;
    throw ctx.syntax(token, `${comparator} takes a parenthesized list of quoted strings, e.g. ('a', 'b')`, shown);
  }
  switch (token.kind) {
    case 'number':
      cursor.next();
      return { kind: 'number', text: token.text, start: token.start, number: Number(token.text) + 0 };
    case 'string':
      cursor.next();
      return token.quote === '`'
        ? { kind: 'bare', text: token.text, start: token.start }
        : { kind: 'quoted', text: token.text, start: token.start, string: token.value };
    case 'word': {
      // A bare dotted name (metrics.acc) is kept whole so the refusal quotes what was written.
      let last = cursor.next();
      while (isPunct(cursor.peek(), '.') && cursor.peek().start === end(last)) {
        const after = cursor.peek(1);
        if (after.start !== end(cursor.peek()) || (after.kind !== 'word' && after.kind !== 'number')) break;
        cursor.next();
        last = cursor.next();
      }
      return { kind: 'bare', text: ctx.source.slice(token.start, end(last)), start: token.start };
    }
    case 'unterminated':
      throw ctx.syntax(token, `unterminated quoted string; close it with ${token.quote}`);
    case 'eof':
      throw ctx.syntax(token, afterComparator, ctx.source.slice(clauseStart).trim());
    default:
      if (isPunct(token, '(')) return readList(cursor, ctx);
      throw ctx.syntax(token, afterComparator);
  }
}

/** Reads `( 'a', 'b' )`; shape problems are kept for later, because MLflow first checks that the key takes a list. */
function readList(cursor: Cursor, ctx: Context): Value {
  const open = cursor.next();
  const items: string[] = [];
  let problem: { kind: 'type' | 'shape'; position: number; hint: string } | undefined;
  let expectItem = true;
  let close: Token;
  for (;;) {
    const token = cursor.next();
    if (token.kind === 'eof') throw ctx.syntax(open, "missing ')' to close the list", ctx.source.slice(open.start));
    if (token.kind === 'unterminated')
      throw ctx.syntax(token, `unterminated quoted string; close it with ${token.quote}`);
    if (isPunct(token, ')')) {
      if (expectItem && (items.length > 0 || problem !== undefined)) {
        problem ??= { kind: 'shape', position: token.start, hint: 'a comma must be followed by an item' };
      }
      close = token;
      break;
    }
    if (expectItem) {
      if (token.kind === 'string' && token.quote === "'") items.push(token.value);
      else problem ??= { kind: 'type', position: token.start, hint: 'list items must be single-quoted strings' };
      expectItem = false;
    } else if (isPunct(token, ',')) {
      expectItem = true;
    } else {
      problem ??= { kind: 'shape', position: token.start, hint: 'separate list items with commas' };
    }
  }
  const text = ctx.source.slice(open.start, end(close));
  let listProblem: ListProblem | undefined;
  if (problem?.kind === 'type') {
    const message = `${LIST_PREFIX} string value, punctuation, or whitespace, but got different type in list: ${text}`;
    listProblem = { message, position: problem.position, hint: problem.hint };
  } else if (problem !== undefined) {
    const message = `${LIST_PREFIX} a non-empty list of string values, but got ill-formed list.`;
    listProblem = { message, position: problem.position, hint: problem.hint };
  } else if (items.length === 0) {
    const message = `${LIST_PREFIX} a non-empty list of string values, but got empty list`;
    listProblem = { message, position: open.start, hint: 'give at least one quoted value' };
  }
  return { kind: 'list', text, start: open.start, items, problem: listProblem };
}

/** The value checks of MLflow's SearchUtils._get_value, in its order, with its texts. */
function checkValue(ctx: Context, id: Identifier, value: Value): number | string | string[] {
  const notQuoted = (): FilterSyntaxError =>
    ctx.fail(
      `Parameter value is either not quoted or unidentified quote types used for string value ${value.text}. ` +
        'Use either single or double quotes.',
      value.start,
    );
  const list = (): string[] => {
    if (value.kind !== 'list') return [];
    if (value.problem !== undefined) throw ctx.fail(value.problem.message, value.problem.position, value.problem.hint);
    return value.items;
  };
  const numeric = id.entity === 'metric' || (id.entity === 'attribute' && NUMERIC_ATTRIBUTES.has(id.key));
  if (numeric) {
    if (value.kind === 'number' && Number.isFinite(value.number)) return value.number;
    const hint =
      value.kind === 'number'
        ? 'the number is out of range'
        : value.kind === 'quoted'
          ? `numbers are written without quotes, e.g. ${value.string}`
          : undefined;
    const message =
      id.entity === 'metric'
        ? `Expected numeric value type for metric. Found ${value.text}`
        : `Expected numeric value type for numeric attribute: ${id.writtenKey}. Found ${value.text}`;
    throw ctx.fail(message, value.start, hint);
  }
  if (value.kind === 'quoted') return value.string;
  if (value.kind === 'bare') throw notQuoted();
  if (id.entity === 'param' || id.entity === 'tag') {
    const type = id.entity === 'param' ? 'parameter' : 'tag';
    throw ctx.fail(
      `Expected a quoted string value for ${type} (e.g. 'my-value'). Got value ${value.text}`,
      value.start,
      value.kind === 'number' ? `${type}s are strings: write '${value.text}'` : undefined,
    );
  }
  if (id.entity === 'attribute') {
    if (value.kind === 'number') {
      throw ctx.fail(`Expected a quoted string value for attributes. Got value ${value.text}`, value.start);
    }
    if (id.key !== 'run_id') {
      throw ctx.fail(
        "Only the 'run_id' attribute supports comparison with a list of quoted string values.",
        value.start,
      );
    }
    return list();
  }
  if (value.kind === 'number') {
    throw ctx.fail(`Expected a quoted string value for dataset attributes. Got value ${value.text}`, value.start);
  }
  return list();
}

interface RawClause {
  name: RawName;
  comparator: ComparatorToken;
  value: Value;
}

function readClause(cursor: Cursor, ctx: Context): RawClause {
  const name = readName(cursor, ctx);
  const comparator = readComparator(cursor, ctx, name);
  return { name, comparator, value: readValue(cursor, ctx, name.start, comparator.text) };
}

/** MLflow's query-time check: the comparator must suit the entity, and a list needs IN or NOT IN. */
function checkComparator(ctx: Context, id: Identifier, comparator: ComparatorToken, value: unknown): Comparator {
  const allowed = comparatorsFor(id);
  if (!(allowed as string[]).includes(comparator.text)) {
    throw ctx.fail(`Invalid comparator '${comparator.text}' not one of ${quoted(allowed)}`, comparator.token.start);
  }
  if (Array.isArray(value) && comparator.text !== 'IN' && comparator.text !== 'NOT IN') {
    throw ctx.fail(
      `Invalid comparator '${comparator.text}' not one of ${quoted(['IN', 'NOT IN'])}`,
      comparator.token.start,
      'a list of values is compared with IN or NOT IN',
    );
  }
  return comparator.text as Comparator;
}

/** Parses a filter_string; '' or undefined (or only whitespace, as in MLflow) means no clauses. */
export function parseRunFilter(text: string | undefined): FilterClause[] {
  if (text === undefined || text.trim() === '') return [];
  const ctx: Context = {
    source: text,
    mode: 'filter',
    aliases: FILTER_ATTRIBUTE_ALIASES,
    fail: (message, position, hint) => new FilterSyntaxError(message, { position, hint, source: text }),
    syntax: (token, hint, shown) =>
      new FilterSyntaxError(`Invalid clause(s) in filter string: '${shown ?? token.text}'`, {
        position: token.start,
        hint,
        source: text,
      }),
  };
  // Like MLflow: the shape of the whole filter first, then each clause's name and value, then the comparators.
  const raw = readClauses(new Cursor(tokenize(text)), ctx);
  const resolved = raw.map((clause) => {
    const id = resolveName(ctx, clause.name);
    return { clause, id, value: checkValue(ctx, id, clause.value) };
  });
  return resolved.map(({ clause, id, value }) => ({
    entity: id.entity,
    key: id.key,
    comparator: checkComparator(ctx, id, clause.comparator, value),
    value,
    position: id.start,
  }));
}

function readClauses(cursor: Cursor, ctx: Context): RawClause[] {
  const clauses: RawClause[] = [readClause(cursor, ctx)];
  const text = ctx.source;
  for (;;) {
    const token = cursor.next();
    if (token.kind === 'eof') return clauses;
    if (token.kind === 'word' && token.text.toUpperCase() === 'AND') {
      if (cursor.peek().kind === 'eof') throw ctx.syntax(token, 'a clause must follow AND');
      clauses.push(readClause(cursor, ctx));
      continue;
    }
    if (isPunct(token, ';') && cursor.peek().kind !== 'eof') {
      throw ctx.fail(
        `Search filter contained multiple expression '${text}'. Provide AND-ed expression list.`,
        token.start,
        'join clauses with AND instead of ;',
      );
    }
    const hint =
      token.kind === 'word' && token.text.toUpperCase() === 'OR'
        ? 'OR is not supported, only AND joins clauses'
        : 'expected AND or the end of the filter';
    throw ctx.syntax(token, hint);
  }
}

function parseOrderItem(item: string, index: number): OrderKey {
  const couldNotParse = `Invalid order_by clause '${item}'. Could not be parsed.`;
  const ctx: Context = {
    source: item,
    mode: 'order_by',
    aliases: ORDER_ATTRIBUTE_ALIASES,
    fail: (message, position, hint) =>
      new FilterSyntaxError(message, { position, hint, source: item, orderByIndex: index }),
    syntax: (token, hint) =>
      new FilterSyntaxError(couldNotParse, { position: token.start, hint, source: item, orderByIndex: index }),
  };
  const cursor = new Cursor(tokenize(item));
  const name = readName(cursor, ctx);
  let ascending = true;
  const direction = cursor.peek();
  if (direction.kind !== 'eof') {
    const after = cursor.peek(1);
    if (direction.kind !== 'word' || after.kind !== 'eof') {
      throw ctx.syntax(direction.kind === 'word' ? after : direction, 'expected a name followed by ASC or DESC');
    }
    const upper = direction.text.toUpperCase();
    if (upper !== 'ASC' && upper !== 'DESC') {
      throw ctx.fail(`Invalid ordering key in order_by clause '${item}'.`, direction.start, 'expected ASC or DESC');
    }
    ascending = upper === 'ASC';
  }
  const id = resolveName(ctx, name);
  if (id.entity === 'dataset') {
    throw ctx.fail(
      `Invalid identifier type '${id.entity}'`,
      id.start,
      'runs are ordered by metrics, params, tags or attributes',
    );
  }
  return { entity: id.entity, key: id.key, ascending };
}

/** Parses search order_by items such as `metrics.auc DESC`; each item is one key, ascending unless DESC. */
export function parseOrderBy(items: string[] | undefined): OrderKey[] {
  return (items ?? []).map((item, index) => parseOrderItem(item, index));
}
