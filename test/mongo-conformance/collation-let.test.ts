/**
 * Collation and `let` variables reaching every part of a query: $or branches planned on indexes,
 * positional (`$`) updates, and counts folded from an aggregation.
 */
import { expect } from 'chai';
import type { Collection, Document } from 'mongodb';
import { useTarget } from './target.js';
import { sortedIds } from './util.js';

const CI = { locale: 'en', strength: 2 };

describe('mongo conformance: collation and let variables', function () {
  const t = useTarget('collation_let');

  describe('$or branches under a collation', function () {
    let c: Collection;
    before(async function () {
      c = t.db.collection('orcoll');
      await c.createIndex({ name: 1 });
      await c.createIndex({ x: 1 });
      await c.insertMany([
        { _id: 1, name: 'ABC' },
        { _id: 2, name: 'zzz', x: 7 },
        { _id: 3, name: 'abd', x: 8 },
      ] as Document[]);
    });

    const filter = { $or: [{ name: 'abc' }, { x: 7 }] };

    it('when every $or branch has an index, then find compares strings with the collation', async function () {
      expect(sortedIds(await c.find(filter, { collation: CI }).toArray())).to.deep.equal([1, 2]);
    });

    it('when the same $or is counted, then countDocuments and the count command agree with find', async function () {
      expect(await c.countDocuments(filter, { collation: CI })).to.equal(2);
      const r = await t.db.command({ count: 'orcoll', query: filter, collation: CI });
      expect(r.n).to.equal(2);
    });

    it('when there is no collation, then the $or stays case-sensitive', async function () {
      expect(sortedIds(await c.find(filter).toArray())).to.deep.equal([2]);
    });
  });

  describe('positional updates', function () {
    let c: Collection;
    beforeEach(async function () {
      c = t.db.collection('positional');
      await c.deleteMany({});
      await c.insertMany([{ _id: 1, k: 1, tags: ['zz', 'ABC'] }] as Document[]);
    });

    it('when updateOne matches an array element through a collation, then $ addresses that element', async function () {
      const r = await c.updateOne({ tags: 'abc' }, { $set: { 'tags.$': 'X' } }, { collation: CI });
      expect(r.modifiedCount).to.equal(1);
      expect((await c.findOne({ _id: 1 } as Document))!.tags).to.deep.equal(['zz', 'X']);
    });

    it('when findOneAndUpdate matches an array element through a collation, then $ addresses that element', async function () {
      const doc = await c.findOneAndUpdate({ tags: 'abc' }, { $set: { 'tags.$': 'Y' } }, { collation: CI, returnDocument: 'after' });
      expect(doc!.tags).to.deep.equal(['zz', 'Y']);
    });

    it('when the filter uses a let variable in $expr, then a positional update still applies', async function () {
      const filter = { tags: 'ABC', $expr: { $eq: ['$k', '$$v'] } };
      const r = await c.updateOne(filter, { $set: { 'tags.$': 'Z' } }, { let: { v: 1 } });
      expect(r.modifiedCount).to.equal(1);
      const doc = await c.findOneAndUpdate(filter, { $set: { 'tags.$': 'never' } }, { let: { v: 1 }, returnDocument: 'after' });
      expect(doc).to.equal(null);
      const again = await c.findOneAndUpdate({ tags: 'Z', $expr: { $eq: ['$k', '$$v'] } }, { $set: { 'tags.$': 'W' } }, { let: { v: 1 }, returnDocument: 'after' });
      expect(again!.tags).to.deep.equal(['zz', 'W']);
    });
  });

  describe('aggregate counts', function () {
    let c: Collection;
    before(async function () {
      c = t.db.collection('aggcount');
      await c.insertMany([{ _id: 1, lim: 4 }, { _id: 2, lim: 5 }, { _id: 3, lim: 4 }] as Document[]);
    });

    it('when $match uses a let variable and a $group counts, then the variable is defined', async function () {
      const out = await c.aggregate([
        { $match: { $expr: { $eq: ['$lim', '$$v'] } } },
        { $group: { _id: null, n: { $sum: 1 } } },
      ], { let: { v: 4 } }).toArray();
      expect(out).to.deep.equal([{ _id: null, n: 2 }]);
    });
  });
});
