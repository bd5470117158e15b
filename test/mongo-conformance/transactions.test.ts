/**
 * Transactions through mongoose `connection.transaction()` and the driver's
 * `session.withTransaction()`: commit, abort, isolation, write conflicts and retries,
 * duplicate keys inside a transaction, error shapes. Needs a replica set (skipped otherwise).
 */
import { expect } from 'chai';
import { Schema, type Model } from 'mongoose';
import { MongoServerError, type ClientSession, type Collection, type Document } from 'mongodb';
import { requireReplicaSet, useTarget } from './target.js';
import { deferred, rejection } from './util.js';

interface IAcct {
  _id: string;
  balance: number;
}

interface ILedger {
  from: string;
  to: string;
  amount: number;
}

describe('mongo conformance: transactions', function () {
  const t = useTarget('transactions');
  let Acct: Model<IAcct>;
  let Ledger: Model<ILedger>;
  let c: Collection;

  before(async function () {
    requireReplicaSet(this, t);
    Acct = t.conn.model<IAcct>('Acct', new Schema<IAcct>({ _id: String, balance: Number }), 'accts');
    Ledger = t.conn.model<ILedger>('Ledger', new Schema<ILedger>({ from: String, to: String, amount: Number }), 'ledger');
    await Promise.all([Acct.init(), Ledger.init()]);
    c = t.db.collection('txn');
    await t.db.createCollection('txn');
    await c.createIndex({ k: 1 }, { unique: true, sparse: true });
  });

  beforeEach(async function () {
    await Acct.deleteMany({});
    await Acct.create([
      { _id: 'alice', balance: 100 },
      { _id: 'bob', balance: 0 },
    ]);
    await c.deleteMany({});
  });

  async function balances(): Promise<Record<string, number>> {
    const docs = await Acct.find().lean();
    return Object.fromEntries(docs.map((d) => [d._id, d.balance]));
  }

  describe('through mongoose connection.transaction()', function () {
    it('when the callback succeeds, then every write in it is committed together', async function () {
      await t.conn.transaction(async (session) => {
        await Acct.updateOne({ _id: 'alice' }, { $inc: { balance: -30 } }, { session });
        await Acct.updateOne({ _id: 'bob' }, { $inc: { balance: 30 } }, { session });
        await Ledger.create([{ from: 'alice', to: 'bob', amount: 30 }], { session });
      });
      expect(await balances()).to.deep.equal({ alice: 70, bob: 30 });
      expect(await Ledger.countDocuments({ from: 'alice', amount: 30 })).to.equal(1);
    });

    it('when the callback throws, then nothing is written and the error comes out', async function () {
      const before = await Ledger.countDocuments({});
      const err = await rejection(
        t.conn.transaction(async (session) => {
          await Acct.updateOne({ _id: 'alice' }, { $inc: { balance: -50 } }, { session });
          await Ledger.create([{ from: 'alice', to: 'bob', amount: 50 }], { session });
          throw new Error('insufficient approval');
        }),
      );
      expect(err.message).to.equal('insufficient approval');
      expect(await balances()).to.deep.equal({ alice: 100, bob: 0 });
      expect(await Ledger.countDocuments({})).to.equal(before);
    });

    it('when a document is saved inside an aborted transaction, then mongoose marks it new again', async function () {
      const doc = new Ledger({ from: 'x', to: 'y', amount: 1 });
      await rejection(
        t.conn.transaction(async (session) => {
          await doc.save({ session });
          throw new Error('abort');
        }),
      );
      expect(doc.isNew).to.equal(true);
      expect(await Ledger.countDocuments({ _id: doc._id })).to.equal(0);
    });

    it('when reads inside the transaction use the session, then they see its own uncommitted writes', async function () {
      await t.conn.transaction(async (session) => {
        await Acct.updateOne({ _id: 'alice' }, { $set: { balance: 1 } }, { session });
        const inside = await Acct.findById('alice').session(session).lean();
        expect(inside?.balance).to.equal(1);
        expect(await Acct.countDocuments({ balance: 1 }).session(session)).to.equal(1);
        const outside = await Acct.findById('alice').lean();
        expect(outside?.balance).to.equal(100);
      });
      expect((await Acct.findById('alice').lean())?.balance).to.equal(1);
    });
  });

  describe('through the driver session', function () {
    let session: ClientSession;
    let other: ClientSession;
    beforeEach(function () {
      session = t.client.startSession();
      other = t.client.startSession();
    });
    afterEach(async function () {
      await session.endSession();
      await other.endSession();
    });

    it('when a transaction is aborted explicitly, then its inserts and updates disappear', async function () {
      await c.insertOne({ _id: 'keep', n: 1 } as Document);
      session.startTransaction();
      await c.insertOne({ _id: 'temp' } as Document, { session });
      await c.updateOne({ _id: 'keep' } as Document, { $set: { n: 2 } }, { session });
      await c.deleteOne({ _id: 'keep' } as Document, { session });
      await session.abortTransaction();
      expect(await c.findOne({ _id: 'temp' } as Document)).to.equal(null);
      expect(await c.findOne({ _id: 'keep' } as Document)).to.deep.equal({ _id: 'keep', n: 1 });
    });

    it('when a transaction is open, then reads outside it see none of its writes until commit', async function () {
      await c.insertOne({ _id: 'iso', n: 1 } as Document);
      session.startTransaction();
      await c.insertOne({ _id: 'new' } as Document, { session });
      await c.updateOne({ _id: 'iso' } as Document, { $set: { n: 2 } }, { session });
      expect(await c.findOne({ _id: 'new' } as Document)).to.equal(null);
      expect((await c.findOne({ _id: 'iso' } as Document))?.n).to.equal(1);
      expect(await c.countDocuments({})).to.equal(1);
      expect((await c.findOne({ _id: 'iso' } as Document, { session }))?.n).to.equal(2);
      await session.commitTransaction();
      expect(await c.findOne({ _id: 'new' } as Document)).to.deep.equal({ _id: 'new' });
      expect((await c.findOne({ _id: 'iso' } as Document))?.n).to.equal(2);
    });

    it('when withTransaction commits, then it resolves with the callback value and the writes are visible', async function () {
      const value = await session.withTransaction(async () => {
        await c.insertOne({ _id: 'wt1' } as Document, { session });
        await c.insertOne({ _id: 'wt2' } as Document, { session });
        return 'done';
      });
      expect(value).to.equal('done');
      expect(await c.countDocuments({ _id: { $in: ['wt1', 'wt2'] } } as Document)).to.equal(2);
    });

    it('when two open transactions write the same document, then the second gets 112 WriteConflict labelled TransientTransactionError', async function () {
      await c.insertOne({ _id: 'hot', n: 0 } as Document);
      session.startTransaction();
      other.startTransaction();
      await c.updateOne({ _id: 'hot' } as Document, { $inc: { n: 1 } }, { session });
      const err = await rejection(c.updateOne({ _id: 'hot' } as Document, { $inc: { n: 10 } }, { session: other }));
      expect(err).to.be.instanceOf(MongoServerError);
      expect(err.code).to.equal(112);
      expect(err.codeName).to.equal('WriteConflict');
      expect(err.errorLabels).to.include('TransientTransactionError');
      expect(err.hasErrorLabel('TransientTransactionError')).to.equal(true);
      await other.abortTransaction();
      await session.commitTransaction();
      expect((await c.findOne({ _id: 'hot' } as Document))?.n).to.equal(1);
    });

    it('when two withTransaction calls conflict, then one retries and both effects are applied', async function () {
      await c.insertOne({ _id: 'ctr', n: 0, by: [] } as Document);
      const firstWrote = deferred();
      const secondTried = deferred();
      let attempts1 = 0;
      let attempts2 = 0;
      const one = session.withTransaction(async () => {
        attempts1++;
        await c.updateOne({ _id: 'ctr' } as Document, { $inc: { n: 1 }, $push: { by: 'one' } } as Document, { session });
        firstWrote.resolve();
        await secondTried.promise;
      });
      const two = other.withTransaction(async () => {
        attempts2++;
        await firstWrote.promise;
        try {
          await c.updateOne({ _id: 'ctr' } as Document, { $inc: { n: 1 }, $push: { by: 'two' } } as Document, { session: other });
        } finally {
          secondTried.resolve();
        }
      });
      await Promise.all([one, two]);
      expect(attempts1).to.equal(1);
      expect(attempts2).to.be.at.least(2);
      const doc = await c.findOne({ _id: 'ctr' } as Document);
      expect(doc?.n).to.equal(2);
      expect(doc?.by).to.deep.equal(['one', 'two']);
    });

    it('when mongoose transactions race on one account, then retries keep the total right', async function () {
      const firstWrote = deferred();
      const secondTried = deferred();
      let attempts = 0;
      await Promise.all([
        t.conn.transaction(async (s) => {
          await Acct.updateOne({ _id: 'alice' }, { $inc: { balance: -10 } }, { session: s });
          firstWrote.resolve();
          await secondTried.promise;
        }),
        t.conn.transaction(async (s) => {
          attempts++;
          await firstWrote.promise;
          try {
            await Acct.updateOne({ _id: 'alice' }, { $inc: { balance: -20 } }, { session: s });
          } finally {
            secondTried.resolve();
          }
        }),
      ]);
      expect(attempts).to.be.at.least(2);
      expect((await balances()).alice).to.equal(70);
    });

    it('when a duplicate key happens inside withTransaction, then the error is 11000 and the transaction is rolled back', async function () {
      await c.insertOne({ _id: 'dup', k: 'taken' } as Document);
      let attempts = 0;
      const err = await rejection(
        session.withTransaction(async () => {
          attempts++;
          await c.insertOne({ _id: 'first' } as Document, { session });
          await c.insertOne({ _id: 'second', k: 'taken' } as Document, { session });
        }),
      );
      expect(err).to.be.instanceOf(MongoServerError);
      expect(err.code).to.equal(11000);
      expect(err.keyValue).to.deep.equal({ k: 'taken' });
      expect(err.hasErrorLabel('TransientTransactionError')).to.equal(false);
      expect(attempts).to.equal(1);
      expect(await c.findOne({ _id: 'first' } as Document)).to.equal(null);
      expect(await c.findOne({ _id: 'second' } as Document)).to.equal(null);
    });

    it('when a duplicate key aborts a manual transaction, then the next operation in it gets 251 NoSuchTransaction', async function () {
      await c.insertOne({ _id: 'dup2' } as Document);
      session.startTransaction();
      await c.insertOne({ _id: 'before' } as Document, { session });
      const dup = await rejection(c.insertOne({ _id: 'dup2' } as Document, { session }));
      expect(dup.code).to.equal(11000);
      const next = await rejection(c.insertOne({ _id: 'after' } as Document, { session }));
      expect(next).to.be.instanceOf(MongoServerError);
      expect(next.code).to.equal(251);
      expect(next.codeName).to.equal('NoSuchTransaction');
      expect(next.hasErrorLabel('TransientTransactionError')).to.equal(true);
      await session.abortTransaction();
      expect(await c.countDocuments({ _id: { $in: ['before', 'after'] } } as Document)).to.equal(0);
    });

    it('when two inserts of one transaction share a unique key, then the second gets 11000 naming it and nothing is kept', async function () {
      session.startTransaction();
      await c.insertMany([{ _id: 'u1', k: 'one' }, { _id: 'u2', k: 'two' }] as Document[], { session });
      const dup = await rejection(c.insertOne({ _id: 'u3', k: 'one' } as Document, { session }));
      expect(dup.code).to.equal(11000);
      expect(dup.keyValue).to.deep.equal({ k: 'one' });
      await session.abortTransaction();
      expect(await c.countDocuments({ _id: { $in: ['u1', 'u2', 'u3'] } } as Document)).to.equal(0);
    });

    it('when a transaction updates a document without touching its unique key, then its own insert of that key gets 11000', async function () {
      await c.insertOne({ _id: 'held', k: 'kept', n: 0 } as Document);
      session.startTransaction();
      await c.updateOne({ _id: 'held' } as Document, { $inc: { n: 1 } }, { session });
      const dup = await rejection(c.insertOne({ _id: 'newcomer', k: 'kept' } as Document, { session }));
      expect(dup.code).to.equal(11000);
      expect(dup.keyValue).to.deep.equal({ k: 'kept' });
      await session.abortTransaction();
      expect(await c.find({ k: 'kept' } as Document).toArray()).to.deep.equal([{ _id: 'held', k: 'kept', n: 0 }]);
    });

    it('when a transaction moves a unique key off one document, then it may give that key to another', async function () {
      await c.insertOne({ _id: 'old', k: 'handed' } as Document);
      await session.withTransaction(async () => {
        await c.insertOne({ _id: 'temp', k: 'passing' } as Document, { session });
        await c.updateOne({ _id: 'temp' } as Document, { $set: { k: 'passed' } }, { session });
        await c.updateOne({ _id: 'old' } as Document, { $set: { k: 'released' } }, { session });
        await c.insertMany([{ _id: 'new', k: 'handed' }, { _id: 'next', k: 'passing' }] as Document[], { session });
      });
      expect(await c.find({ _id: { $in: ['old', 'temp', 'new', 'next'] } } as Document).sort({ _id: 1 }).toArray()).to.deep.equal([
        { _id: 'new', k: 'handed' },
        { _id: 'next', k: 'passing' },
        { _id: 'old', k: 'released' },
        { _id: 'temp', k: 'passed' },
      ]);
    });

    it('when a transaction commits, then a change made by a non-transactional writer afterwards is not lost', async function () {
      await c.insertOne({ _id: 'mix', n: 0 } as Document);
      session.startTransaction();
      await c.updateOne({ _id: 'mix' } as Document, { $inc: { n: 1 } }, { session });
      await session.commitTransaction();
      await c.updateOne({ _id: 'mix' } as Document, { $inc: { n: 1 } });
      expect((await c.findOne({ _id: 'mix' } as Document))?.n).to.equal(2);
    });
  });

  // MongoDB 4.4: collections and indexes may be created inside a transaction, on new collections only.
  describe('collections and indexes created inside a transaction', function () {
    const listed = async (name: string) => (await t.db.listCollections({ name }).toArray()).map((x) => x.name);

    it('when a transaction inserts into a new collection, then others see the collection only once it commits', async function () {
      const session = t.conn.getClient().startSession();
      try {
        session.startTransaction();
        await t.db.collection('ddl_commit').insertOne({ _id: 1 } as Document, { session });
        expect(await listed('ddl_commit')).to.deep.equal([]);
        await session.commitTransaction();
      } finally {
        await session.endSession();
      }
      expect(await listed('ddl_commit')).to.deep.equal(['ddl_commit']);
      expect(await t.db.collection('ddl_commit').find({}).toArray()).to.deep.equal([{ _id: 1 }]);
    });

    it('when a transaction that created a collection and its index aborts, then neither is left', async function () {
      const session = t.conn.getClient().startSession();
      try {
        session.startTransaction();
        await t.db.createCollection('ddl_abort', { session });
        await t.db.collection('ddl_abort').createIndex({ k: 1 }, { session });
        await t.db.collection('ddl_abort').insertOne({ _id: 1, k: 1 } as Document, { session });
        await session.abortTransaction();
      } finally {
        await session.endSession();
      }
      expect(await listed('ddl_abort')).to.deep.equal([]);
    });

    it('when a transaction creates an index on a collection that existed before it, then it is refused and no index is made', async function () {
      const existing = t.db.collection('ddl_existing');
      await existing.insertOne({ _id: 1, k: 1 } as Document);
      const session = t.conn.getClient().startSession();
      try {
        session.startTransaction();
        expect(await rejection(existing.createIndex({ k: 1 }, { session }))).to.be.instanceOf(MongoServerError);
        await session.abortTransaction().catch(() => {});
      } finally {
        await session.endSession();
      }
      expect((await existing.indexes()).map((i) => i.name)).to.deep.equal(['_id_']);
    });
  });
});
