// Reads `predict --data`: a JSON file, '-' for stdin, or inline JSON; an array of records, one record, or JSON Lines.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FeatureRecord } from '@modelyard/client';
import { CliError } from './cli-error.js';

export interface RecordSource {
  stdin?: AsyncIterable<string | Uint8Array>;
  cwd?: string;
}

export async function readRecords(spec: string, source: RecordSource = {}): Promise<FeatureRecord[]> {
  const trimmed = spec.trim();
  let text: string;
  let where: string;
  if (trimmed === '-') {
    if (!source.stdin) throw new CliError('no_stdin', 'No standard input to read records from.');
    text = await readAll(source.stdin);
    where = 'stdin';
  } else if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    text = trimmed;
    where = '--data';
  } else {
    const file = resolve(source.cwd ?? process.cwd(), spec);
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new CliError('file_not_found', `No file '${spec}' (--data takes a JSON file, '-' or inline JSON).`);
      }
      throw err;
    }
    where = spec;
  }
  return toRecords(parseJsonOrLines(text, where), where);
}

async function readAll(stream: AsyncIterable<string | Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

function parseJsonOrLines(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    if (lines.length > 1) {
      try {
        return lines.map((line) => JSON.parse(line) as unknown);
      } catch {
        // Fall through to the whole-document error, which is the likelier mistake.
      }
    }
    throw new CliError('invalid_json', `${where} is not valid JSON: ${(err as Error).message}`);
  }
}

function toRecords(value: unknown, where: string): FeatureRecord[] {
  let list: unknown[];
  if (Array.isArray(value)) list = value;
  else if (isObject(value) && Object.keys(value).length === 1 && Array.isArray(value.records)) list = value.records;
  else list = [value];
  if (list.length === 0) throw new CliError('no_records', `${where} holds no records.`);
  list.forEach((record, i) => {
    if (!isObject(record)) {
      throw new CliError('invalid_records', `${where}: record ${i + 1} is not a JSON object of feature values.`);
    }
  });
  return list as FeatureRecord[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
