import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Temporary files for uploads, stamping and packets, in one folder of the data directory (the
 * same file system as stored files, so finishing a file is a rename). Names carry the process id:
 * at start-up, files left by a dead process (or by an earlier run with our own pid, as in a
 * container where every run is pid 1) are removed, while a live sibling's files are left alone.
 */
export class TempFiles {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** Creates the folder and removes leftovers; returns how many were removed. */
  async init(): Promise<number> {
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 });
    let removed = 0;
    for (const name of await fs.promises.readdir(this.dir)) {
      const pid = Number(/^(\d+)-/.exec(name)?.[1]);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) continue;
      await fs.promises.rm(path.join(this.dir, name), { force: true, recursive: true });
      removed++;
    }
    return removed;
  }

  /** A fresh path in the temp folder (the file is not created). */
  path(suffix = '.part'): string {
    return path.join(this.dir, `${process.pid}-${crypto.randomBytes(12).toString('hex')}${suffix}`);
  }

  async remove(file: string | undefined): Promise<void> {
    if (file) await fs.promises.rm(file, { force: true });
  }

  /** Names of the files present now (tests check that aborted uploads leave none). */
  async list(): Promise<string[]> {
    try {
      return await fs.promises.readdir(this.dir);
    } catch {
      return [];
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
