/** Cursors: batchSize, limit, getMore, early close/kill, large result sets. */
import { expect } from 'chai';
import { Schema } from 'mongoose';
import { Long, MongoServerError, type CommandStartedEvent, type CommandSucceededEvent, type Collection, type Db, type Document, type MongoClient } from 'mongodb';
import { useTarget } from './target.js';
import { rejection, toLong } from './util.js';

const TOTAL = 1000;

describe('mongo conformance: cursors', function () {
  const t = useTarget('cursors');
  let client: MongoClient;
  let db: Db;
  let c: Collection;
  let started: CommandStartedEvent[] = [];
  let succeeded: CommandSucceededEvent[] = [];

  before(async function () {
    client = await t.openClient({ monitorCommands: true });
    client.on('commandStarted', (e) => started.push(e));
    client.on('commandSucceeded', (e) => succeeded.push(e));
    db = client.db(t.dbName);
    c = db.collection('big');
    const docs = Array.from({ length: TOTAL }, (_, i) => ({ _id: i, n: i, pad: 'x'.repeat(40) }));
    await c.insertMany(docs as Document[]);
  });

  beforeEach(function () {
    started = [];
    succeeded = [];
  });

  const commands = (name: string) => started.filter((e) => e.commandName === name);

  it('when 1,000 documents are read with batchSize 10, then each comes back exactly once over ~100 getMores', async function () {
    const docs = await c.find({}).batchSize(10).toArray();
    expect(docs).to.have.length(TOTAL);
    const seen = new Set(docs.map((d) => Number(d._id)));
    expect(seen.size).to.equal(TOTAL);
    const getMores = commands('getMore');
    expect(getMores.length).to.be.within(99, 100);
    for (const g of getMores) expect(g.command.batchSize).to.equal(10);
    const find = succeeded.find((e) => e.commandName === 'find');
    expect((find?.reply as Document).cursor.firstBatch).to.have.length(10);
  });

  it('when no batchSize is given, then the first batch holds 101 documents and getMore returns the rest', async function () {
    const docs = await c.find({}).toArray();
    expect(docs).to.have.length(TOTAL);
    const find = succeeded.find((e) => e.commandName === 'find');
    expect((find?.reply as Document).cursor.firstBatch).to.have.length(101);
    expect(commands('getMore').length).to.be.at.least(1);
  });

  it('when a sorted cursor pages with getMore, then the order holds across batches', async function () {
    const docs = await c.find({}).sort({ n: -1 }).batchSize(7).toArray();
    expect(docs.map((d) => d.n)).to.deep.equal(Array.from({ length: TOTAL }, (_, i) => TOTAL - 1 - i));
  });

  it('when limit is smaller than the result, then exactly limit documents come back', async function () {
    const docs = await c.find({}).sort({ _id: 1 }).limit(25).batchSize(10).toArray();
    expect(docs.map((d) => d._id)).to.deep.equal(Array.from({ length: 25 }, (_, i) => i));
    // (Whether the server closes the cursor itself at the limit or the driver kills it varies by
    // query engine on real MongoDB, so only the documents are asserted.)
  });

  it('when skip and limit page through a sort, then pages tile the whole set without overlap', async function () {
    const all: number[] = [];
    for (let page = 0; page < 10; page++) {
      const docs = await c.find({}, { projection: { _id: 1 } }).sort({ _id: -1 }).skip(page * 100).limit(100).toArray();
      all.push(...docs.map((d) => Number(d._id)));
    }
    expect(all).to.deep.equal(Array.from({ length: TOTAL }, (_, i) => TOTAL - 1 - i));
  });

  it('when a cursor is read to the end, then the driver has nothing to kill', async function () {
    const docs = await c.find({ n: { $lt: 20 } }).batchSize(10).toArray();
    expect(docs).to.have.length(20);
    expect(commands('killCursors')).to.have.length(0);
  });

  it('when a cursor is closed early, then the driver kills it and the server forgets it (43 CursorNotFound)', async function () {
    const cursor = c.find({}).batchSize(10);
    for (let i = 0; i < 3; i++) expect(await cursor.next()).to.not.equal(null);
    const id = cursor.id;
    expect(id, 'cursor id').to.not.equal(undefined);
    expect(toLong(id).isZero()).to.equal(false);
    await cursor.close();
    const kills = commands('killCursors');
    expect(kills).to.have.length(1);
    expect(kills[0]!.command.cursors.map((x: unknown) => toLong(x).toString())).to.deep.equal([toLong(id).toString()]);
    const err = await rejection(db.command({ getMore: toLong(id), collection: 'big' }));
    expect(err).to.be.instanceOf(MongoServerError);
    expect(err.code).to.equal(43);
    expect(err.codeName).to.equal('CursorNotFound');
  });

  it('when find/getMore/killCursors are run as raw commands, then replies have the documented cursor shape', async function () {
    // A cursor belongs to the session that opened it, so the whole sequence shares one session.
    const session = client.startSession();
    try {
      const opts = { session, promoteLongs: false };
      const first = await db.command({ find: 'big', filter: {}, sort: { _id: 1 }, batchSize: 2 }, opts);
      expect(first.ok).to.equal(1);
      expect(first.cursor.ns).to.equal(`${t.dbName}.big`);
      expect(first.cursor.firstBatch.map((d: Document) => d._id)).to.deep.equal([0, 1]);
      expect(Long.isLong(first.cursor.id)).to.equal(true);
      const id = first.cursor.id as Long;
      expect(id.isZero()).to.equal(false);

      const more = await db.command({ getMore: id, collection: 'big', batchSize: 3 }, opts);
      expect(more.cursor.nextBatch.map((d: Document) => d._id)).to.deep.equal([2, 3, 4]);
      expect((more.cursor.id as Long).equals(id)).to.equal(true);
      expect(more.cursor.ns).to.equal(`${t.dbName}.big`);

      const killed = await db.command({ killCursors: 'big', cursors: [id] }, opts);
      expect(killed.cursorsKilled.map((x: Long) => x.toString())).to.deep.equal([id.toString()]);
      expect(killed.cursorsNotFound).to.deep.equal([]);

      const err = await rejection(db.command({ getMore: id, collection: 'big' }, opts));
      expect(err).to.be.instanceOf(MongoServerError);
      expect(err.code).to.equal(43);
    } finally {
      await session.endSession();
    }
  });

  it('when a result fits in the first batch, then the cursor id is 0', async function () {
    const res = await db.command({ find: 'big', filter: { n: { $lt: 5 } } }, { promoteLongs: false });
    expect(res.cursor.firstBatch).to.have.length(5);
    expect(toLong(res.cursor.id).isZero()).to.equal(true);
    const one = await db.command({ find: 'big', filter: {}, limit: 1, singleBatch: true }, { promoteLongs: false });
    expect(one.cursor.firstBatch).to.have.length(1);
    expect(toLong(one.cursor.id).isZero()).to.equal(true);
  });

  it('when two cursors are open at once, then each keeps its own position', async function () {
    const a = c.find({}).sort({ _id: 1 }).batchSize(3);
    const b = c.find({}).sort({ _id: -1 }).batchSize(4);
    const fromA: number[] = [];
    const fromB: number[] = [];
    for (let i = 0; i < 10; i++) {
      fromA.push(Number((await a.next())!._id));
      fromB.push(Number((await b.next())!._id));
    }
    await a.close();
    await b.close();
    expect(fromA).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(fromB).to.deep.equal([999, 998, 997, 996, 995, 994, 993, 992, 991, 990]);
  });

  it('when an aggregate cursor has a small batchSize, then getMore delivers the rest', async function () {
    const docs = await c.aggregate([{ $match: { n: { $lt: 23 } } }, { $sort: { n: 1 } }], { batchSize: 5 }).toArray();
    expect(docs.map((d) => d.n)).to.deep.equal(Array.from({ length: 23 }, (_, i) => i));
    expect(commands('getMore').length).to.be.at.least(4);
  });

  it('when a mongoose query cursor iterates 1,000 documents, then every one is visited once', async function () {
    const Big = t.conn.model('Big', new Schema({ _id: Number, n: Number, pad: String }), 'big');
    let count = 0;
    let sum = 0;
    for await (const doc of Big.find().sort({ _id: 1 }).batchSize(50).cursor()) {
      count++;
      sum += doc.n as number;
    }
    expect(count).to.equal(TOTAL);
    expect(sum).to.equal((TOTAL * (TOTAL - 1)) / 2);
    const seen: number[] = [];
    await Big.find({ n: { $gte: 990 } }).sort({ n: 1 }).lean().cursor({ batchSize: 3 }).eachAsync((d) => {
      seen.push(d.n as number);
    });
    expect(seen).to.deep.equal([990, 991, 992, 993, 994, 995, 996, 997, 998, 999]);
  });
});
