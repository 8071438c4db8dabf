// The artifact store interface: immutable blobs (snapshots, models, logs) by key, behind one adapter per backend.

export interface ArtifactStore {
  /** Stores a local file under `key` (moving or copying it); durable when the promise resolves. */
  putFile(key: string, localPath: string): Promise<{ bytes: number }>;
  /** Stores bytes under `key`; durable when the promise resolves. */
  putBytes(key: string, bytes: Uint8Array): Promise<{ bytes: number }>;
  getBytes(key: string): Promise<Uint8Array>;
  exists(key: string): Promise<boolean>;
  /**
   * Gives `fn` a local file path holding the object (the object itself on a filesystem store, a temporary copy
   * elsewhere), for readers such as DuckDB that need a path.
   */
  withLocalFile<T>(key: string, fn: (path: string) => Promise<T>): Promise<T>;
  /** Removes an object; removing a missing key is not an error. */
  remove(key: string): Promise<void>;
  /** Moves an object to another key; answers false when `from` does not exist. */
  move(from: string, to: string): Promise<boolean>;
}

/** One entry of a folder-like listing: a direct child of the listed prefix. */
export interface ArtifactEntry {
  /** The child's own name (one key segment). */
  name: string;
  isDir: boolean;
  /** Bytes, for objects. */
  bytes?: number;
}

/** An artifact store that can take and give large objects as streams, and list and remove key prefixes as folders. */
export interface StreamingArtifactStore extends ArtifactStore {
  /**
   * Stores a stream under `key` without holding it in memory; durable when the promise resolves. Past `maxBytes` the
   * write stops, nothing is stored, and the promise rejects with an {@link ArtifactTooLargeError}.
   */
  putStream(
    key: string,
    source: AsyncIterable<Uint8Array>,
    options?: { maxBytes?: number },
  ): Promise<{ bytes: number }>;
  /** The object as a stream with its size, or undefined when there is no object at `key`. */
  openRead(key: string): Promise<{ stream: NodeJS.ReadableStream; bytes: number } | undefined>;
  /** The direct children of `prefix` (a folder-like key), by name; empty when there are none. */
  list(prefix: string): Promise<ArtifactEntry[]>;
  /** Whether `key` is a folder-like prefix of other keys. */
  isPrefix(key: string): Promise<boolean>;
  /** Removes every object under `prefix` (and the object at `prefix` itself). */
  removeTree(prefix: string): Promise<void>;
}

export class ArtifactTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The artifact is larger than the limit of ${maxBytes} bytes.`);
    this.name = 'ArtifactTooLargeError';
  }
}

export const isStreamingArtifactStore = (store: ArtifactStore): store is StreamingArtifactStore =>
  typeof (store as Partial<StreamingArtifactStore>).putStream === 'function';
