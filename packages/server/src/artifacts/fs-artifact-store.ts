// Filesystem adapter of the artifact store: one file per key under a root folder, written atomically.

import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import {
  ArtifactTooLargeError,
  type ArtifactEntry,
  type ArtifactStore,
  type StreamingArtifactStore,
} from './artifact-store.js';

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

export class FsArtifactStore implements ArtifactStore, StreamingArtifactStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathOf(key: string): string {
    if (!KEY_PATTERN.test(key) || key.includes('..')) throw new Error(`Invalid artifact key '${key}'`);
    const path = join(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new Error(`Invalid artifact key '${key}'`);
    return path;
  }

  async putFile(key: string, localPath: string): Promise<{ bytes: number }> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${randomUUID()}.tmp`;
    await copyFile(localPath, tmp);
    await syncFile(tmp);
    await rename(tmp, target);
    return { bytes: (await stat(target)).size };
  }

  async putBytes(key: string, bytes: Uint8Array): Promise<{ bytes: number }> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${randomUUID()}.tmp`;
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
    return { bytes: bytes.byteLength };
  }

  async getBytes(key: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(this.pathOf(key)));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await stat(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }

  async withLocalFile<T>(key: string, fn: (path: string) => Promise<T>): Promise<T> {
    const path = this.pathOf(key);
    await stat(path);
    return fn(path);
  }

  async remove(key: string): Promise<void> {
    await unlink(this.pathOf(key)).catch(() => undefined);
  }

  async move(from: string, to: string): Promise<boolean> {
    const source = this.pathOf(from);
    const target = this.pathOf(to);
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(source, target);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  async putStream(
    key: string,
    source: AsyncIterable<Uint8Array>,
    options: { maxBytes?: number } = {},
  ): Promise<{ bytes: number }> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${randomUUID()}.tmp`;
    const handle = await open(tmp, 'w');
    let bytes = 0;
    try {
      // One chunk at a time: memory stays at the chunk size whatever the object's size.
      for await (const chunk of source) {
        bytes += chunk.byteLength;
        if (options.maxBytes !== undefined && bytes > options.maxBytes)
          throw new ArtifactTooLargeError(options.maxBytes);
        await handle.write(chunk);
      }
      await handle.sync();
    } catch (error) {
      await handle.close();
      await unlink(tmp).catch(() => undefined);
      throw error;
    }
    await handle.close();
    await rename(tmp, target);
    return { bytes };
  }

  async openRead(key: string): Promise<{ stream: NodeJS.ReadableStream; bytes: number } | undefined> {
    const path = this.pathOf(key);
    try {
      const info = await stat(path);
      if (!info.isFile()) return undefined;
      return { stream: createReadStream(path), bytes: info.size };
    } catch {
      return undefined;
    }
  }

  async list(prefix: string): Promise<ArtifactEntry[]> {
    const folder = this.pathOf(prefix);
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return [];
    }
    const out: ArtifactEntry[] = [];
    for (const entry of entries) {
      if (TMP_NAME.test(entry.name)) continue;
      if (entry.isDirectory()) out.push({ name: entry.name, isDir: true });
      else if (entry.isFile()) {
        out.push({ name: entry.name, isDir: false, bytes: (await stat(join(folder, entry.name))).size });
      }
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async isPrefix(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isDirectory();
    } catch {
      return false;
    }
  }

  async removeTree(prefix: string): Promise<void> {
    await rm(this.pathOf(prefix), { recursive: true, force: true });
  }
}

/** The temporary files of writes in progress (`<key>.<uuid>.tmp`), which listings leave out. */
const TMP_NAME = /\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/;

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
