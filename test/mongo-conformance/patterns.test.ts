/**
 * Concurrency patterns the app is built on, checked against the server's semantics:
 * counters by $inc upsert, leases by conditional upsert, conditional (compare-and-set) writes,
 * concurrent upserts on a unique key, plain writes meeting an open transaction, and
 * unique keys across concurrent transactions.
 */
import { expect } from 'chai';
import { Schema, type Model } from 'mongoose';
import { MongoServerError, type Collection, type Document } from 'mongodb';
import { requireReplicaSet, useTarget } from './target.js';
import { rejection, sleep } from './util.js';

interface ICounter {
  _id: string;
  seq: number;
}
interface ILease {
  _id: string;
  owner: string;
  expiresAt: Date;
}
interface IAttempt {
  key: string;
  failures: number;
}

describe('mongo conformance: app concurrency patterns', function () {
  const t = useTarget('patterns');
  let Counter: Model<ICounter>;
  let Lease: Model<ILease>;
  let Attempt: Model<IAttempt>;

  before(async function () {
    Counter = t.conn.model<ICounter>('Counter', new Schema<ICounter>({ _id: String, seq: { type: Number, default: 0 } }, { versionKey: false }), 'counters');
    Lease = t.conn.model<ILease>('Lease', new Schema<ILease>({ _id: String, owner: String, expiresAt: Date }, { versionKey: false }), 'leases');
    const attemptSchema = new Schema<IAttempt>({ key: { type: String, unique: true }, failures: Number }, { versionKey: false });
    Attempt = t.conn.model<IAttempt>('Attempt', attemptSchema, 'attempts');
    await Promise.all([Counter.init(), Lease.init(), Attempt.init()]);
  });

  it('when 50 $inc upserts on one counter run at once, then each gets a distinct number 1..50', async function () {
    const next = () => Counter.findOneAndUpdate({ _id: 'code:MOU-ID-2024' }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean();
    const settled = await Promise.allSettled(Array.from({ length: 50 }, next));
    // Racing upserts of a new _id may lose with 11000 on a real server (the caller retries); nothing else may fail.
    const results = [];
    for (const s of settled) {
      if (s.status === 'fulfilled') results.push(s.value);
      else {
        expect(s.reason.code).to.equal(11000);
        results.push(await next());
      }
    }
    const seqs = results.map((r) => r!.seq).sort((a, b) => a - b);
    expect(seqs).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
    expect((await Counter.findById('code:MOU-ID-2024').lean())?.seq).to.equal(50);
  });

  it('when 20 first attempts upsert the same unique key at once, then one document holds all 20 increments', async function () {
    const settled = await Promise.allSettled(
      Array.from({ length: 20 }, () => Attempt.findOneAndUpdate({ key: 'ip:1.2.3.4' }, { $inc: { failures: 1 } }, { upsert: true, returnDocument: 'after' }).lean()),
    );
    // A real server may let a racing upsert fail with 11000 (the app then retries once); none may fail otherwise.
    const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    for (const f of failed) expect(f.reason.code).to.equal(11000);
    for (let i = 0; i < failed.length; i++) await Attempt.findOneAndUpdate({ key: 'ip:1.2.3.4' }, { $inc: { failures: 1 } }, { upsert: true });
    const docs = await Attempt.find({ key: 'ip:1.2.3.4' }).lean();
    expect(docs).to.have.length(1);
    expect(docs[0]!.failures).to.equal(20);
  });

  describe('a lease taken by conditional upsert', function () {
    const acquire = async (owner: string, now: Date, ttlMs = 60_000): Promise<boolean> => {
      try {
        const doc = await Lease.findOneAndUpdate(
          { _id: 'sweep', $or: [{ expiresAt: { $lte: now } }, { owner }] },
          { $set: { owner, expiresAt: new Date(now.getTime() + ttlMs) } },
          { upsert: true, returnDocument: 'after' },
        ).lean();
        return doc?.owner === owner;
      } catch (err) {
        if ((err as { code?: number }).code === 11000) return false;
        throw err;
      }
    };

    it('when nobody holds it, then the first owner gets it', async function () {
      expect(await acquire('A', new Date('2024-01-01T00:00:00Z'))).to.equal(true);
    });

    it('when another owner holds an unexpired lease, then the upsert collides on _id with 11000 DuplicateKey', async function () {
      const err = await rejection(
        Lease.findOneAndUpdate(
          { _id: 'sweep', $or: [{ expiresAt: { $lte: new Date('2024-01-01T00:00:30Z') } }, { owner: 'B' }] },
          { $set: { owner: 'B' } },
          { upsert: true },
        ),
      );
      expect(err).to.be.instanceOf(MongoServerError);
      expect(err.code).to.equal(11000);
      expect(err.codeName).to.equal('DuplicateKey');
      expect(err.keyPattern).to.deep.equal({ _id: 1 });
      expect(err.keyValue).to.deep.equal({ _id: 'sweep' });
      expect(await acquire('B', new Date('2024-01-01T00:00:30Z'))).to.equal(false);
    });

    it('when the holder renews, then it keeps the lease; when it expires, then another owner takes it', async function () {
      expect(await acquire('A', new Date('2024-01-01T00:00:40Z'))).to.equal(true);
      expect(await acquire('B', new Date('2024-01-01T00:01:39Z'))).to.equal(false);
      expect(await acquire('B', new Date('2024-01-01T00:01:40Z'))).to.equal(true);
      expect((await Lease.findById('sweep').lean())?.owner).to.equal('B');
    });

    it('when several owners race for an expired lease, then exactly one wins', async function () {
      const now = new Date('2024-01-01T01:00:00Z');
      const wins = await Promise.all(['C', 'D', 'E', 'F', 'G'].map((o) => acquire(o, now)));
      expect(wins.filter(Boolean)).to.have.length(1);
    });
  });

  it('when compare-and-set writes race on the same expected version, then exactly one matches', async function () {
    const docs: Collection = t.db.collection('cas');
    await docs.insertOne({ _id: 'ag1', stage: 'draft', version: 1 } as Document);
    const attempts = await Promise.all(
      ['review', 'signed', 'cancelled'].map((to) =>
        docs.findOneAndUpdate({ _id: 'ag1', stage: 'draft', version: 1 } as Document, { $set: { stage: to }, $inc: { version: 1 } }, { returnDocument: 'after' }),
      ),
    );
    const winners = attempts.filter((a) => a !== null);
    expect(winners).to.have.length(1);
    const stored = await docs.findOne({ _id: 'ag1' } as Document);
    expect(stored?.version).to.equal(2);
    expect(stored?.stage).to.equal(winners[0]!.stage);
  });

  it('when $eq wraps an object with operator-like keys, then it is compared as a literal value', async function () {
    // This is the shape mongoose's sanitizeFilter produces from hostile input such as ?name[$ne]=x.
    const c = t.db.collection('sanitized');
    await c.insertMany([{ name: 'alice' }, { name: 'bob' }]);
    expect(await c.countDocuments({ name: { $ne: 'nobody' } })).to.equal(2);
    expect(await c.countDocuments({ name: { $eq: { $ne: 'nobody' } } })).to.equal(0);
    expect(await c.countDocuments({ name: { $eq: { $gt: '' } } })).to.equal(0);
  });

  describe('with transactions', function () {
    before(function () {
      requireReplicaSet(this, t);
    });

    it('when a plain write hits a document an open transaction changed, then it waits for the commit and both changes apply', async function () {
      const c = t.db.collection('locks');
      await c.insertOne({ _id: 'doc', n: 0, log: [] } as Document);
      const session = t.client.startSession();
      try {
        session.startTransaction();
        await c.updateOne({ _id: 'doc' } as Document, { $inc: { n: 1 }, $push: { log: 'txn' } } as Document, { session });
        let plainDone = false;
        const plain = c.updateOne({ _id: 'doc' } as Document, { $inc: { n: 10 }, $push: { log: 'plain' } } as Document).then((r) => {
          plainDone = true;
          return r;
        });
        await sleep(150);
        expect(plainDone, 'the plain write must wait while the transaction holds the document').to.equal(false);
        await session.commitTransaction();
        const res = await plain;
        expect(res.modifiedCount).to.equal(1);
      } finally {
        await session.endSession();
      }
      const doc = await c.findOne({ _id: 'doc' } as Document);
      expect(doc?.n).to.equal(11);
      expect(doc?.log).to.deep.equal(['txn', 'plain']);
    });

    it('when two open transactions insert the same unique key, then only one document survives the commits', async function () {
      const c = t.db.collection('txn_unique');
      await c.createIndex({ k: 1 }, { unique: true });
      const s1 = t.client.startSession();
      const s2 = t.client.startSession();
      try {
        s1.startTransaction();
        s2.startTransaction();
        await c.insertOne({ _id: 1, k: 'same' } as Document, { session: s1 });
        const second = await c.insertOne({ _id: 2, k: 'same' } as Document, { session: s2 }).then(
          () => null,
          (err: MongoServerError) => err,
        );
        await s1.commitTransaction();
        if (second) {
          // real MongoDB reports the clash on the insert (WriteConflict or DuplicateKey)
          expect(second.code).to.be.oneOf([112, 11000]);
          await s2.abortTransaction();
        } else {
          const commit = await rejection(s2.commitTransaction(), 'commit of the second transaction');
          expect(commit.code).to.be.oneOf([112, 11000, 251]);
        }
      } finally {
        await s1.endSession();
        await s2.endSession();
      }
      const docs = await c.find({ k: 'same' }).toArray();
      expect(docs.map((d) => d._id)).to.deep.equal([1]);
    });

    it('when a transaction reads a document that another transaction commits afterwards, then it keeps its snapshot', async function () {
      const c = t.db.collection('snap');
      await c.insertOne({ _id: 's', n: 1 } as Document);
      const reader = t.client.startSession();
      try {
        reader.startTransaction();
        expect((await c.findOne({ _id: 's' } as Document, { session: reader }))?.n).to.equal(1);
        await c.updateOne({ _id: 's' } as Document, { $set: { n: 2 } });
        expect((await c.findOne({ _id: 's' } as Document, { session: reader }))?.n).to.equal(1);
        await reader.commitTransaction();
      } finally {
        await reader.endSession();
      }
      expect((await c.findOne({ _id: 's' } as Document))?.n).to.equal(2);
    });
  });
});
