/** GridFS through the driver's GridFSBucket, as uploads/storage/gridfs-storage.ts uses it. */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { GridFSBucket, ObjectId, type Document } from 'mongodb';
import { useTarget } from './target.js';
import { rejection, sleep } from './util.js';

const CHUNK = 255 * 1024;

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts);
}

describe('mongo conformance: GridFS', function () {
  const t = useTarget('gridfs');
  let bucket: GridFSBucket;
  const big = randomBytes(600_000);
  const bigId = new ObjectId();

  before(async function () {
    bucket = new GridFSBucket(t.db, { bucketName: 'fs' });
    await pipeline(Readable.from([big]), bucket.openUploadStreamWithId(bigId, 'agreements/A1/original.pdf', { metadata: { key: 'agreements/A1/original.pdf' } }));
  });

  it('when a 600 kB file is uploaded, then fs.files describes it and fs.chunks holds 3 numbered chunks', async function () {
    const file = await t.db.collection('fs.files').findOne({ _id: bigId });
    expect(file).to.deep.include({ length: 600_000, chunkSize: CHUNK, filename: 'agreements/A1/original.pdf', metadata: { key: 'agreements/A1/original.pdf' } });
    expect(file?.uploadDate).to.be.instanceOf(Date);
    const chunks = await t.db.collection('fs.chunks').find({ files_id: bigId }).sort({ n: 1 }).toArray();
    expect(chunks.map((c) => c.n)).to.deep.equal([0, 1, 2]);
    expect(chunks.map((c) => c.data.length())).to.deep.equal([CHUNK, CHUNK, 600_000 - 2 * CHUNK]);
  });

  it('when the bucket is first used, then the driver has created its indexes', async function () {
    const filesIdx = (await t.db.collection('fs.files').listIndexes().toArray()).map((i) => ({ key: i.key, unique: i.unique }));
    const chunksIdx = (await t.db.collection('fs.chunks').listIndexes().toArray()).map((i) => ({ key: i.key, unique: i.unique }));
    expect(filesIdx).to.deep.include({ key: { filename: 1, uploadDate: 1 }, unique: undefined });
    expect(chunksIdx).to.deep.include({ key: { files_id: 1, n: 1 }, unique: true });
  });

  it('when the file is downloaded whole, then every byte comes back', async function () {
    const back = await readAll(bucket.openDownloadStream(bigId));
    expect(back.equals(big)).to.equal(true);
  });

  it('when a byte range spanning a chunk boundary is downloaded, then exactly that slice comes back', async function () {
    const start = CHUNK - 100;
    const end = CHUNK + 300;
    const back = await readAll(bucket.openDownloadStreamByName('agreements/A1/original.pdf', { start, end }));
    expect(back.equals(big.subarray(start, end))).to.equal(true);
  });

  it('when a name is uploaded twice, then the newest revision is read by name and sorts first by uploadDate', async function () {
    const firstId = new ObjectId();
    const secondId = new ObjectId();
    await pipeline(Readable.from([Buffer.from('version one')]), bucket.openUploadStreamWithId(firstId, 'agreements/A2/stamped.pdf'));
    await sleep(15);
    await pipeline(Readable.from([Buffer.from('version two')]), bucket.openUploadStreamWithId(secondId, 'agreements/A2/stamped.pdf'));
    expect((await readAll(bucket.openDownloadStreamByName('agreements/A2/stamped.pdf'))).toString()).to.equal('version two');
    expect((await readAll(bucket.openDownloadStreamByName('agreements/A2/stamped.pdf', { revision: 0 }))).toString()).to.equal('version one');
    const newest = await bucket.find({ filename: 'agreements/A2/stamped.pdf' }).sort({ uploadDate: -1 }).limit(1).next();
    expect(String(newest?._id)).to.equal(String(secondId));
    const older = await bucket.find({ filename: 'agreements/A2/stamped.pdf', _id: { $ne: secondId } }, { projection: { _id: 1 } }).toArray();
    expect(older.map((f) => String(f._id))).to.deep.equal([String(firstId)]);
  });

  it('when files are listed by a regex prefix, then only that folder comes back', async function () {
    await pipeline(Readable.from([Buffer.from('x')]), bucket.openUploadStream('agreements/A10/x.pdf'));
    const names = (await bucket.find({ filename: { $regex: /^agreements\/A1\// } }, { projection: { filename: 1, uploadDate: 1 } }).toArray()).map((f) => f.filename);
    expect(names).to.deep.equal(['agreements/A1/original.pdf']);
  });

  it('when an empty file is uploaded, then it has length 0, no chunks, and downloads as nothing', async function () {
    const id = new ObjectId();
    await pipeline(Readable.from([Buffer.alloc(0)]), bucket.openUploadStreamWithId(id, 'empty.bin'));
    expect((await t.db.collection('fs.files').findOne({ _id: id }))?.length).to.equal(0);
    expect(await t.db.collection('fs.chunks').countDocuments({ files_id: id })).to.equal(0);
    expect((await readAll(bucket.openDownloadStream(id))).length).to.equal(0);
  });

  it('when a file is deleted, then its files document and chunks are gone; deleting it again fails', async function () {
    const id = new ObjectId();
    await pipeline(Readable.from([randomBytes(300_000)]), bucket.openUploadStreamWithId(id, 'to-delete.bin'));
    expect(await t.db.collection('fs.chunks').countDocuments({ files_id: id })).to.equal(2);
    await bucket.delete(id);
    expect(await t.db.collection('fs.files').countDocuments({ _id: id } as Document)).to.equal(0);
    expect(await t.db.collection('fs.chunks').countDocuments({ files_id: id })).to.equal(0);
    await rejection(bucket.delete(id), 'second delete');
    await rejection(readAll(bucket.openDownloadStream(id)), 'download of a deleted file');
  });

  it('when an upload is aborted, then its chunks are removed and no files document exists', async function () {
    const upload = bucket.openUploadStream('aborted.bin', { chunkSizeBytes: 1024 });
    await new Promise<void>((resolve, reject) => upload.write(randomBytes(5000), (err) => (err ? reject(err) : resolve())));
    await upload.abort();
    expect(await t.db.collection('fs.chunks').countDocuments({ files_id: upload.id })).to.equal(0);
    expect(await t.db.collection('fs.files').countDocuments({ _id: upload.id } as Document)).to.equal(0);
  });
});
