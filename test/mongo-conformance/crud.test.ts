/**
 * CRUD, every update operator, replacement and pipeline updates, upserts, findOneAndX,
 * bulkWrite and insertMany errors: through the driver and through mongoose.
 */
import { expect } from 'chai';
import { Schema, type Model } from 'mongoose';
import { MongoBulkWriteError, ObjectId, type Collection, type Document } from 'mongodb';
import { useTarget } from './target.js';
import { rejection, sortedIds, writeErrorsOf } from './util.js';

interface UpdateCase {
  name: string;
  doc: Document;
  /** An operator update document, or an aggregation pipeline. */
  update: Document | Document[];
  /** Extra filter fields (the `_id` is always part of the filter). */
  filter?: Document;
  arrayFilters?: Document[];
  upsert?: boolean;
  /** The whole stored document afterwards, without `_id`. */
  expected?: Document;
  check?: (doc: Document) => void;
  /** Expected modifiedCount (defaults to 1). */
  modified?: number;
}

const updateCases: UpdateCase[] = [
  { name: '$set sets top-level and dotted fields, creating parents', doc: { a: 1 }, update: { $set: { b: 2, 'c.d': 3 } }, expected: { a: 1, b: 2, c: { d: 3 } } },
  { name: '$set on an index past the end pads the array with nulls', doc: { arr: [1, 2] }, update: { $set: { 'arr.4': 9 } }, expected: { arr: [1, 2, null, null, 9] } },
  { name: '$set of the same value modifies nothing', doc: { a: 1 }, update: { $set: { a: 1 } }, expected: { a: 1 }, modified: 0 },
  { name: '$unset removes fields', doc: { a: 1, b: 2, c: { d: 1, e: 2 } }, update: { $unset: { b: '', 'c.d': 1 } }, expected: { a: 1, c: { e: 2 } } },
  { name: '$unset of a missing field modifies nothing', doc: { a: 1 }, update: { $unset: { zz: '' } }, expected: { a: 1 }, modified: 0 },
  { name: '$unset of an array element leaves null in its place', doc: { arr: [1, 2, 3] }, update: { $unset: { 'arr.1': '' } }, expected: { arr: [1, null, 3] } },
  { name: '$inc adds, and creates missing (dotted) fields', doc: { a: 1 }, update: { $inc: { a: 2, b: 5, 'x.y': -1 } }, expected: { a: 3, b: 5, x: { y: -1 } } },
  { name: '$mul multiplies, and sets a missing field to 0', doc: { a: 2 }, update: { $mul: { a: 3, b: 2 } }, expected: { a: 6, b: 0 } },
  { name: '$min keeps the smaller value and sets missing fields', doc: { a: 5, b: 5 }, update: { $min: { a: 3, b: 7, c: 1 } }, expected: { a: 3, b: 5, c: 1 } },
  { name: '$max keeps the larger value', doc: { a: 5, b: 5 }, update: { $max: { a: 3, b: 7 } }, expected: { a: 5, b: 7 } },
  { name: '$min and $max compare dates', doc: { lo: new Date('2024-06-01'), hi: new Date('2024-06-01') }, update: { $min: { lo: new Date('2024-01-01') }, $max: { hi: new Date('2025-01-01') } }, expected: { lo: new Date('2024-01-01'), hi: new Date('2025-01-01') } },
  { name: '$rename moves top-level and nested fields', doc: { a: 1, b: { c: 2 } }, update: { $rename: { a: 'x', 'b.c': 'y' } }, expected: { b: {}, x: 1, y: 2 } },
  {
    name: '$currentDate sets a Date and a Timestamp',
    doc: { a: 1 },
    update: { $currentDate: { d: true, ts: { $type: 'timestamp' } } },
    check(doc) {
      expect(doc.d).to.be.instanceOf(Date);
      expect(Math.abs((doc.d as Date).getTime() - Date.now())).to.be.below(60_000);
      expect(doc.ts?._bsontype).to.equal('Timestamp');
    },
  },
  { name: '$push appends and creates the array when missing', doc: { arr: [1] }, update: { $push: { arr: 2, other: 'x' } }, expected: { arr: [1, 2], other: ['x'] } },
  { name: '$push with $each and $position inserts in the middle', doc: { arr: [1, 2, 3] }, update: { $push: { arr: { $each: [8, 9], $position: 1 } } }, expected: { arr: [1, 8, 9, 2, 3] } },
  { name: '$push with $each and a negative $slice keeps the last n', doc: { arr: [1, 2, 3] }, update: { $push: { arr: { $each: [4, 5], $slice: -3 } } }, expected: { arr: [3, 4, 5] } },
  {
    name: '$push with $each, $sort on a field and $slice',
    doc: { arr: [{ s: 3 }, { s: 1 }] },
    update: { $push: { arr: { $each: [{ s: 2 }], $sort: { s: 1 }, $slice: 2 } } },
    expected: { arr: [{ s: 1 }, { s: 2 }] },
  },
  { name: '$push with $sort -1 on scalars sorts descending', doc: { arr: [3, 1] }, update: { $push: { arr: { $each: [2], $sort: -1 } } }, expected: { arr: [3, 2, 1] } },
  { name: '$pull removes every equal value', doc: { arr: [1, 2, 3, 2] }, update: { $pull: { arr: 2 } }, expected: { arr: [1, 3] } },
  { name: '$pull with a condition removes matching scalars', doc: { arr: [1, 5, 8] }, update: { $pull: { arr: { $gte: 5 } } }, expected: { arr: [1] } },
  { name: '$pull with a document condition removes embedded documents that match it', doc: { arr: [{ a: 1, b: 1 }, { a: 2 }] }, update: { $pull: { arr: { a: 1 } } }, expected: { arr: [{ a: 2 }] } },
  { name: '$pullAll removes all listed values', doc: { arr: [1, 2, 3, 1] }, update: { $pullAll: { arr: [1, 3] } }, expected: { arr: [2] } },
  { name: '$addToSet of an existing value modifies nothing', doc: { arr: [1, 2] }, update: { $addToSet: { arr: 2 } }, expected: { arr: [1, 2] }, modified: 0 },
  { name: '$addToSet with $each adds only new values, once each', doc: { arr: [1, 2] }, update: { $addToSet: { arr: { $each: [2, 3, 3] } } }, expected: { arr: [1, 2, 3] } },
  {
    name: '$addToSet compares embedded documents field order included',
    doc: { arr: [{ x: 1, y: 2 }] },
    update: { $addToSet: { arr: { y: 2, x: 1 } } },
    expected: { arr: [{ x: 1, y: 2 }, { y: 2, x: 1 }] },
  },
  { name: '$pop 1 removes the last element', doc: { arr: [1, 2, 3] }, update: { $pop: { arr: 1 } }, expected: { arr: [1, 2] } },
  { name: '$pop -1 removes the first element', doc: { arr: [1, 2, 3] }, update: { $pop: { arr: -1 } }, expected: { arr: [2, 3] } },
  { name: '$bit and/or/xor on integers', doc: { n: 13, m: 13, k: 13 }, update: { $bit: { n: { and: 10 }, m: { or: 2 }, k: { xor: 1 } } }, expected: { n: 8, m: 15, k: 12 } },
  {
    name: 'positional $ updates the first element matched by the filter',
    doc: { arr: [{ k: 'a', v: 1 }, { k: 'b', v: 2 }, { k: 'b', v: 3 }] },
    filter: { 'arr.k': 'b' },
    update: { $set: { 'arr.$.v': 20 } },
    expected: { arr: [{ k: 'a', v: 1 }, { k: 'b', v: 20 }, { k: 'b', v: 3 }] },
  },
  { name: 'all-positional $[] updates every element', doc: { arr: [1, 2, 3] }, update: { $inc: { 'arr.$[]': 10 } }, expected: { arr: [11, 12, 13] } },
  {
    name: 'filtered positional $[id] with arrayFilters updates only matching elements',
    doc: { arr: [{ g: 1, v: 0 }, { g: 2, v: 0 }, { g: 1, v: 0 }] },
    update: { $set: { 'arr.$[e].v': 9 } },
    arrayFilters: [{ 'e.g': 1 }],
    expected: { arr: [{ g: 1, v: 9 }, { g: 2, v: 0 }, { g: 1, v: 9 }] },
  },
  {
    name: 'nested $[outer].items.$[inner] with two arrayFilters',
    doc: { rows: [{ n: 1, items: [{ q: 1 }, { q: 5 }] }, { n: 2, items: [{ q: 5 }] }] },
    update: { $inc: { 'rows.$[r].items.$[i].q': 100 } },
    arrayFilters: [{ 'r.n': 1 }, { 'i.q': { $gte: 5 } }],
    expected: { rows: [{ n: 1, items: [{ q: 1 }, { q: 105 }] }, { n: 2, items: [{ q: 5 }] }] },
  },
  { name: '$setOnInsert is ignored when an upsert matches an existing document', doc: { a: 1 }, update: { $set: { b: 1 }, $setOnInsert: { c: 1 } }, upsert: true, expected: { a: 1, b: 1 } },
  { name: 'several operators on different fields apply together', doc: { a: 1, n: 1, l: [] }, update: { $set: { a: 2 }, $inc: { n: 1 }, $push: { l: 'x' } }, expected: { a: 2, n: 2, l: ['x'] } },
  { name: 'a pipeline update computes from existing fields', doc: { a: 1, b: 2 }, update: [{ $set: { total: { $add: ['$a', '$b'] } } }, { $unset: 'a' }], expected: { b: 2, total: 3 } },
  {
    name: 'a pipeline update can use $cond and $concat',
    doc: { first: 'Ada', last: 'Lovelace', n: 4 },
    update: [{ $set: { full: { $concat: ['$first', ' ', '$last'] }, big: { $cond: [{ $gt: ['$n', 3] }, true, false] } } }],
    expected: { first: 'Ada', last: 'Lovelace', n: 4, full: 'Ada Lovelace', big: true },
  },
];

