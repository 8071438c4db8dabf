// Splits a run filter or order_by text into positioned tokens; it never throws, so the parser decides what is wrong.

export type TokenKind = 'word' | 'number' | 'string' | 'op' | 'punct' | 'unterminated' | 'other' | 'eof';
export type Quote = '' | "'" | '"' | '`';

export interface Token {
  kind: TokenKind;
  /** The source text exactly as written, quotes and escapes included. */
  text: string;
  /** 0-based offset of the token's first character in the source. */
  start: number;
  /** For 'string' and 'unterminated': the opening quote; otherwise ''. */
  quote: Quote;
  /** For 'string': the content with quotes removed and escapes resolved; otherwise the text. */
  value: string;
}

const WORD = /[\p{L}\p{M}\p{N}_][\p{L}\p{M}\p{N}_$#]*/uy;
const WORD_CHAR = /[\p{L}\p{M}\p{N}_$#]/u;
// Same shapes sqlparse (MLflow's tokenizer) reads as Integer or Float, plus an explicit '+' in the exponent.
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/y;
const OPERATOR = /[<>=~!]+/y;
const SPACE = /\s+/y;

function matchAt(re: RegExp, source: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(source)?.[0];
}

/**
 * Reads a quoted run starting at `at`. A doubled quote stands for one quote; inside '…' and "…" a backslash
 * escapes the quote or another backslash (any other backslash is kept as written, so Windows paths survive).
 */
function readQuoted(source: string, at: number, quote: "'" | '"' | '`'): Token {
  let value = '';
  let i = at + 1;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\' && quote !== '`') {
      const n = source[i + 1];
      if (n === quote || n === '\\') {
        value += n;
        i += 2;
        continue;
      }
    }
    if (c === quote) {
      if (source[i + 1] === quote) {
        value += quote;
        i += 2;
        continue;
      }
      return { kind: 'string', text: source.slice(at, i + 1), start: at, quote, value };
    }
    value += c;
    i += 1;
  }
  const text = source.slice(at);
  return { kind: 'unterminated', text, start: at, quote, value: text };
}

function plain(kind: TokenKind, text: string, start: number): Token {
  return { kind, text, start, quote: '', value: text };
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const space = matchAt(SPACE, source, i);
    if (space !== undefined) {
      i += space.length;
      continue;
    }
    const c = source[i] as string;
    if (c === "'" || c === '"' || c === '`') {
      const token = readQuoted(source, i, c);
      tokens.push(token);
      i += token.text.length;
      continue;
    }
    // A '.' right after a name separates segments (metrics.5 is a name and a number, not "metrics" and 0.5).
    const afterName = i > 0 && (WORD_CHAR.test(source[i - 1] as string) || /['"`]/.test(source[i - 1] as string));
    const number = c === '.' && afterName ? undefined : matchAt(NUMBER, source, i);
    if (number !== undefined) {
      const follow = source[i + number.length];
      if (follow === undefined || !(WORD_CHAR.test(follow) || follow === '.')) {
        tokens.push(plain('number', number, i));
        i += number.length;
        continue;
      }
    }
    const word = matchAt(WORD, source, i);
    if (word !== undefined) {
      tokens.push(plain('word', word, i));
      i += word.length;
      continue;
    }
    const op = matchAt(OPERATOR, source, i);
    if (op !== undefined) {
      tokens.push(plain('op', op, i));
      i += op.length;
      continue;
    }
    // Whole code points, so an emoji is reported as one character at its real offset.
    const char = String.fromCodePoint(source.codePointAt(i) as number);
    tokens.push(plain('(),.;'.includes(char) ? 'punct' : 'other', char, i));
    i += char.length;
  }
  tokens.push(plain('eof', '', source.length));
  return tokens;
}
