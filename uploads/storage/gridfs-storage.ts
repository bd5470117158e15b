import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import mongoose from 'mongoose';
import { assertKey, type ByteRange, type FileStorage } from './file-storage.js';

/**
 * Files in GridFS (fs.files / fs.chunks) so that several instances of the service share them.
 * The key is the GridFS filename; a file counts as stored only once its fs.files document
 * exists, which the driver writes after the last chunk, so an interrupted upload is invisible
 * (its chunks are removed on failure).
 */
// the driver as mongoose ships it: no second copy of `mongodb` to keep in step
const { GridFSBucket, ObjectId } = mongoose.mongo;
type Db = mongoose.mongo.Db;

export class GridFsStorage implements FileStorage {
  readonly driver = 'gridfs' as const;
  private readonly bucket: mongoose.mongo.GridFSBucket;

  constructor(db: Db, bucketName = 'fs') {
    this.bucket = new GridFSBucket(db, { bucketName });
  }

  async putFile(key: string, localPath: string): Promise<void> {
    assertKey(key);
    const id = new ObjectId();
    try {
      await pipeline(fs.createReadStream(localPath), this.bucket.openUploadStreamWithId(id, key, { metadata: { key } }));
    } catch (err) {
      await this.bucket.delete(id).catch(() => {});
      throw err;
    } finally {
      await fs.promises.rm(localPath, { force: true });
    }
    // a regenerated file (e.g. a stamped copy made twice at once) replaces the older ones
    for await (const old of this.bucket.find({ filename: key, _id: { $ne: id } }, { projection: { _id: 1 } })) {
      await this.bucket.delete(old._id).catch(() => {});
    }
  }

  async stat(key: string): Promise<{ size: number } | null> {
    assertKey(key);
    const file = await this.bucket.find({ filename: key }).sort({ uploadDate: -1 }).limit(1).next();
    return file ? { size: file.length } : null;
  }

  read(key: string, range?: ByteRange): Readable {
    assertKey(key);
    return this.bucket.openDownloadStreamByName(key, range ? { start: range.start, end: range.end + 1 } : {});
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    for await (const file of this.bucket.find({ filename: key }, { projection: { _id: 1 } })) {
      await this.bucket.delete(file._id).catch(() => {});
    }
  }

  async localPath(key: string, tempPath: () => string): Promise<{ path: string; release(): Promise<void> }> {
    const path = tempPath();
    try {
      await pipeline(this.read(key), fs.createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    } catch (err) {
      await fs.promises.rm(path, { force: true });
      throw err;
    }
    return { path, release: () => fs.promises.rm(path, { force: true }) };
  }

  async *list(prefix: string): AsyncIterable<{ key: string; modifiedAt: Date }> {
    assertKey(prefix);
    const pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`);
    for await (const file of this.bucket.find({ filename: { $regex: pattern } }, { projection: { filename: 1, uploadDate: 1 } })) {
      yield { key: file.filename, modifiedAt: file.uploadDate };
    }
  }
}
