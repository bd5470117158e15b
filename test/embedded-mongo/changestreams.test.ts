import { expect } from 'chai';
import { MongoClient, type ChangeStreamDocument, type Db } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../embedded-mongo/index.js';

describe('embedded-mongo change streams', function () {
  let server: EmbeddedMongo;
  let client: MongoClient;
  let db: Db;

  before(async () => {
    server = await startEmbeddedMongo({});
    client = new MongoClient(server.uri);
    await client.connect();
    db = client.db('cs');
  });
  after(async () => {
    await client.close();
    await server.stop();
  });

  it('reports insert, update, replace and delete with their documents', async () => {
    const c = db.collection<any>('events');
    await c.insertOne({ _id: 0, warm: true });
    const stream = c.watch([], { fullDocument: 'updateLookup' });
    await stream.tryNext(); // opens the cursor
    await c.insertOne({ _id: 1, a: 1, nested: { x: 1 } });
    await c.updateOne({ _id: 1 }, { $set: { 'nested.x': 2, b: 'new' }, $unset: { a: '' } });
    await c.replaceOne({ _id: 1 }, { only: 'this' });
    await c.deleteOne({ _id: 1 });
    const got: ChangeStreamDocument[] = [];
    while (got.length < 4) got.push(await stream.next());
    await stream.close();
    expect(got.map((e) => e.operationType)).to.deep.equal(['insert', 'update', 'replace', 'delete']);
    const [ins, upd, rep, del] = got as any[];
    expect(ins.fullDocument).to.deep.equal({ _id: 1, a: 1, nested: { x: 1 } });
    expect(ins.ns).to.deep.equal({ db: 'cs', coll: 'events' });
    expect(ins.documentKey).to.deep.equal({ _id: 1 });
    expect(ins.clusterTime._bsontype).to.equal('Timestamp');
    expect(ins._id._data).to.be.a('string');
    expect(upd.updateDescription.updatedFields).to.deep.equal({ 'nested.x': 2, b: 'new' });
    expect(upd.updateDescription.removedFields).to.deep.equal(['a']);
    // updateLookup gives the current document (already replaced/deleted by now: null or the replacement)
    expect(upd).to.have.property('fullDocument');
    expect(rep.fullDocument).to.deep.equal({ _id: 1, only: 'this' });
    expect(del.documentKey).to.deep.equal({ _id: 1 });
  });

  it('filters through a $match stage and resumes after a token', async () => {
    const c = db.collection<any>('resume');
    const stream = c.watch([{ $match: { operationType: 'insert' } }]);
    await stream.tryNext();
    await c.insertOne({ _id: 'a' });
    await c.updateOne({ _id: 'a' }, { $set: { x: 1 } });
    await c.insertOne({ _id: 'b' });
    const first = await stream.next();
    expect(first.operationType).to.equal('insert');
    const token = stream.resumeToken;
    await stream.close();
    await c.insertOne({ _id: 'c' });
    const resumed = c.watch([{ $match: { operationType: 'insert' } }], { resumeAfter: token });
    const ids = [(await resumed.next() as any).documentKey._id, (await resumed.next() as any).documentKey._id];
    await resumed.close();
    expect(ids).to.deep.equal(['b', 'c']);
  });

  it('delivers a transaction\'s writes at commit', async () => {
    const c = db.collection<any>('txnevents');
    await c.insertOne({ _id: 'seed' });
    const stream = c.watch();
    await stream.tryNext();
    const s = client.startSession();
    await s.withTransaction(async () => {
      await c.insertOne({ _id: 't1' }, { session: s });
      await c.updateOne({ _id: 'seed' }, { $set: { touched: true } }, { session: s });
    });
    await s.endSession();
    const a = await stream.next();
    const b = await stream.next();
    await stream.close();
    expect([a.operationType, b.operationType].sort()).to.deep.equal(['insert', 'update']);
    expect((a as any).txnNumber).to.not.equal(undefined);
  });

  it('waits about maxAwaitTimeMS on an empty getMore, then answers an empty batch', async () => {
    const c = db.collection<any>('quiet');
    const stream = c.watch([], { maxAwaitTimeMS: 300 });
    await stream.tryNext();
    const t0 = Date.now();
    const next = await stream.tryNext();
    const waited = Date.now() - t0;
    await stream.close();
    expect(next).to.equal(null);
    expect(waited).to.be.within(200, 1500);
  });

  it('wakes a waiting getMore as soon as an event arrives', async () => {
    const c = db.collection<any>('wake');
    const stream = c.watch([], { maxAwaitTimeMS: 5000 });
    const t0 = Date.now();
    const next = stream.next(); // aggregate, then a getMore that waits
    setTimeout(() => void c.insertOne({ _id: 'ping' }), 300);
    const e = await next;
    await stream.close();
    expect(e.operationType).to.equal('insert');
    expect(Date.now() - t0).to.be.below(2000);
  });

  it('invalidates a collection stream when the collection is dropped', async () => {
    const c = db.collection<any>('dropme');
    await c.insertOne({ _id: 1 });
    const stream = c.watch();
    await stream.tryNext();
    await c.drop();
    const drop = await stream.next();
    expect(drop.operationType).to.equal('drop');
    const inv = await stream.next();
    expect(inv.operationType).to.equal('invalidate');
    await stream.close();
  });

  it('stop() returns promptly while a change-stream getMore is waiting', async () => {
    const other = await startEmbeddedMongo({});
    const cl = new MongoClient(other.uri);
    await cl.connect();
    const stream = cl.db('x').collection<any>('y').watch([], { maxAwaitTimeMS: 10_000 });
    const pending = stream.tryNext().catch(() => null); // aggregate, then a waiting getMore
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    await other.stop();
    expect(Date.now() - t0).to.be.below(2000);
    await cl.close(true).catch(() => undefined);
    await pending;
  });
});
