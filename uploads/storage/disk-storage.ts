import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { assertKey, type ByteRange, type FileStorage } from './file-storage.js';

/**
 * Files under <dataDir>/files. A file appears under its final name only by rename() of a
 * flushed temporary file, and the directory is flushed after, so a crash leaves either nothing
 * or the whole file, never a half-written one under a real name.
 */
export class DiskStorage implements FileStorage {
  readonly driver = 'disk' as const;
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  async init(): Promise<void> {
    await fs.promises.mkdir(this.root, { recursive: true, mode: 0o700 });
  }

  pathOf(key: string): string {
    assertKey(key);
    return path.join(this.root, ...key.split('/'));
  }

  async putFile(key: string, localPath: string): Promise<void> {
    const target = this.pathOf(key);
    const dir = path.dirname(target);
    try {
      await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
      try {
        await fs.promises.rename(localPath, target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
        await copyDurably(localPath, `${target}.part`);
        await fs.promises.rename(`${target}.part`, target);
      }
      await syncDir(dir);
    } catch (err) {
      await fs.promises.rm(`${target}.part`, { force: true });
      throw err;
    } finally {
      await fs.promises.rm(localPath, { force: true });
    }
  }

  async stat(key: string): Promise<{ size: number } | null> {
    try {
      const st = await fs.promises.stat(this.pathOf(key));
      return st.isFile() ? { size: st.size } : null;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  read(key: string, range?: ByteRange): Readable {
    return fs.createReadStream(this.pathOf(key), range ? { start: range.start, end: range.end } : {});
  }

  async delete(key: string): Promise<void> {
    await fs.promises.rm(this.pathOf(key), { force: true });
  }

  async localPath(key: string): Promise<{ path: string; release(): Promise<void> }> {
    return { path: this.pathOf(key), release: async () => {} };
  }

  async *list(prefix: string): AsyncIterable<{ key: string; modifiedAt: Date }> {
    const base = this.pathOf(prefix);
    const walk = async function* (dir: string, rel: string): AsyncGenerator<{ key: string; modifiedAt: Date }> {
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) yield* walk(full, `${rel}/${e.name}`);
        else if (e.isFile()) yield { key: `${rel}/${e.name}`, modifiedAt: (await fs.promises.stat(full)).mtime };
      }
    };
    yield* walk(base, prefix);
  }
}

async function copyDurably(from: string, to: string): Promise<void> {
  await fs.promises.copyFile(from, to);
  const fh = await fs.promises.open(to, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes a rename durable (a no-op where directories cannot be opened, e.g. Windows). */
async function syncDir(dir: string): Promise<void> {
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(dir, 'r');
    await fh.sync();
  } catch {
    // best effort
  } finally {
    await fh?.close();
  }
}
