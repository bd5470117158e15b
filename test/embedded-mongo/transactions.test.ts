import { expect } from 'chai';
import * as BSON from 'bson';
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../embedded-mongo/index.js';
import { WireClient, command } from './wire-helpers.js';

describe('embedded-mongo transactions and retryable writes', function () {
  let server: EmbeddedMongo;
  let client: MongoClient;
  let db: Db;

  before(async () => {
    // the default lifetime: a short one would expire the other tests' transactions on a busy machine
    server = await startEmbeddedMongo();
    client = new MongoClient(server.uri);
    await client.connect();
    db = client.db('txn');
  });
  after(async () => {
    await client.close();
    await server.stop();
  });

  it('commits atomically and hides uncommitted writes from other readers', async () => {
    const c = db.collection<any>('iso');
    await c.insertOne({ _id: 1, v: 0 });
    const s = client.startSession();
    s.startTransaction();
    await c.updateOne({ _id: 1 }, { $set: { v: 1 } }, { session: s });
    await c.insertOne({ _id: 2, v: 2 }, { session: s });
    expect((await c.findOne({ _id: 1 }, { session: s }))!.v).to.equal(1); // own writes visible
    expect((await c.findOne({ _id: 1 }))!.v).to.equal(0); // others see the committed state
    expect(await c.countDocuments({})).to.equal(1);
    await s.commitTransaction();
    await s.endSession();
    expect(await c.find().sort({ _id: 1 }).toArray()).to.deep.equal([{ _id: 1, v: 1 }, { _id: 2, v: 2 }]);
  });

  it('reads a stable snapshot even when others commit meanwhile', async () => {
    const c = db.collection<any>('snap');
    await c.insertMany([{ _id: 1, v: 'old' }, { _id: 2, v: 'old' }]);
    const s = client.startSession();
    s.startTransaction();
    expect((await c.findOne({ _id: 1 }, { session: s }))!.v).to.equal('old');
    await c.updateOne({ _id: 2 }, { $set: { v: 'new' } });
    await c.insertOne({ _id: 3, v: 'new' });
    await c.deleteOne({ _id: 1 });
    const seen = await c.find({}, { session: s }).sort({ _id: 1 }).toArray();
    expect(seen).to.deep.equal([{ _id: 1, v: 'old' }, { _id: 2, v: 'old' }]);
    expect(await c.countDocuments({ v: 'old' }, { session: s })).to.equal(2);
    await s.abortTransaction();
    await s.endSession();
  });

  it('first writer wins: the second transaction gets WriteConflict (112) with TransientTransactionError', async () => {
    const c = db.collection<any>('conflict');
    await c.insertOne({ _id: 1, n: 0 });
    const a = client.startSession();
    const b = client.startSession();
    a.startTransaction();
    b.startTransaction();
    await c.updateOne({ _id: 1 }, { $inc: { n: 1 } }, { session: a });
    const err = await c.updateOne({ _id: 1 }, { $inc: { n: 10 } }, { session: b }).catch((e) => e);
    expect(err.code).to.equal(112);
    expect(err.codeName).to.equal('WriteConflict');
    expect(err.errorLabels).to.include('TransientTransactionError');
    await a.commitTransaction();
    await b.abortTransaction().catch(() => undefined);
    await a.endSession();
    await b.endSession();
    expect((await c.findOne({ _id: 1 }))!.n).to.equal(1);
  });

  it('conflicts with a commit made after the snapshot, and withTransaction retries to success', async () => {
    const c = db.collection<any>('retry');
    await c.insertOne({ _id: 1, n: 0 });
    const s = client.startSession();
    let attempts = 0;
    await s.withTransaction(async () => {
      attempts++;
      await c.findOne({ _id: 1 }, { session: s }); // establishes the snapshot
      if (attempts === 1) await c.updateOne({ _id: 1 }, { $inc: { n: 100 } }); // someone else commits
      await c.updateOne({ _id: 1 }, { $inc: { n: 1 } }, { session: s });
    });
    await s.endSession();
    expect(attempts).to.equal(2);
    expect((await c.findOne({ _id: 1 }))!.n).to.equal(101);
  });

  it('a plain write to a document held by a transaction waits for the commit, then applies on top', async () => {
    const c = db.collection<any>('outside');
    await c.insertOne({ _id: 1, n: 0, log: [] });
    const s = client.startSession();
    s.startTransaction();
    await c.updateOne({ _id: 1 }, { $inc: { n: 1 }, $push: { log: 'txn' } } as any, { session: s });
    let plainDone = false;
    const plain = c.updateOne({ _id: 1 }, { $inc: { n: 10 }, $push: { log: 'plain' } } as any).then((r) => { plainDone = true; return r; });
    await new Promise((r) => setTimeout(r, 100));
    expect(plainDone, 'plain write waits for the lock').to.equal(false);
    await s.commitTransaction();
    expect((await plain).modifiedCount).to.equal(1);
    await s.endSession();
    expect(await c.findOne({ _id: 1 })).to.deep.equal({ _id: 1, n: 11, log: ['txn', 'plain'] });
  });

  it('several plain writes queued behind one transaction all apply (no lost update)', async () => {
    const c = db.collection<any>('queue');
    await c.insertOne({ _id: 1, n: 0 });
    const s = client.startSession();
    s.startTransaction();
    await c.updateOne({ _id: 1 }, { $inc: { n: 100 } }, { session: s });
    // separate clients, so each waiting write is on its own connection
    const others = await Promise.all([0, 1, 2, 3].map(async () => new MongoClient(server.uri).connect()));
    const writes = others.map((o) => o.db('txn').collection<any>('queue').updateOne({ _id: 1 }, { $inc: { n: 1 } }));
    const del = others[0].db('txn').collection<any>('queue').insertOne({ _id: 2, n: 0 });
    await new Promise((r) => setTimeout(r, 100));
    await s.commitTransaction();
    await Promise.all([...writes, del]);
    await s.endSession();
    for (const o of others) await o.close();
    expect((await c.findOne({ _id: 1 }))!.n).to.equal(104);
  });

  it('a plain write that committed after the snapshot makes the transaction\'s write conflict', async () => {
    const c = db.collection<any>('outside2');
    await c.insertOne({ _id: 1, n: 0 });
    const s = client.startSession();
    s.startTransaction();
    await c.findOne({ _id: 1 }, { session: s });
    await c.updateOne({ _id: 1 }, { $set: { n: 2 } });
    const err = await c.updateOne({ _id: 1 }, { $set: { n: 1 } }, { session: s }).catch((e) => e);
    expect(err.code).to.equal(112);
    expect(err.errorLabels).to.include('TransientTransactionError');
    await s.abortTransaction().catch(() => undefined);
    await s.endSession();
    expect((await c.findOne({ _id: 1 }))!.n).to.equal(2);
  });

  it('detects unique-key races between open transactions', async () => {
    const c = db.collection<any>('uniq');
    await c.createIndex({ email: 1 }, { unique: true });
    const a = client.startSession();
    const b = client.startSession();
    a.startTransaction();
    b.startTransaction();
    await c.insertOne({ email: 'x@y.z' }, { session: a });
    const err = await c.insertOne({ email: 'x@y.z' }, { session: b }).catch((e) => e);
    expect(err.code).to.equal(112);
    await a.commitTransaction();
    await b.abortTransaction().catch(() => undefined);
    const dup = await c.insertOne({ email: 'x@y.z' }).catch((e) => e);
    expect(dup.code).to.equal(11000);
    await a.endSession();
    await b.endSession();
  });

  it('a duplicate key inside a transaction aborts it; later commands get NoSuchTransaction (251)', async () => {
    const c = db.collection<any>('dupin');
    await c.insertOne({ _id: 'taken' });
    const s = client.startSession();
    s.startTransaction();
    await c.insertOne({ _id: 'fresh' }, { session: s });
    const err = await c.insertOne({ _id: 'taken' }, { session: s }).catch((e) => e);
    expect(err.code).to.equal(11000);
    const again = await c.insertOne({ _id: 'other' }, { session: s }).catch((e) => e);
    expect(again.code).to.equal(251);
    expect(again.codeName).to.equal('NoSuchTransaction');
    await s.abortTransaction().catch(() => undefined);
    await s.endSession();
    expect(await c.countDocuments({ _id: 'fresh' })).to.equal(0);
  });

  it('expires abandoned transactions and releases their locks', async () => {
    // a server of its own with a short lifetime; the other transaction's WriteConflict retries in
    // withTransaction wait for the expiry however late the sweep runs
    const short = await startEmbeddedMongo({ txnLifetimeMs: 400 });
    const shortClient = new MongoClient(short.uri);
    try {
      await shortClient.connect();
      const c = shortClient.db('txn').collection<any>('abandon');
      await c.insertOne({ _id: 1, n: 0 });
      const s = shortClient.startSession();
      s.startTransaction();
      await c.updateOne({ _id: 1 }, { $set: { n: 1 } }, { session: s });
      await new Promise((r) => setTimeout(r, 900));
      const other = shortClient.startSession();
      await other.withTransaction(async () => {
        await c.updateOne({ _id: 1 }, { $set: { n: 2 } }, { session: other });
      });
      await other.endSession();
      const err = await s.commitTransaction().catch((e) => e);
      expect(err.code).to.equal(251);
      await s.endSession();
      expect((await c.findOne({ _id: 1 }))!.n).to.equal(2);
    } finally {
      await shortClient.close();
      await short.stop();
    }
  });

  it('applies a retryable write once when the same lsid + txnNumber is sent twice', async () => {
    const wire = await WireClient.connect(server.port);
    try {
      const lsid = { id: new BSON.Binary(Buffer.alloc(16, 7), 4) };
      const cmd = { insert: 'retry_once', documents: [{ _id: 1 }], lsid, txnNumber: BSON.Long.fromNumber(5) };
      // the cluster time fields say when the reply was sent, not what the write did
      const { operationTime: _t1, $clusterTime: _c1, ...first } = await command(wire, cmd, 'txn');
      const { operationTime: _t2, $clusterTime: _c2, ...second } = await command(wire, cmd, 'txn');
      expect(first).to.deep.equal({ n: 1, ok: 1 });
      expect(second).to.deep.equal(first);
      const upd = { update: 'retry_once', updates: [{ q: { _id: 1 }, u: { $inc: { n: 1 } } }], lsid, txnNumber: BSON.Long.fromNumber(6) };
      await command(wire, upd, 'txn');
      await command(wire, upd, 'txn');
      expect(await db.collection<any>('retry_once').findOne({ _id: 1 })).to.deep.equal({ _id: 1, n: 1 });
      const stale = await command(wire, { ...cmd, txnNumber: BSON.Long.fromNumber(4) }, 'txn');
      expect(stale.code).to.equal(225);
    } finally {
      wire.close();
    }
  });

  it('never emits retry/primary error labels or codes the driver would react to', async () => {
    const wire = await WireClient.connect(server.port);
    try {
      const lsid = { id: new BSON.Binary(Buffer.alloc(16, 9), 4) };
      const r = await command(wire, { find: 'x', filter: {}, lsid, txnNumber: BSON.Long.fromNumber(1), autocommit: false }, 'txn');
      expect(r.code).to.equal(251);
      expect(r.errorLabels).to.deep.equal(['TransientTransactionError']);
      expect(JSON.stringify(r)).to.not.match(/RetryableWriteError|UnknownTransactionCommitResult|NotWritablePrimary/);
    } finally {
      wire.close();
    }
  });
});
