import type { Readable } from 'node:stream';

export type StorageDriverName = 'disk' | 'gridfs';

/** An inclusive byte range, as HTTP ranges are. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where stored files live. Keys are relative, slash-separated names chosen by the service
 * (`documents/<agreementId>/<documentId>.pdf`), never anything a client sent.
 */
export interface FileStorage {
  readonly driver: StorageDriverName;
  /**
   * Moves a finished, flushed local file into storage. When this resolves the file is durable;
   * when it rejects nothing is left under the key. The local file is consumed either way.
   */
  putFile(key: string, localPath: string): Promise<void>;
  /** null when there is no such file */
  stat(key: string): Promise<{ size: number } | null>;
  read(key: string, range?: ByteRange): Readable;
  /** no error when the file is already gone */
  delete(key: string): Promise<void>;
  /**
   * A local path with the file's bytes, for a worker thread to read: the stored file itself on
   * disk, a temporary copy for GridFS. Call release() when done.
   */
  localPath(key: string, tempPath: () => string): Promise<{ path: string; release(): Promise<void> }>;
  /** every key under a prefix, with its age (what a store holds, e.g. for a clean-up or a check) */
  list(prefix: string): AsyncIterable<{ key: string; modifiedAt: Date }>;
}

const KEY = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_.-]*)*$/i;

/** Keys are made by the service; this guards against a bug ever turning one into a path escape. */
export function assertKey(key: string): void {
  if (!KEY.test(key) || key.includes('..')) throw new Error(`invalid storage key: ${key}`);
}
