import { expect } from 'chai';
import { MongoClient, type Db, type Document } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../embedded-mongo/index.js';

/** Planner behaviour (via explain), TTL, and refusals of unsupported features. */
describe('embedded-mongo planner, TTL and unsupported features', function () {
  let server: EmbeddedMongo;
  let client: MongoClient;
  let db: Db;

  before(async () => {
    server = await startEmbeddedMongo({ ttlIntervalMs: 50 });
    client = new MongoClient(server.uri);
    await client.connect();
    db = client.db('planner');
    const c = db.collection<any>('items');
    await c.createIndex({ email: 1 }, { unique: true });
    await c.createIndex({ status: 1 });
    await c.createIndex({ due: 1 });
    await c.createIndex({ stage: 1, updatedAt: -1 });
    const base = Date.UTC(2026, 0, 1);
    const docs: Document[] = [];
    for (let i = 0; i < 20_000; i++) {
      docs.push({ _id: i, email: `u${i}@x.io`, status: i % 20 === 0 ? 'open' : 'done', stage: ['a', 'b', 'c', 'x'][i % 4], updatedAt: new Date(base + i * 1000), due: new Date(base + (i % 2000 === 0 ? -i : 1e9 + i)) });
    }
    await c.insertMany(docs);
  });
  after(async () => {
    await client.close();
    await server.stop();
  });

  const explain = async (filter: Document, sort?: Document, limit?: number) => {
    let cur = db.collection<any>('items').find(filter);
    if (sort) cur = cur.sort(sort);
    if (limit) cur = cur.limit(limit);
    return cur.explain('executionStats') as Promise<Document>;
  };

  it('answers equality and $in on indexed fields through the index', async () => {
    const eq = await explain({ email: 'u123@x.io' });
    expect(eq.queryPlanner.winningPlan.inputStage.stage).to.equal('IXSCAN');
    expect(eq.executionStats.totalDocsExamined).to.equal(1);
    const inn = await explain({ email: { $in: ['u1@x.io', 'u2@x.io', 'nope'] } });
    expect(inn.executionStats.totalDocsExamined).to.equal(2);
    const id = await explain({ _id: 19_999 });
    expect(id.executionStats.totalDocsExamined).to.equal(1);
  });

  it('walks an ordered index for a range + sort + limit and stops early', async () => {
    const r = await explain({ due: { $lte: new Date(Date.UTC(2026, 0, 1)) }, status: 'open' }, { due: 1 }, 3);
    expect(r.executionStats.nReturned).to.equal(3);
    expect(r.executionStats.totalDocsExamined).to.be.at.most(10);
  });

  it('walks a compound index in order for equality + sort + limit', async () => {
    const r = await explain({ stage: 'x' }, { updatedAt: -1 }, 50);
    expect(r.queryPlanner.winningPlan.inputStage.indexName).to.equal('stage_1_updatedAt_-1');
    expect(r.executionStats.totalDocsExamined).to.equal(50);
    const docs = await db.collection<any>('items').find({ stage: 'x' }).sort({ updatedAt: -1 }).limit(3).toArray();
    expect(docs.map((d) => d._id)).to.deep.equal([19_999, 19_995, 19_991]);
  });

  it('counts an indexed equality without examining documents', async () => {
    const r = await db.collection<any>('items').countDocuments({ status: 'open' });
    expect(r).to.equal(1000);
    const ex = await db.command({ explain: { count: 'items', query: { status: 'open' } }, verbosity: 'executionStats' });
    expect(ex.queryPlanner.winningPlan.stage).to.equal('COUNT_SCAN');
  });

  it('scans only for non-indexed fields', async () => {
    const r = await explain({ nope: 1 });
    expect(r.queryPlanner.winningPlan.stage).to.equal('COLLSCAN');
  });

  it('orders mixed BSON types like MongoDB', async () => {
    const c = db.collection<any>('mixed');
    const { ObjectId, Decimal128, Long } = await import('bson');
    await c.insertMany([
      { _id: 1, v: 'str' }, { _id: 2, v: 5 }, { _id: 3, v: null }, { _id: 4 }, { _id: 5, v: new Date(0) },
      { _id: 6, v: true }, { _id: 7, v: new ObjectId('000000000000000000000001') }, { _id: 8, v: { a: 1 } },
      { _id: 9, v: [0, 10] }, { _id: 10, v: Decimal128.fromString('4.5') }, { _id: 11, v: Long.fromNumber(6) },
    ] as Document[]);
    const asc = (await c.find().sort({ v: 1, _id: 1 }).toArray()).map((d) => d._id);
    expect(asc).to.deep.equal([3, 4, 9, 10, 2, 11, 1, 8, 7, 6, 5]);
    const desc = (await c.find().sort({ v: -1, _id: 1 }).toArray()).map((d) => d._id);
    expect(desc).to.deep.equal([5, 6, 7, 8, 1, 9, 11, 2, 10, 3, 4]);
    expect((await c.find({ v: null }).toArray()).map((d) => d._id).sort()).to.deep.equal([3, 4]);
    expect((await c.find({ v: { $gt: 4 } }).toArray()).map((d) => d._id).sort()).to.deep.equal([10, 11, 2, 9]);
  });

  it('removes documents past their TTL', async () => {
    const c = db.collection<any>('ttl');
    await c.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    await c.insertMany([{ _id: 'old', expiresAt: new Date(Date.now() - 1000) }, { _id: 'future', expiresAt: new Date(Date.now() + 60_000) }, { _id: 'none' }]);
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && (await c.countDocuments({ _id: 'old' })) > 0) await new Promise((r) => setTimeout(r, 50));
    expect((await c.find().toArray()).map((d) => d._id).sort()).to.deep.equal(['future', 'none']);
  });

  it('honours a query collation for matching, sorting and counting', async () => {
    const c = db.collection<any>('names');
    await c.createIndex({ name: 1 });
    await c.insertMany([{ name: 'apple' }, { name: 'Apple' }, { name: 'Äpple' }, { name: 'banana' }, { name: 'item10' }, { name: 'item9' }]);
    const names = async (p: Promise<Document[]>) => (await p).map((d) => d.name);
    expect(await names(c.find({ name: 'APPLE' }, { collation: { locale: 'en', strength: 2 } }).toArray())).to.have.members(['apple', 'Apple']);
    expect(await names(c.find({ name: 'apple' }, { collation: { locale: 'en', strength: 1 } }).toArray())).to.have.members(['apple', 'Apple', 'Äpple']);
    expect(await names(c.find({ name: 'APPLE' }).toArray())).to.deep.equal([]);
    expect(await names(c.find({ name: /^item/ }, { collation: { locale: 'en', numericOrdering: true } }).sort({ name: 1 }).toArray())).to.deep.equal(['item9', 'item10']);
    expect(await c.countDocuments({ name: 'APPLE' }, { collation: { locale: 'en', strength: 2 } })).to.equal(2);
  });

  it('keeps capped collections within max and size', async () => {
    await db.createCollection('capped', { capped: true, size: 100_000, max: 5 });
    for (let i = 0; i < 12; i++) await db.collection<any>('capped').insertOne({ i });
    expect((await db.collection<any>('capped').find().toArray()).map((d) => d.i)).to.deep.equal([7, 8, 9, 10, 11]);
  });

  it('refuses $text, geo and $where instead of answering wrongly', async () => {
    const c = db.collection<any>('items');
    const text = await c.find({ $text: { $search: 'x' } }).toArray().catch((e) => e);
    expect(text.code).to.equal(27);
    const near = await c.find({ loc: { $near: [0, 0] } }).toArray().catch((e) => e);
    expect(near.code).to.equal(2);
    const within = await c.find({ loc: { $geoWithin: { $center: [[0, 0], 1] } } }).toArray().catch((e) => e);
    expect(within.code).to.equal(2);
    const where = await c.find({ $where: 'this.a == 1' }).toArray().catch((e) => e);
    expect(where.code).to.equal(2);
    const geoNear = await c.aggregate([{ $geoNear: { near: [0, 0], distanceField: 'd' } }]).toArray().catch((e) => e);
    expect(geoNear.code).to.equal(2);
  });
});
