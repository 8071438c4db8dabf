// A job's stdout or stderr on its way to the run's logs: written to a spool file as it comes, with backpressure (the
// child waits while the disk catches up), capped in size, keeping only a short tail in memory.

import { createWriteStream, type WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { once } from 'node:events';

export class LogSpool {
  #written = 0;
  #truncated = false;
  #tail: Buffer = Buffer.alloc(0);
  readonly #out: WriteStream;

  constructor(
    readonly path: string,
    /** Bytes kept in the file; later output is read and dropped, so a chatty job never blocks on a full log. */
    private readonly maxBytes: number,
    /** Bytes of the end of the output kept in memory (for a failed run's error). */
    private readonly tailBytes = 4096,
  ) {
    this.#out = createWriteStream(path, { flags: 'w', mode: 0o600 });
  }

  /** Reads `source` to its end, one chunk at a time: memory stays at a chunk plus the tail, whatever the job prints. */
  async consume(source: AsyncIterable<Buffer | string>): Promise<void> {
    for await (const data of source) {
      const chunk = typeof data === 'string' ? Buffer.from(data) : data;
      this.#keepTail(chunk);
      if (this.#truncated) continue;
      const room = this.maxBytes - this.#written;
      if (chunk.length <= room) await this.#write(chunk);
      else {
        await this.#write(chunk.subarray(0, room));
        await this.#write(Buffer.from(`\n[modelyard: output truncated at ${this.maxBytes} bytes]\n`));
        this.#truncated = true;
      }
    }
  }

  /** The last `lines` lines of the output (within the tail kept in memory). */
  tail(lines: number): string {
    const text = this.#tail.toString('utf8').replace(/\s+$/, '');
    return text.split('\n').slice(-lines).join('\n');
  }

  async close(): Promise<void> {
    if (this.#out.closed) return;
    this.#out.end();
    await once(this.#out, 'close');
  }

  async #write(chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return;
    this.#written += chunk.length;
    if (!this.#out.write(chunk)) await once(this.#out, 'drain');
  }

  #keepTail(chunk: Buffer): void {
    const joined = chunk.length >= this.tailBytes ? chunk : Buffer.concat([this.#tail, chunk]);
    this.#tail = Buffer.from(joined.subarray(Math.max(0, joined.length - this.tailBytes)));
  }
}

/** Bytes `offset..offset+limit` of a log file as text, cut before a character split at the end unless `final`. */
export async function readLogRange(
  path: string,
  offset: number,
  limit: number,
  final: boolean,
): Promise<{ text: string; nextOffset: number; size: number }> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const start = Math.min(offset, size);
    const buffer = Buffer.alloc(Math.max(0, Math.min(limit, size - start)));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
    const read = buffer.subarray(0, bytesRead);
    const end = final && start + bytesRead >= size ? read.length : completeUtf8Length(read);
    return { text: read.subarray(0, end).toString('utf8'), nextOffset: start + end, size };
  } finally {
    await handle.close();
  }
}

/** The length of `bytes` without a UTF-8 sequence cut short at its end, so a tail never splits a character. */
export function completeUtf8Length(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}