describe('mongo conformance: CRUD and updates', function () {
  const t = useTarget('crud');
  let coll: Collection;

  before(async function () {
    coll = t.db.collection('crud');
  });

  describe('update operators (driver updateOne)', function () {
    updateCases.forEach((c, i) => {
      it(c.name, async function () {
        const _id = 1000 + i;
        await coll.insertOne({ _id, ...c.doc } as Document);
        const res = await coll.updateOne({ _id, ...c.filter } as Document, c.update, {
          ...(c.arrayFilters ? { arrayFilters: c.arrayFilters } : {}),
          ...(c.upsert ? { upsert: true } : {}),
        });
        expect(res.matchedCount, 'matchedCount').to.equal(1);
        expect(res.modifiedCount, 'modifiedCount').to.equal(c.modified ?? 1);
        expect(res.upsertedCount, 'upsertedCount').to.equal(0);
        const stored = await coll.findOne({ _id } as Document);
        expect(stored).to.not.equal(null);
        if (c.expected) expect(stored).to.deep.equal({ _id, ...c.expected });
        c.check?.(stored!);
      });
    });
  });

  describe('inserts, reads, deletes', function () {
    it('when a document has no _id, then insertOne generates an ObjectId and returns it', async function () {
      const res = await coll.insertOne({ kind: 'gen' });
      expect(res.acknowledged).to.equal(true);
      expect(res.insertedId).to.be.instanceOf(ObjectId);
      const back = await coll.findOne({ _id: res.insertedId });
      expect(back?.kind).to.equal('gen');
    });

    it('when updateMany matches several documents, then matched and modified counts say so', async function () {
      await coll.insertMany([
        { _id: 'um1', grp: 'um', v: 1 },
        { _id: 'um2', grp: 'um', v: 2 },
        { _id: 'um3', grp: 'um', v: 2 },
      ] as Document[]);
      const res = await coll.updateMany({ grp: 'um' }, { $set: { v: 2 } });
      expect(res.matchedCount).to.equal(3);
      expect(res.modifiedCount).to.equal(1);
      const res2 = await coll.updateMany({ grp: 'nope' }, { $set: { v: 2 } });
      expect(res2.matchedCount).to.equal(0);
      expect(res2.modifiedCount).to.equal(0);
    });

    it('when deleteOne and deleteMany run, then deletedCount reflects what was removed', async function () {
      await coll.insertMany([
        { _id: 'd1', grp: 'del' },
        { _id: 'd2', grp: 'del' },
        { _id: 'd3', grp: 'del' },
      ] as Document[]);
      expect((await coll.deleteOne({ grp: 'del' })).deletedCount).to.equal(1);
      expect((await coll.deleteMany({ grp: 'del' })).deletedCount).to.equal(2);
      expect((await coll.deleteMany({ grp: 'del' })).deletedCount).to.equal(0);
      expect(await coll.countDocuments({ grp: 'del' })).to.equal(0);
    });

    it('when replaceOne runs, then only the new fields and the _id remain', async function () {
      await coll.insertOne({ _id: 'rep', a: 1, b: 2 } as Document);
      const res = await coll.replaceOne({ _id: 'rep' } as Document, { z: 1 });
      expect(res.matchedCount).to.equal(1);
      expect(res.modifiedCount).to.equal(1);
      expect(await coll.findOne({ _id: 'rep' } as Document)).to.deep.equal({ _id: 'rep', z: 1 });
    });
  });

  describe('upserts', function () {
    it('when nothing matches, then the new document is seeded from equality predicates only', async function () {
      const res = await coll.updateOne(
        { email: 'seed@x.io', 'profile.age': 30, n: { $gt: 5 }, tier: { $eq: 'gold' } },
        { $set: { name: 'Seed' } },
        { upsert: true },
      );
      expect(res.matchedCount).to.equal(0);
      expect(res.modifiedCount).to.equal(0);
      expect(res.upsertedCount).to.equal(1);
      expect(res.upsertedId).to.be.instanceOf(ObjectId);
      const doc = await coll.findOne({ _id: res.upsertedId! });
      expect(doc).to.deep.equal({ _id: res.upsertedId, email: 'seed@x.io', profile: { age: 30 }, tier: 'gold', name: 'Seed' });
    });

    it('when the filter is an $and of equalities, then all of them seed the new document', async function () {
      const res = await coll.updateOne({ $and: [{ ua: 1 }, { ub: { $eq: 2 } }] }, { $inc: { uc: 1 } }, { upsert: true });
      const doc = await coll.findOne({ _id: res.upsertedId! });
      expect(doc).to.deep.equal({ _id: res.upsertedId, ua: 1, ub: 2, uc: 1 });
    });

    it('when the filter has an _id equality, then the upserted document gets that _id', async function () {
      const res = await coll.updateOne({ _id: 4242 } as Document, { $set: { a: 1 } }, { upsert: true });
      expect(res.upsertedId).to.equal(4242);
      expect(await coll.findOne({ _id: 4242 } as Document)).to.deep.equal({ _id: 4242, a: 1 });
    });

    it('when an upsert inserts, then $setOnInsert applies; when it matches later, then $setOnInsert is skipped', async function () {
      const first = await coll.updateOne({ soi: 'u' }, { $setOnInsert: { created: 1 }, $set: { v: 1 } }, { upsert: true });
      expect(first.upsertedCount).to.equal(1);
      const second = await coll.updateOne({ soi: 'u' }, { $setOnInsert: { created: 2 }, $set: { v: 2 } }, { upsert: true });
      expect(second.upsertedCount).to.equal(0);
      expect(second.matchedCount).to.equal(1);
      const doc = await coll.findOne({ soi: 'u' }, { projection: { _id: 0 } });
      expect(doc).to.deep.equal({ soi: 'u', created: 1, v: 2 });
    });

    it('when an upsert uses $push, then the seeded document gets the array', async function () {
      const res = await coll.updateOne({ pk: 'p' }, { $push: { tags: { $each: ['a', 'b'], $slice: -1 } } } as Document, { upsert: true });
      const doc = await coll.findOne({ _id: res.upsertedId! }, { projection: { _id: 0 } });
      expect(doc).to.deep.equal({ pk: 'p', tags: ['b'] });
    });

    it('when a replacement upsert inserts, then the document is the replacement (plus the filter _id)', async function () {
      await coll.replaceOne({ _id: 7777, rk: 'zz' } as Document, { v: 1 }, { upsert: true });
      expect(await coll.findOne({ _id: 7777 } as Document)).to.deep.equal({ _id: 7777, v: 1 });
      const res = await coll.replaceOne({ rk: 'r1' }, { rk: 'r1', v: 2 }, { upsert: true });
      expect(res.upsertedCount).to.equal(1);
      const doc = await coll.findOne({ _id: res.upsertedId! }, { projection: { _id: 0 } });
      expect(doc).to.deep.equal({ rk: 'r1', v: 2 });
    });

    it('when an updateMany upsert matches nothing, then exactly one document is inserted', async function () {
      const res = await coll.updateMany({ umu: 'x' }, { $set: { v: 1 } }, { upsert: true });
      expect(res.upsertedCount).to.equal(1);
      expect(await coll.countDocuments({ umu: 'x' })).to.equal(1);
    });
  });

  describe('findOneAndUpdate / findOneAndReplace / findOneAndDelete', function () {
    let fam: Collection;
    beforeEach(async function () {
      fam = t.db.collection('fam');
      await fam.deleteMany({});
      await fam.insertMany([
        { _id: 1, g: 'a', n: 3, secret: 's1' },
        { _id: 2, g: 'a', n: 1, secret: 's2' },
        { _id: 3, g: 'a', n: 2, secret: 's3' },
        { _id: 4, g: 'b', n: 9, secret: 's4' },
      ] as Document[]);
    });

    it('when sorted ascending with returnDocument before and a projection, then the lowest document comes back as it was', async function () {
      const doc = await fam.findOneAndUpdate({ g: 'a' }, { $inc: { n: 10 } }, { sort: { n: 1 }, projection: { n: 1 }, returnDocument: 'before' });
      expect(doc).to.deep.equal({ _id: 2, n: 1 });
      expect((await fam.findOne({ _id: 2 } as Document))?.n).to.equal(11);
    });

    it('when sorted descending with returnDocument after, then the highest document comes back updated', async function () {
      const doc = await fam.findOneAndUpdate({ g: 'a' }, { $inc: { n: 10 } }, { sort: { n: -1 }, projection: { secret: 0 }, returnDocument: 'after' });
      expect(doc).to.deep.equal({ _id: 1, g: 'a', n: 13 });
    });

    it('when nothing matches and there is no upsert, then null comes back and nothing is written', async function () {
      const doc = await fam.findOneAndUpdate({ g: 'zzz' }, { $set: { n: 0 } });
      expect(doc).to.equal(null);
      expect(await fam.countDocuments({})).to.equal(4);
    });

    it('when upsert inserts with returnDocument after, then the new document and lastErrorObject.upserted come back', async function () {
      const res = await fam.findOneAndUpdate({ _id: 50, g: 'c' } as Document, { $set: { n: 5 } }, { upsert: true, returnDocument: 'after', includeResultMetadata: true });
      expect(res.ok).to.equal(1);
      expect(res.value).to.deep.equal({ _id: 50, g: 'c', n: 5 });
      expect(res.lastErrorObject?.n).to.equal(1);
      expect(res.lastErrorObject?.updatedExisting).to.equal(false);
      expect(res.lastErrorObject?.upserted).to.equal(50);
    });

    it('when upsert inserts with returnDocument before, then null comes back but the document exists', async function () {
      const doc = await fam.findOneAndUpdate({ g: 'd' }, { $set: { n: 1 } }, { upsert: true, returnDocument: 'before' });
      expect(doc).to.equal(null);
      expect(await fam.countDocuments({ g: 'd' })).to.equal(1);
    });

    it('when an existing document is updated, then lastErrorObject says updatedExisting', async function () {
      const res = await fam.findOneAndUpdate({ _id: 4 } as Document, { $set: { n: 10 } }, { includeResultMetadata: true });
      expect(res.lastErrorObject?.n).to.equal(1);
      expect(res.lastErrorObject?.updatedExisting).to.equal(true);
      expect(res.value?.n).to.equal(9);
    });

    it('when findOneAndReplace runs, then the document is replaced and the new one returned', async function () {
      const doc = await fam.findOneAndReplace({ g: 'b' }, { g: 'b', replaced: true }, { returnDocument: 'after' });
      expect(doc).to.deep.equal({ _id: 4, g: 'b', replaced: true });
    });

    it('when findOneAndDelete runs with a sort, then the first in that order is removed and returned', async function () {
      const doc = await fam.findOneAndDelete({ g: 'a' }, { sort: { n: -1 }, projection: { _id: 1 } });
      expect(doc).to.deep.equal({ _id: 1 });
      expect(sortedIds(await fam.find({}).toArray())).to.deep.equal([2, 3, 4]);
      expect(await fam.findOneAndDelete({ g: 'none' })).to.equal(null);
    });

    it('when findOneAndUpdate uses arrayFilters, then only matching elements change', async function () {
      await fam.updateOne({ _id: 4 } as Document, { $set: { items: [{ k: 1 }, { k: 2 }] } });
      const doc = await fam.findOneAndUpdate({ _id: 4 } as Document, { $set: { 'items.$[x].hit': true } }, { arrayFilters: [{ 'x.k': 2 }], returnDocument: 'after' });
      expect(doc?.items).to.deep.equal([{ k: 1 }, { k: 2, hit: true }]);
    });
  });

  describe('bulkWrite and insertMany', function () {
    it('when bulkWrite mixes every kind of operation, then the result counts add up', async function () {
      const bw = t.db.collection('bulk');
      await bw.insertMany([{ _id: 1, v: 1 }, { _id: 2, v: 2 }, { _id: 3, v: 3 }, { _id: 4, v: 4 }] as Document[]);
      const res = await bw.bulkWrite([
        { insertOne: { document: { _id: 10, v: 10 } } },
        { updateOne: { filter: { _id: 1 }, update: { $set: { v: 100 } } } },
        { updateMany: { filter: { v: { $gte: 3, $lt: 10 } }, update: { $inc: { v: 1 } } } },
        { replaceOne: { filter: { _id: 2 }, replacement: { v: 'r' } } },
        { deleteOne: { filter: { _id: 10 } } },
        { deleteMany: { filter: { v: { $gte: 4, $lt: 100 } } } },
        { updateOne: { filter: { _id: 20 }, update: { $set: { v: 20 } }, upsert: true } },
      ] as never);
      expect(res.insertedCount).to.equal(1);
      expect(res.matchedCount).to.equal(4); // 1 + 2 + 1
      expect(res.modifiedCount).to.equal(4);
      expect(res.deletedCount).to.equal(3); // _id 10, then _id 3 (v 4) and _id 4 (v 5)
      expect(res.upsertedCount).to.equal(1);
      expect(res.upsertedIds).to.deep.equal({ 6: 20 });
      const left = await bw.find({}).sort({ _id: 1 }).toArray();
      expect(left).to.deep.equal([{ _id: 1, v: 100 }, { _id: 2, v: 'r' }, { _id: 20, v: 20 }]);
    });

    it('when an ordered insertMany hits a duplicate, then it stops there and writeErrors[0].index points at it', async function () {
      const c = t.db.collection('im_ordered');
      const err = await rejection(c.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 1 }, { _id: 3 }] as Document[], { ordered: true }));
      expect(err).to.be.instanceOf(MongoBulkWriteError);
      expect(err.code).to.equal(11000);
      const we = writeErrorsOf(err);
      expect(we.map((e) => e.index)).to.deep.equal([2]);
      expect(we[0].code).to.equal(11000);
      expect(err.result.insertedCount).to.equal(2);
      expect(sortedIds(await c.find({}).toArray())).to.deep.equal([1, 2]);
    });

    it('when an unordered insertMany hits duplicates, then the rest are inserted and every failing index is reported', async function () {
      const c = t.db.collection('im_unordered');
      const err = await rejection(c.insertMany([{ _id: 1 }, { _id: 1 }, { _id: 2 }, { _id: 2 }, { _id: 3 }] as Document[], { ordered: false }));
      expect(err).to.be.instanceOf(MongoBulkWriteError);
      const we = writeErrorsOf(err);
      expect(we.map((e) => e.index)).to.deep.equal([1, 3]);
      expect(we.every((e) => e.code === 11000)).to.equal(true);
      expect(err.result.insertedCount).to.equal(3);
      expect(sortedIds(await c.find({}).toArray())).to.deep.equal([1, 2, 3]);
    });

    it('when an unordered bulkWrite has a failing update, then the error carries its operation index', async function () {
      const c = t.db.collection('bw_err');
      await c.createIndex({ k: 1 }, { unique: true });
      await c.insertMany([{ _id: 1, k: 'a' }, { _id: 2, k: 'b' }] as Document[]);
      const err = await rejection(
        c.bulkWrite(
          [
            { insertOne: { document: { _id: 3, k: 'c' } } },
            { updateOne: { filter: { _id: 2 }, update: { $set: { k: 'a' } } } },
            { insertOne: { document: { _id: 4, k: 'd' } } },
          ] as never,
          { ordered: false },
        ),
      );
      expect(err).to.be.instanceOf(MongoBulkWriteError);
      const we = writeErrorsOf(err);
      expect(we.map((e) => e.index)).to.deep.equal([1]);
      expect(we[0].code).to.equal(11000);
      expect(sortedIds(await c.find({}).toArray())).to.deep.equal([1, 2, 3, 4]);
    });
  });

  describe('through mongoose models', function () {
    interface IPerson {
      email: string;
      name?: string;
      age?: number;
      tags: string[];
      address?: { city?: string };
    }
    let Person: Model<IPerson>;

    before(async function () {
      const schema = new Schema<IPerson>({
        email: { type: String, required: true, unique: true },
        name: String,
        age: Number,
        tags: [String],
        address: { city: String },
      });
      Person = t.conn.model<IPerson>('Person', schema, 'people');
      await Person.init();
    });

    it('when a document is created, saved and reloaded, then its fields round-trip', async function () {
      const p = await Person.create({ email: 'ada@x.io', name: 'Ada', age: 36, tags: ['math'], address: { city: 'London' } });
      const back = await Person.findById(p._id).lean();
      expect(back).to.deep.include({ email: 'ada@x.io', name: 'Ada', age: 36, tags: ['math'], address: { city: 'London' }, __v: 0 });
      p.name = 'Augusta Ada';
      p.tags.push('poetry');
      await p.save();
      const again = await Person.findOne({ email: 'ada@x.io' });
      expect(again?.name).to.equal('Augusta Ada');
      expect(Array.from(again!.tags)).to.deep.equal(['math', 'poetry']);
    });

    it('when findOneAndUpdate upserts with returnDocument after, then the document is seeded from the filter', async function () {
      const doc = await Person.findOneAndUpdate({ email: 'new@x.io' }, { $set: { name: 'New' } }, { upsert: true, returnDocument: 'after' }).lean();
      expect(doc).to.deep.include({ email: 'new@x.io', name: 'New' });
      expect(await Person.countDocuments({ email: 'new@x.io' })).to.equal(1);
    });

    it('when findOneAndUpdate sorts and projects, then the right document comes back with only the selected fields', async function () {
      await Person.insertMany([
        { email: 'o1@x.io', age: 50, name: 'old' },
        { email: 'o2@x.io', age: 70, name: 'older' },
      ]);
      const doc = await Person.findOneAndUpdate({ age: { $gte: 50 } }, { $inc: { age: 1 } }, { sort: { age: -1 }, projection: { name: 1 }, returnDocument: 'after' }).lean();
      expect(doc).to.have.property('name', 'older');
      expect(doc).to.not.have.property('email');
      expect(doc).to.not.have.property('age');
      const deleted = await Person.findOneAndDelete({ age: { $gte: 50 } }, { sort: { age: 1 } }).lean();
      expect(deleted?.email).to.equal('o1@x.io');
    });

    it('when updateOne and deleteMany run through a model, then they report counts', async function () {
      await Person.create([{ email: 'c1@x.io', tags: ['t'] }, { email: 'c2@x.io', tags: ['t'] }]);
      const up = await Person.updateMany({ tags: 't' }, { $addToSet: { tags: 'u' } });
      expect(up.matchedCount).to.equal(2);
      expect(up.modifiedCount).to.equal(2);
      const del = await Person.deleteMany({ tags: 'u' });
      expect(del.deletedCount).to.equal(2);
    });

    it('when Model.bulkWrite runs, then the result counts come back', async function () {
      const res = await Person.bulkWrite([
        { insertOne: { document: { email: 'b1@x.io', tags: [] } } },
        { updateOne: { filter: { email: 'b1@x.io' }, update: { $set: { name: 'B' } } } },
        { updateOne: { filter: { email: 'b2@x.io' }, update: { $set: { name: 'B2' } }, upsert: true } },
        { deleteOne: { filter: { email: 'ada@x.io' } } },
      ]);
      expect(res.insertedCount).to.equal(1);
      expect(res.modifiedCount).to.equal(1);
      expect(res.upsertedCount).to.equal(1);
      expect(res.deletedCount).to.equal(1);
    });

    it('when Model.insertMany is unordered with a duplicate, then the others are inserted and the index is reported', async function () {
      const err = await rejection(
        Person.insertMany([{ email: 'm1@x.io' }, { email: 'm1@x.io' }, { email: 'm2@x.io' }], { ordered: false }),
      );
      expect(err.code).to.equal(11000);
      const we = writeErrorsOf(err);
      expect(we.map((e) => e.index)).to.deep.equal([1]);
      expect(err.insertedDocs.map((d: IPerson) => d.email)).to.deep.equal(['m1@x.io', 'm2@x.io']);
      expect(await Person.countDocuments({ email: { $in: ['m1@x.io', 'm2@x.io'] } })).to.equal(2);
    });
  });
});
