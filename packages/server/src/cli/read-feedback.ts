// Reads `endpoints feedback --file`: a CSV with a header naming requestId, label and optionally index, or JSON (an
// array of {requestId, index?, label}, or {labels: [...]}).

import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { Feedback } from '@modelyard/client';
import { CliError } from './cli-error.js';

/**
 * CSV cells are text; a label that reads as a plain decimal number is sent as a number (a regression target, or a
 * class the server matches as it prints). A leading zero ("007") keeps it text, as such a label is a class name.
 */
const NUMBER = /^[-+]?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$|^[-+]?\.\d+$/;

export async function readFeedback(spec: string, cwd: string = process.cwd()): Promise<Feedback[]> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, spec), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CliError('file_not_found', `No file '${spec}' (--file takes a .csv or .json file of labels).`);
    }
    throw err;
  }
  text = text.replace(/^\uFEFF/, '');
  const labels = extname(spec).toLowerCase() === '.json' ? fromJson(text, spec) : fromCsv(text, spec);
  if (labels.length === 0) throw new CliError('no_labels', `${spec} holds no labels.`);
  return labels;
}

function fromJson(text: string, where: string): Feedback[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CliError('invalid_json', `${where} is not valid JSON: ${(err as Error).message}`);
  }
  const list = Array.isArray(value) ? value : (value as { labels?: unknown } | null)?.labels;
  if (!Array.isArray(list)) {
    throw new CliError(
      'invalid_labels',
      `${where}: expected an array of {requestId, index?, label} or {labels: [...]}.`,
    );
  }
  return list.map((item: unknown, i) => {
    const entry = item as Partial<Feedback> | null;
    if (typeof entry?.requestId !== 'string' || entry.label === undefined) {
      throw new CliError('invalid_labels', `${where}: entry ${i} lacks a string requestId or a label.`);
    }
    return entry as Feedback;
  });
}

function fromCsv(text: string, where: string): Feedback[] {
  const rows = parseCsv(text).filter((row) => row.some((cell) => cell.trim() !== ''));
  const header = (rows.shift() ?? []).map((h) => h.trim());
  const column = (name: string) => header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
  const [requestId, index, label] = [column('requestId'), column('index'), column('label')];
  if (requestId < 0 || label < 0) {
    throw new CliError('invalid_labels', `${where}: the header must name requestId and label (and optionally index).`);
  }
  return rows.map((row, i) => {
    const line = i + 2;
    const id = row[requestId]?.trim() ?? '';
    if (id === '') throw new CliError('invalid_labels', `${where}, line ${line}: no requestId.`);
    const entry: Feedback = { requestId: id, label: row[label] ?? '' };
    const raw = index >= 0 ? (row[index]?.trim() ?? '') : '';
    if (raw !== '') {
      if (!/^\d+$/.test(raw)) {
        throw new CliError('invalid_labels', `${where}, line ${line}: index '${raw}' is not a non-negative integer.`);
      }
      entry.index = Number(raw);
    }
    const cell = entry.label as string;
    if (NUMBER.test(cell.trim())) entry.label = Number(cell.trim());
    return entry;
  });
}

/** RFC 4180 CSV: quoted cells may hold commas, line breaks and doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
