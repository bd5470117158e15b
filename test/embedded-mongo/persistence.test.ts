import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type InProcessEmbeddedMongo } from '../../embedded-mongo/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('embedded-mongo persistence (dataDir)', function () {
  this.timeout(60_000);
  let dir: string;
  let db: InProcessEmbeddedMongo | undefined;
  let client: MongoClient | undefined;

  async function open(opts: { syncIntervalMs?: number } = {}) {
    db = await startEmbeddedMongo({ dataDir: dir, ...opts });
    client = new MongoClient(db.uri);
    await client.connect();
    return client.db('persist');
  }

  async function close() {
    await client?.close();
    await db?.stop();
    client = undefined;
    db = undefined;
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-mongo-'));
  });

  afterEach(async () => {
    await close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps committed writes, indexes and collection options across a restart', async () => {
    let d = await open();
    const users = d.collection<any>('users');
    await users.createIndex({ email: 1 }, { unique: true, name: 'email_1' });
    await users.insertMany([{ _id: 1, email: 'a@x.io', n: 1 }, { _id: 2, email: 'b@x.io', n: 2 }, { _id: 3, email: 'c@x.io', n: 3 }]);
    await users.updateOne({ _id: 2 }, { $set: { n: 20 }, $push: { tags: 'x' } } as any);
    await users.deleteOne({ _id: 3 });
    await d.createCollection('capless', { validator: { n: { $type: 'number' } } });
    await d.collection<any>('gone').insertOne({ a: 1 });
    await d.collection<any>('gone').drop();
    await close();

    d = await open();
    const docs = await d.collection<any>('users').find().sort({ _id: 1 }).toArray();
    expect(docs).to.deep.equal([{ _id: 1, email: 'a@x.io', n: 1 }, { _id: 2, email: 'b@x.io', n: 20, tags: ['x'] }]);
    const indexes = await d.collection<any>('users').listIndexes().toArray();
    expect(indexes.map((i) => i.name)).to.deep.equal(['_id_', 'email_1']);
    const err = await d.collection<any>('users').insertOne({ email: 'a@x.io' }).catch((e) => e);
    expect(err.code).to.equal(11000);
    const colls = (await d.listCollections().toArray()).map((c) => c.name).sort();
    expect(colls).to.deep.equal(['capless', 'users']);
    const bad = await d.collection<any>('capless').insertOne({ n: 'text' }).catch((e) => e);
    expect(bad.code).to.equal(121);
  });

  it('keeps an index prepared for, then converted to, unique across restarts', async () => {
    let d = await open();
    const c = d.collection<any>('codes');
    await c.insertMany([{ _id: 1, code: 'A' }, { _id: 2, code: 'A' }]);
    await c.createIndex({ code: 1 });
    await d.command({ collMod: 'codes', index: { name: 'code_1', prepareUnique: true } });
    await close();

    d = await open();
    expect((await d.collection<any>('codes').listIndexes().toArray()).find((i) => i.name === 'code_1')).to.include({ prepareUnique: true });
    expect((await d.collection<any>('codes').insertOne({ _id: 3, code: 'A' }).catch((e) => e)).code).to.equal(11000);
    await d.collection<any>('codes').deleteOne({ _id: 2 });
    await d.command({ collMod: 'codes', index: { name: 'code_1', unique: true } });
    await close();

    d = await open();
    const ix = (await d.collection<any>('codes').listIndexes().toArray()).find((i) => i.name === 'code_1');
    expect(ix).to.include({ unique: true });
    expect(ix).to.not.have.property('prepareUnique');
  });

  it('commits a transaction atomically to the journal', async () => {
    let d = await open();
    await d.collection<any>('acct').insertMany([{ _id: 'a', bal: 100 }, { _id: 'b', bal: 0 }]);
    const session = client!.startSession();
    await session.withTransaction(async () => {
      await d.collection<any>('acct').updateOne({ _id: 'a' }, { $inc: { bal: -30 } }, { session });
      await d.collection<any>('acct').updateOne({ _id: 'b' }, { $inc: { bal: 30 } }, { session });
    });
    await session.endSession();
    await close();
    d = await open();
    expect(await d.collection<any>('acct').find().sort({ _id: 1 }).toArray()).to.deep.equal([{ _id: 'a', bal: 70 }, { _id: 'b', bal: 30 }]);
  });

  it('opens a journal with a torn tail, dropping only the incomplete record', async () => {
    let d = await open();
    await d.collection<any>('t').insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: i })));
    await close();
    const journal = fs.readdirSync(dir).find((f) => f.startsWith('journal-'))!;
    const file = path.join(dir, journal);
    // a record header promising more bytes than follow, then half a body: a crash mid-write
    const torn = Buffer.alloc(40);
    torn.writeUInt32LE(500, 0);
    torn.writeUInt32LE(0xdeadbeef, 4);
    fs.appendFileSync(file, torn);
    d = await open();
    expect(await d.collection<any>('t').countDocuments()).to.equal(20);
    await d.collection<any>('t').insertOne({ _id: 'after' });
    await close();
    d = await open();
    expect(await d.collection<any>('t').countDocuments()).to.equal(21);
  });

  it('ignores a record whose checksum does not match (and everything after it in that file)', async () => {
    let d = await open();
    await d.collection<any>('c').insertOne({ _id: 1 });
    await d.collection<any>('c').insertOne({ _id: 2 });
    await close();
    const file = path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith('journal-'))!);
    const buf = fs.readFileSync(file);
    buf[buf.length - 3] ^= 0xff; // corrupt the last record's body
    fs.writeFileSync(file, buf);
    d = await open();
    const ids = (await d.collection<any>('c').find().toArray()).map((x) => x._id);
    expect(ids).to.deep.equal([1]);
  });

  it('survives SIGKILL in the middle of writes: the store opens and holds every acknowledged write', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'crash-writer.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let lastAck = -1;
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('writer did not start')), 30_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const acks = [...out.matchAll(/ACK (\d+)/g)];
        if (acks.length) lastAck = Number(acks[acks.length - 1][1]);
        if (lastAck >= 2000) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', () => reject(new Error('writer exited early')));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    await open();
    const d = client!.db('crash');
    const n = await d.collection<any>('items').countDocuments();
    // acknowledged inserts are k < lastAck; a few more may have landed after the last ACK line
    expect(n).to.be.at.least(lastAck);
    const keys = await d.collection<any>('items').distinct('k');
    expect(keys.length).to.equal(n);
    // the unique index is intact and the store accepts new writes
    const dup = await d.collection<any>('items').insertOne({ k: 0 }).catch((e) => e);
    expect(dup.code).to.equal(11000);
    await d.collection<any>('items').insertOne({ k: -1 });
  });

  it('compacts into a snapshot and reopens from it (and from snapshot + newer journal)', async () => {
    let d = await open();
    await d.collection<any>('s').createIndex({ v: 1 });
    await d.collection<any>('s').insertMany(Array.from({ length: 5000 }, (_, i) => ({ _id: i, v: i % 97, s: 'p'.repeat(50) })));
    await db!.server.persistence!.compact(true);
    expect(fs.existsSync(path.join(dir, 'snapshot.bson'))).to.equal(true);
    await d.collection<any>('s').deleteMany({ v: 0 });
    await d.collection<any>('s').updateMany({ v: 1 }, { $set: { s: 'changed' } });
    await close();
    d = await open();
    expect(await d.collection<any>('s').countDocuments()).to.equal(5000 - 52);
    expect(await d.collection<any>('s').countDocuments({ s: 'changed' })).to.equal(52);
    const plan = await d.collection<any>('s').find({ v: 5 }).explain();
    expect(JSON.stringify(plan.queryPlanner.winningPlan)).to.contain('IXSCAN');
  });

  it('refuses a data directory already used by a live process', async () => {
    fs.writeFileSync(path.join(dir, 'LOCK'), String(process.ppid || 1));
    const err = await startEmbeddedMongo({ dataDir: dir }).catch((e) => e);
    expect(err).to.be.instanceOf(Error);
    expect(String(err.message)).to.match(/in use/);
  });
});
