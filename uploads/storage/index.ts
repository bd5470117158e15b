import path from 'node:path';
import type { Connection } from 'mongoose';
import { DiskStorage } from './disk-storage.js';
import type { FileStorage, StorageDriverName } from './file-storage.js';
import { GridFsStorage } from './gridfs-storage.js';

export type { FileStorage, StorageDriverName, ByteRange } from './file-storage.js';

/**
 * The configured driver writes new files; each record names the driver that holds its file, so
 * files written before a switch from disk to GridFS (or back) stay readable.
 */
export class FileStores {
  readonly primary: FileStorage;
  private readonly drivers: Partial<Record<StorageDriverName, FileStorage>>;

  constructor(primary: FileStorage, others: FileStorage[] = []) {
    this.primary = primary;
    this.drivers = Object.fromEntries([primary, ...others].map((d) => [d.driver, d]));
  }

  get(driver: StorageDriverName): FileStorage {
    const d = this.drivers[driver];
    if (!d) throw new Error(`file storage '${driver}' is not available`);
    return d;
  }
}

export async function createFileStores(options: { driver: StorageDriverName; dataDir: string; connection: Connection }): Promise<FileStores> {
  const disk = new DiskStorage(path.join(options.dataDir, 'files'));
  await disk.init();
  const gridfs = options.connection.db ? new GridFsStorage(options.connection.db) : undefined;
  if (options.driver === 'gridfs') {
    if (!gridfs) throw new Error('GridFS storage needs a connected database');
    return new FileStores(gridfs, [disk]);
  }
  return new FileStores(disk, gridfs ? [gridfs] : []);
}
