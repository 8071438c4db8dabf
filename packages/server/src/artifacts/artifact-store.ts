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
