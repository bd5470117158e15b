/**
 * Change streams: Model.watch() and collection.watch() see insert, update, replace and delete,
 * updateLookup, $match pipelines, resumeAfter/startAfter, transactions. Needs a replica set.
 */
import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import { Schema, type Model } from 'mongoose';
import type { ChangeStreamDocument, Collection, Document } from 'mongodb';
import { requireReplicaSet, useTarget } from './target.js';
import { deferred, sleep } from './util.js';

interface Stream extends EventEmitter {
  close(): Promise<unknown> | unknown;
}

/**
 * Records what a change stream emits. `ready` resolves once the server has answered the opening
 * aggregate (the driver reports its first postBatchResumeToken), so later writes are seen.
 */
class Recorder {
  readonly events: ChangeStreamDocument[] = [];
  readonly ready: Promise<void>;
  private error: unknown;

  constructor(readonly stream: Stream) {
    const opened = deferred();
    stream.on('change', (e: ChangeStreamDocument) => this.events.push(e));
    stream.on('error', (err: unknown) => {
      this.error = err;
      opened.reject(err);
    });
    stream.once('resumeTokenChanged', () => opened.resolve());
    this.ready = Promise.race([
      opened.promise,
      sleep(5000).then(() => {
        throw new Error('the change stream did not report its initial postBatchResumeToken within 5 s');
      }),
    ]);
  }

  /** Waits until `n` events arrived and returns them. */
  async take(n: number, timeoutMs = 5000): Promise<ChangeStreamDocument[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length < n) {
      if (this.error) throw this.error;
      if (Date.now() > deadline) {
        throw new Error(`expected ${n} change events within ${timeoutMs} ms, got ${this.events.length}: ${this.events.map((e) => e.operationType).join(', ')}`);
      }
      await sleep(10);
    }
    return this.events.slice(0, n);
  }

  async close(): Promise<void> {
    await this.stream.close();
  }
}

interface IItem {
  name: string;
  qty?: number;
  tag?: string;
}

