// Turns DuckDB's reader error messages into stable, path-free error details (line number and a short reason).

export interface ReadErrorDetails {
  /** 1-based line of the file where the reader failed, when DuckDB says. */
  line?: number;
  reason: string;
}

const REASONS = [
  /Expected Number of Columns: \d+ Found: \d+/,
  /Value with unterminated quote found/,
  /Invalid unicode[^\n]*/i,
  /Could not convert[^\n]*/,
  /Maximum line size[^\n]*/i,
  /Malformed JSON[^:\n]*: ([^\n]*)/,
  /too small to be a Parquet file/,
  /No magic bytes found[^\n]*/,
];

export function readErrorDetails(message: string, path: string): ReadErrorDetails {
  const lineMatch = /CSV Error on Line: (\d+)/.exec(message) ?? /\bin line (\d+)\b/.exec(message);
  const details: ReadErrorDetails = { reason: reasonOf(message, path) };
  if (lineMatch?.[1] !== undefined) details.line = Number(lineMatch[1]);
  return details;
}

function reasonOf(message: string, path: string): string {
  for (const pattern of REASONS) {
    const match = pattern.exec(message);
    if (match !== null) return scrub((match[1] ?? match[0]).trim(), path);
  }
  // Unknown shape: the first line, minus DuckDB's error class prefix and the server-side path.
  const first = message.split('\n')[0] ?? message;
  return scrub(first.replace(/^[A-Za-z ]+Error: /, '').trim(), path);
}

function scrub(text: string, path: string): string {
  return text.split(path).join('<file>');
}
