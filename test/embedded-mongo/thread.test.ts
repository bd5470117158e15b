import { expect } from 'chai';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../embedded-mongo/index.js';

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });

describe('embedded-mongo in a worker thread (thread: true)', function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-thread-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the driver, runs transactions, and stop() closes the port (twice is harmless)', async () => {
    const db = await startEmbeddedMongo({ thread: true });
    expect(db.uri).to.equal(`mongodb://127.0.0.1:${db.port}/?replicaSet=rs0`);
    expect(db.server, 'no server object across threads').to.equal(undefined);
    const client = await new MongoClient(db.uri, { serverSelectionTimeoutMS: 10_000 }).connect();
    try {
      const c = client.db('thread').collection<{ k: number; v?: string }>('c');
      await c.createIndex({ k: 1 }, { unique: true });
      await c.insertOne({ k: 1 });
      const dup = await c.insertOne({ k: 1 }).catch((e) => e);
      expect(dup.code).to.equal(11000);
      await client.withSession((s) => s.withTransaction(async () => {
        await c.updateOne({ k: 1 }, { $set: { v: 'x' } }, { session: s });
        await c.insertOne({ k: 2 }, { session: s });
      }));
      expect(await c.find({}, { projection: { _id: 0 } }).sort({ k: 1 }).toArray()).to.deep.equal([{ k: 1, v: 'x' }, { k: 2 }]);
    } finally {
      await client.close();
    }
    await db.stop();
    await db.stop();
    expect(await refused(db.port)).to.equal(true);
  });

  it('keeps committed writes across a restart and releases the data directory on stop', async () => {
    for (let round = 1; round <= 2; round++) {
      const db = await startEmbeddedMongo({ thread: true, dataDir: dir });
      const client = await new MongoClient(db.uri).connect();
      try {
        const c = client.db('persist').collection('rounds');
        await c.insertOne({ round });
        expect(await c.countDocuments()).to.equal(round);
      } finally {
        await client.close();
        await db.stop();
      }
      expect(fs.existsSync(path.join(dir, 'LOCK')), 'LOCK removed').to.equal(false);
    }
  });

  it('rejects when the port is taken, with the listener error', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const port = (blocker.address() as net.AddressInfo).port;
      const err = await startEmbeddedMongo({ thread: true, port }).catch((e) => e);
      expect(err).to.be.instanceOf(Error);
      expect(err.code).to.equal('EADDRINUSE');
    } finally {
      blocker.close();
    }
  });

  it('rejects a data directory held by another live process', async () => {
    fs.writeFileSync(path.join(dir, 'LOCK'), String(process.ppid || 1));
    const err = await startEmbeddedMongo({ thread: true, dataDir: dir }).catch((e) => e);
    expect(err).to.be.instanceOf(Error);
    expect(String(err.message)).to.match(/in use/);
  });
});