describe('mongo conformance: change streams', function () {
  const t = useTarget('changestreams');
  let Item: Model<IItem>;
  let items: Collection;
  const open: Recorder[] = [];

  before(async function () {
    requireReplicaSet(this, t);
    Item = t.conn.model<IItem>('Item', new Schema<IItem>({ name: String, qty: Number, tag: String }), 'items');
    await Item.init();
    items = t.db.collection('items');
  });

  afterEach(async function () {
    for (const r of open.splice(0)) await r.close();
  });

  function record(stream: unknown): Recorder {
    const r = new Recorder(stream as Stream);
    open.push(r);
    return r;
  }

  it('when Model.watch() is open, then it sees insert, update, replace and delete in order', async function () {
    const rec = record(Item.watch());
    await rec.ready;
    const doc = await Item.create({ name: 'a', qty: 1, tag: 't' });
    await Item.updateOne({ _id: doc._id }, { $set: { qty: 2 }, $unset: { tag: 1 } });
    await items.replaceOne({ _id: doc._id }, { name: 'b' });
    await Item.deleteOne({ _id: doc._id });
    const [ins, upd, rep, del] = (await rec.take(4)) as any[];
    expect([ins, upd, rep, del].map((e) => e.operationType)).to.deep.equal(['insert', 'update', 'replace', 'delete']);
    for (const e of [ins, upd, rep, del]) {
      expect(e.ns).to.deep.equal({ db: t.dbName, coll: 'items' });
      expect(String(e.documentKey._id)).to.equal(String(doc._id));
      expect(e._id).to.have.property('_data');
      expect(e.clusterTime?._bsontype).to.equal('Timestamp');
    }
    expect(ins.fullDocument).to.deep.include({ name: 'a', qty: 1, tag: 't' });
    expect(upd.updateDescription.updatedFields).to.deep.equal({ qty: 2 });
    expect(upd.updateDescription.removedFields).to.deep.equal(['tag']);
    expect(upd).to.not.have.property('fullDocument');
    expect(rep.fullDocument).to.deep.equal({ _id: doc._id, name: 'b' });
    expect(del).to.not.have.property('fullDocument');
  });

  it("when fullDocument is 'updateLookup', then update events carry the document as it is now", async function () {
    const rec = record(items.watch([], { fullDocument: 'updateLookup' }));
    await rec.ready;
    await items.insertOne({ _id: 'ul', n: 1, keep: 'yes' } as Document);
    await items.updateOne({ _id: 'ul' } as Document, { $inc: { n: 1 } });
    const [, upd] = (await rec.take(2)) as any[];
    expect(upd.operationType).to.equal('update');
    expect(upd.updateDescription.updatedFields).to.deep.equal({ n: 2 });
    expect(upd.fullDocument).to.deep.equal({ _id: 'ul', n: 2, keep: 'yes' });
  });

  it('when a $match stage filters the stream, then only matching events arrive', async function () {
    const rec = record(items.watch([{ $match: { operationType: 'insert', 'fullDocument.tag': 'hot' } }]));
    await rec.ready;
    await items.insertOne({ _id: 'm1', tag: 'cold' } as Document);
    await items.updateOne({ _id: 'm1' } as Document, { $set: { tag: 'hot' } });
    await items.insertOne({ _id: 'm2', tag: 'hot' } as Document);
    await items.deleteOne({ _id: 'm1' } as Document);
    await items.insertOne({ _id: 'm3', tag: 'hot' } as Document);
    await items.insertOne({ _id: 'm4', tag: 'cold' } as Document);
    // a last matching event: anything the filter let through before it would arrive before it
    await items.insertOne({ _id: 'm5', tag: 'hot' } as Document);
    const evs = (await rec.take(3)) as any[];
    expect(evs.map((e) => e.documentKey._id)).to.deep.equal(['m2', 'm3', 'm5']);
  });

  it('when insertMany writes several documents, then each gets its own insert event', async function () {
    const rec = record(items.watch());
    await rec.ready;
    await items.insertMany([{ _id: 'im1' }, { _id: 'im2' }, { _id: 'im3' }] as Document[]);
    const evs = (await rec.take(3)) as any[];
    expect(evs.map((e) => [e.operationType, e.documentKey._id])).to.deep.equal([
      ['insert', 'im1'],
      ['insert', 'im2'],
      ['insert', 'im3'],
    ]);
  });

  it('when a stream is resumed with resumeAfter, then it continues right after that event', async function () {
    const first = record(items.watch());
    await first.ready;
    await items.insertOne({ _id: 'r1' } as Document);
    const [e1] = await first.take(1);
    await first.close();
    await items.insertOne({ _id: 'r2' } as Document);
    await items.insertOne({ _id: 'r3' } as Document);

    const resumed = record(items.watch([], { resumeAfter: e1!._id }));
    const evs = (await resumed.take(2)) as any[];
    expect(evs.map((e) => e.documentKey._id)).to.deep.equal(['r2', 'r3']);

    const started = record(items.watch([], { startAfter: e1!._id }));
    const evs2 = (await started.take(2)) as any[];
    expect(evs2.map((e) => e.documentKey._id)).to.deep.equal(['r2', 'r3']);
  });

  it('when writes happen in transactions, then only committed ones produce events', async function () {
    const rec = record(items.watch());
    await rec.ready;
    const aborted = t.client.startSession();
    try {
      aborted.startTransaction();
      await items.insertOne({ _id: 'tx-aborted' } as Document, { session: aborted });
      await aborted.abortTransaction();
    } finally {
      await aborted.endSession();
    }
    const committed = t.client.startSession();
    try {
      await committed.withTransaction(async () => {
        await items.insertOne({ _id: 'tx-1' } as Document, { session: committed });
        await items.insertOne({ _id: 'tx-2' } as Document, { session: committed });
      });
    } finally {
      await committed.endSession();
    }
    await items.insertOne({ _id: 'after-tx' } as Document);
    const evs = (await rec.take(3)) as any[];
    expect(evs.map((e) => e.documentKey._id)).to.deep.equal(['tx-1', 'tx-2', 'after-tx']);
  });
});
