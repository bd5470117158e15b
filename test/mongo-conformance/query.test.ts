/**
 * Query semantics: null/missing/arrays, $in/$ne/$exists/$type, $elemMatch/$all/$size/$regex,
 * dotted paths into arrays, cross-type sort order, number widths, ObjectId/Date/Decimal128 ranges,
 * projections, distinct and counts.
 */
import { expect } from 'chai';
import { Schema } from 'mongoose';
import { Decimal128, Double, Int32, Long, MongoServerError, ObjectId, type Collection, type Document } from 'mongodb';
import { useTarget } from './target.js';
import { rejection, sortedIds } from './util.js';

describe('mongo conformance: queries, projections, distinct and counts', function () {
  const t = useTarget('query');

  describe('null, missing and arrays', function () {
    let c: Collection;
    before(async function () {
      c = t.db.collection('nulls');
      await c.insertMany([
        { _id: 1, a: null },
        { _id: 2 },
        { _id: 3, a: 1 },
        { _id: 4, a: [1, 2] },
        { _id: 5, a: [null, 3] },
        { _id: 6, a: [] },
        { _id: 7, a: 'x' },
        { _id: 8, a: { b: 1 } },
        { _id: 9, a: [{ b: 1 }, { b: 2 }] },
      ] as Document[]);
    });

    const cases: Array<[string, Document, number[]]> = [
      ['{a: null} matches null, missing, and arrays holding null', { a: null }, [1, 2, 5]],
      ['{a: {$eq: null}} is the same as {a: null}', { a: { $eq: null } }, [1, 2, 5]],
      ['{a: {$ne: null}} is the complement of {a: null}', { a: { $ne: null } }, [3, 4, 6, 7, 8, 9]],
      ['{a: {$in: [null, 1]}} matches null/missing and 1 (also inside arrays)', { a: { $in: [null, 1] } }, [1, 2, 3, 4, 5]],
      ['{a: {$nin: [null, 1]}} is the complement of that $in', { a: { $nin: [null, 1] } }, [6, 7, 8, 9]],
      ['{a: {$exists: false}} matches only the missing field', { a: { $exists: false } }, [2]],
      ['{a: {$exists: true}} matches null too', { a: { $exists: true } }, [1, 3, 4, 5, 6, 7, 8, 9]],
      ['{a: 1} matches a scalar 1 and arrays containing 1', { a: 1 }, [3, 4]],
      ['{a: [1, 2]} matches the whole array exactly', { a: [1, 2] }, [4]],
      ['{a: [2, 1]} does not match a differently ordered array', { a: [2, 1] }, []],
      ['{a: []} matches the empty array', { a: [] }, [6]],
      ['{a: {$gt: 1}} matches scalars and array elements', { a: { $gt: 1 } }, [4, 5]],
      ['{a: {$type: "null"}} matches null values and arrays holding null, not missing', { a: { $type: 'null' } }, [1, 5]],
      ['{a: {$type: "array"}} matches arrays, including the empty one', { a: { $type: 'array' } }, [4, 5, 6, 9]],
      ['{a: {$type: "number"}} matches numbers and arrays holding numbers', { a: { $type: 'number' } }, [3, 4, 5]],
      ['{a: {$type: "string"}}', { a: { $type: 'string' } }, [7]],
      ['{a: {$type: "object"}} matches documents and arrays of documents', { a: { $type: 'object' } }, [8, 9]],
      ['{a: {$type: ["string", "null"]}} matches any listed type', { a: { $type: ['string', 'null'] } }, [1, 5, 7]],
      ['{a: {$size: 0}}', { a: { $size: 0 } }, [6]],
      ['{a: {$size: 2}}', { a: { $size: 2 } }, [4, 5, 9]],
      ['{"a.b": 1} reaches into a document and into an array of documents', { 'a.b': 1 }, [8, 9]],
      ['{"a.b": {$gt: 1}} reaches into array elements', { 'a.b': { $gt: 1 } }, [9]],
      ['{"a.1": 2} addresses an array position', { 'a.1': 2 }, [4]],
      ['{"a.0.b": 1} addresses a field of an array element', { 'a.0.b': 1 }, [9]],
      ['{$or: [...]} unions branches', { $or: [{ a: 'x' }, { a: { $exists: false } }] }, [2, 7]],
      ['{$nor: [...]} excludes every branch', { $nor: [{ a: null }, { a: { $type: 'array' } }] }, [3, 7, 8]],
      ['{a: {$not: {$gt: 1}}} also matches documents without the field', { a: { $not: { $gt: 1 } } }, [1, 2, 3, 6, 7, 8, 9]],
    ];

    for (const [name, filter, expected] of cases) {
      it(name, async function () {
        const docs = await c.find(filter).toArray();
        expect(sortedIds(docs)).to.deep.equal(expected);
      });
    }
  });

  describe('$elemMatch, $all, $regex and dotted paths', function () {
    let c: Collection;
    before(async function () {
      c = t.db.collection('arrays');
      await c.insertMany([
        { _id: 1, r: [{ k: 'a', v: 1 }, { k: 'b', v: 5 }], s: [1, 7], tags: ['a', 'b', 'c'], name: 'Alice' },
        { _id: 2, r: [{ k: 'a', v: 5 }], s: [4], tags: ['a'], name: 'albert' },
        { _id: 3, r: [], s: [], tags: ['b', 'c'], name: 'Bob' },
        { _id: 4, items: [{ qty: 1, sku: 'x' }, { qty: 10, sku: 'y' }], tags: ['A'], name: 'MALLORY' },
        { _id: 5, items: [{ qty: 3, sku: 'x' }], name: 'carol\nalpha' },
      ] as Document[]);
    });

    const cases: Array<[string, Document, number[]]> = [
      ['$elemMatch requires one element to satisfy every condition', { r: { $elemMatch: { k: 'a', v: { $gte: 5 } } } }, [2]],
      ['without $elemMatch, conditions on dotted paths may be met by different elements', { 'r.k': 'a', 'r.v': { $gte: 5 } }, [1, 2]],
      ['$elemMatch on scalars needs one element inside the range', { s: { $elemMatch: { $gt: 3, $lt: 6 } } }, [2]],
      ['a range on an array without $elemMatch may be met by different elements', { s: { $gt: 3, $lt: 6 } }, [1, 2]],
      ['$all requires every listed value', { tags: { $all: ['a', 'b'] } }, [1]],
      ['$all with one value behaves like equality', { tags: { $all: ['c'] } }, [1, 3]],
      ['$all with $elemMatch clauses', { items: { $all: [{ $elemMatch: { sku: 'x' } }, { $elemMatch: { qty: { $gt: 5 } } }] } }, [4]],
      ['$in is case-sensitive on strings', { tags: { $in: ['A'] } }, [4]],
      ['$regex string with the i option', { name: { $regex: '^al', $options: 'i' } }, [1, 2]],
      ['a RegExp literal works the same', { name: /^al/i }, [1, 2]],
      ['$regex without options is case-sensitive', { name: { $regex: '^Al' } }, [1]],
      ['$regex with the m option anchors at line starts', { name: { $regex: '^alpha', $options: 'm' } }, [5]],
      ['$regex matches array elements', { tags: { $regex: '^c$' } }, [1, 3]],
      ['$in accepts regular expressions', { name: { $in: [/^bo/i, 'MALLORY'] } }, [3, 4]],
      ['dotted path into an array of documents with a range', { 'items.qty': { $gt: 5 } }, [4]],
      ['dotted path with an array index', { 'items.0.qty': 1 }, [4]],
      ['$size does not count elements of other documents', { r: { $size: 1 } }, [2]],
    ];

    for (const [name, filter, expected] of cases) {
      it(name, async function () {
        expect(sortedIds(await c.find(filter).toArray())).to.deep.equal(expected);
      });
    }
  });

  describe('filters shaped like the app\'s list queries', function () {
    let c: Collection;
    const now = new Date('2024-06-01T00:00:00Z');
    before(async function () {
      c = t.db.collection('listing');
      await c.insertMany([
        { _id: 1, audience: ['*'], stageDueAt: new Date('2024-05-01'), searchText: 'mou with malaysia on labour', partyKeys: ['my', 'kemlu'] },
        { _id: 2, audience: ['dit-a'], stageDueAt: new Date('2024-07-01'), searchText: 'agreement with japan', partyKeys: ['jp'] },
        { _id: 3, audience: ['dit-b'], stageDueAt: null, searchText: 'loi (draft) with malaysia', partyKeys: ['my'] },
        { _id: 4, audience: ['dit-a', 'dit-b'], searchText: 'price: 1.5* [x]', partyKeys: [] },
      ] as Document[]);
    });

    const cases: Array<[string, () => Document, number[]]> = [
      ['audience $in a wildcard or the unit matches array elements', () => ({ audience: { $in: ['*', 'dit-a'] } }), [1, 2, 4]],
      ['overdue: a date $lt now skips null and missing', () => ({ stageDueAt: { $lt: now } }), [1]],
      ['not overdue: $not $lt now includes future, null and missing', () => ({ stageDueAt: { $not: { $lt: now } } }), [2, 3, 4]],
      ['a party key matches an element of the keys array', () => ({ partyKeys: 'my' }), [1, 3]],
      ['an unanchored $regex finds a substring', () => ({ searchText: { $regex: 'malaysia' } }), [1, 3]],
      ['an escaped $regex matches metacharacters literally', () => ({ searchText: { $regex: 'price: 1\\.5\\* \\[x\\]' } }), [4]],
      ['an escaped $regex with parentheses', () => ({ searchText: { $regex: '\\(draft\\)' } }), [3]],
      ['conditions on several fields combine with AND', () => ({ audience: { $in: ['*', 'dit-b'] }, searchText: { $regex: 'malaysia' } }), [1, 3]],
      ['_id $in a page of ids', () => ({ _id: { $in: [4, 2, 99] } }), [2, 4]],
    ];

    for (const [name, filter, expected] of cases) {
      it(name, async function () {
        expect(sortedIds(await c.find(filter()).toArray())).to.deep.equal(expected);
      });
    }
  });

  describe('sort order across types', function () {
    let c: Collection;
    const oid = new ObjectId('65a000000000000000000001');
    const date = new Date('2024-01-02T03:04:05Z');
    before(async function () {
      c = t.db.collection('mixed');
      await c.insertMany([
        { _id: 1, v: 'b' },
        { _id: 2, v: true },
        { _id: 3, v: 2.5 },
        { _id: 4, v: date },
        { _id: 5, v: null },
        { _id: 6, v: oid },
        { _id: 7, v: { a: 1 } },
        { _id: 8, v: 1 },
        { _id: 9 },
        { _id: 10, v: 'a' },
        { _id: 11, v: false },
        { _id: 12, v: [5, 0.5] },
      ] as Document[]);
    });

    it('when sorting ascending, then null/missing < numbers < strings < objects < ObjectId < booleans < dates, and an array sorts by its smallest element', async function () {
      const docs = await c.find({}).sort({ v: 1, _id: 1 }).toArray();
      expect(docs.map((d) => d._id)).to.deep.equal([5, 9, 12, 8, 3, 10, 1, 7, 6, 11, 2, 4]);
    });

    it('when sorting descending, then the order reverses and an array sorts by its largest element', async function () {
      const docs = await c.find({}).sort({ v: -1, _id: 1 }).toArray();
      expect(docs.map((d) => d._id)).to.deep.equal([4, 2, 11, 6, 7, 1, 10, 12, 3, 8, 5, 9]);
    });

    it('when whole values are compared (inside an embedded document), then arrays sit between objects and ObjectIds', async function () {
      const w = t.db.collection('wrapped');
      await w.insertMany([
        { _id: 1, w: { x: date } },
        { _id: 2, w: { x: true } },
        { _id: 3, w: { x: [1] } },
        { _id: 4, w: { x: oid } },
        { _id: 5, w: { x: { a: 1 } } },
        { _id: 6, w: { x: 'str' } },
        { _id: 7, w: { x: 10 } },
        { _id: 8, w: { x: null } },
      ] as Document[]);
      const docs = await w.find({}).sort({ w: 1 }).toArray();
      expect(docs.map((d) => d._id)).to.deep.equal([8, 7, 6, 5, 3, 4, 2, 1]);
    });

    it('when comparing with $gt, then only values of the same type bracket match', async function () {
      expect(sortedIds(await c.find({ v: { $gt: 0 } }).toArray())).to.deep.equal([3, 8, 12]);
      expect(sortedIds(await c.find({ v: { $gte: 'a' } }).toArray())).to.deep.equal([1, 10]);
      expect(sortedIds(await c.find({ v: { $gt: new Date(0) } }).toArray())).to.deep.equal([4]);
      expect(sortedIds(await c.find({ v: { $lt: true } }).toArray())).to.deep.equal([11]);
    });
  });

  describe('number widths', function () {
    let c: Collection;
    before(async function () {
      c = t.db.collection('numbers');
      await c.insertMany([
        { _id: 'int5', v: new Int32(5) },
        { _id: 'long6', v: Long.fromNumber(6) },
        { _id: 'dbl5.5', v: new Double(5.5) },
        { _id: 'dbl7', v: new Double(7) },
        { _id: 'dec5.25', v: Decimal128.fromString('5.25') },
        { _id: 'dec100', v: Decimal128.fromString('100') },
        { _id: 'decm1', v: Decimal128.fromString('-1') },
        { _id: 'bigLong', v: Long.fromString('9007199254740993') },
      ] as Document[]);
    });

    it('when int32, int64, double and Decimal128 are sorted together, then they order by numeric value', async function () {
      const docs = await c.find({}).sort({ v: 1 }).toArray();
      expect(docs.map((d) => d._id)).to.deep.equal(['decm1', 'int5', 'dec5.25', 'dbl5.5', 'long6', 'dbl7', 'dec100', 'bigLong']);
    });

    it('when a value is compared across widths, then equality and ranges are numeric', async function () {
      const ids = async (filter: Document) => (await c.find(filter).toArray()).map((d) => String(d._id)).sort();
      expect(await ids({ v: 100 })).to.deep.equal(['dec100']);
      expect(await ids({ v: Long.fromNumber(5) })).to.deep.equal(['int5']);
      expect(await ids({ v: Decimal128.fromString('7.0') })).to.deep.equal(['dbl7']);
      expect(await ids({ v: { $in: [6, 5.25] } })).to.deep.equal(['dec5.25', 'long6']);
      expect(await ids({ v: { $gte: Decimal128.fromString('5.3'), $lt: Long.fromNumber(7) } })).to.deep.equal(['dbl5.5', 'long6']);
      expect(await ids({ v: { $gt: 1e15 } })).to.deep.equal(['bigLong']);
    });

    it('when $type names a width, then only that width matches; "number" matches all of them', async function () {
      const ids = async (type: string) => (await c.find({ v: { $type: type } }).toArray()).map((d) => String(d._id)).sort();
      expect(await ids('int')).to.deep.equal(['int5']);
      expect(await ids('long')).to.deep.equal(['bigLong', 'long6']);
      expect(await ids('double')).to.deep.equal(['dbl5.5', 'dbl7']);
      expect(await ids('decimal')).to.deep.equal(['dec100', 'dec5.25', 'decm1']);
      expect((await ids('number')).length).to.equal(8);
      expect(await ids(['int', 'long'] as unknown as string)).to.deep.equal(['bigLong', 'int5', 'long6']);
    });

    it('when read back, then Decimal128 stays Decimal128 and an int64 too big for a double stays exact', async function () {
      const dec = await c.findOne({ _id: 'dec5.25' } as Document);
      expect(dec?.v).to.be.instanceOf(Decimal128);
      expect(dec?.v.toString()).to.equal('5.25');
      const big = await c.findOne({ _id: 'bigLong' } as Document, { promoteLongs: false });
      expect(Long.isLong(big?.v)).to.equal(true);
      expect(big?.v.toString()).to.equal('9007199254740993');
    });

    it('when numbers of mixed widths are summed, then $sum and $avg are numeric (Decimal128 when one is decimal)', async function () {
      const [plain] = await c
        .aggregate([{ $match: { _id: { $in: ['int5', 'long6', 'dbl5.5'] } } }, { $group: { _id: null, s: { $sum: '$v' }, a: { $avg: '$v' } } }])
        .toArray();
      expect(plain.s).to.equal(16.5);
      expect(plain.a).to.equal(5.5);
      const [mixed] = await c
        .aggregate([{ $match: { _id: { $ne: 'bigLong' } } }, { $group: { _id: null, s: { $sum: '$v' }, mx: { $max: '$v' }, mn: { $min: '$v' } } }])
        .toArray();
      expect(mixed.s).to.be.instanceOf(Decimal128);
      expect(Number(mixed.s.toString())).to.equal(127.75);
      expect(mixed.mx.toString()).to.equal('100');
      expect(mixed.mn.toString()).to.equal('-1');
    });
  });

  describe('ObjectId, Date and Decimal128 ranges', function () {
    let c: Collection;
    const base = Math.floor(new Date('2024-01-01T00:00:00Z').getTime() / 1000);
    const oids = [0, 1, 2, 3, 4].map((i) => ObjectId.createFromTime(base + i * 86_400));
    before(async function () {
      c = t.db.collection('ranges');
      const prices = ['9.99', '10', '99.999', '100', '100.01', '2'];
      await c.insertMany(
        oids.map((_id, i) => ({ _id, i, at: new Date((base + i * 86_400) * 1000), price: Decimal128.fromString(prices[i]!) })),
      );
      await c.insertOne({ _id: new ObjectId(), i: 5, at: new Date('2023-06-01'), price: Decimal128.fromString(prices[5]!) });
    });

    const idx = (docs: Document[]) => docs.map((d) => d.i as number).sort((a, b) => a - b);

    it('when filtering _id by an ObjectId range, then the bounds are honoured', async function () {
      expect(idx(await c.find({ _id: { $gt: oids[1], $lte: oids[3] } }).toArray())).to.deep.equal([2, 3]);
    });

    it('when sorting by ObjectId, then it follows creation time', async function () {
      const docs = await c.find({ i: { $lt: 5 } }).sort({ _id: -1 }).toArray();
      expect(docs.map((d) => d.i)).to.deep.equal([4, 3, 2, 1, 0]);
    });

    it('when filtering by a Date range, then only dates inside match', async function () {
      const docs = await c.find({ at: { $gte: new Date('2024-01-02T00:00:00Z'), $lt: new Date('2024-01-04T00:00:00Z') } }).toArray();
      expect(idx(docs)).to.deep.equal([1, 2]);
      expect(idx(await c.find({ at: { $lt: new Date('2024-01-01T00:00:00Z') } }).toArray())).to.deep.equal([5]);
    });

    it('when filtering and sorting by Decimal128, then the order is numeric, not textual', async function () {
      const docs = await c.find({ price: { $gt: Decimal128.fromString('9.99'), $lte: Decimal128.fromString('100') } }).toArray();
      expect(idx(docs)).to.deep.equal([1, 2, 3]);
      const sorted = await c.find({}).sort({ price: 1 }).toArray();
      expect(sorted.map((d) => d.price.toString())).to.deep.equal(['2', '9.99', '10', '99.999', '100', '100.01']);
      expect(idx(await c.find({ price: { $lt: 10 } }).toArray())).to.deep.equal([0, 5]);
    });
  });

  describe('projections', function () {
    let c: Collection;
    before(async function () {
      c = t.db.collection('proj');
      await c.insertMany([
        { _id: 1, name: 'n1', secret: 's', a: { b: 1, c: 2 }, arr: [1, 2, 3, 4, 5], r: [{ k: 'a', v: 1 }, { k: 'b', v: 2 }, { k: 'b', v: 3 }], docs: [{ b: 1, c: 1 }, { b: 2, c: 2 }] },
        { _id: 2, name: 'n2', secret: 's', r: [{ k: 'z', v: 0 }] },
      ] as Document[]);
    });

    const one = (projection: Document, filter: Document = { _id: 1 }) => c.findOne(filter, { projection });

    it('when including fields, then only they and _id come back', async function () {
      expect(await one({ name: 1 })).to.deep.equal({ _id: 1, name: 'n1' });
    });

    it('when including fields with _id: 0, then _id is left out', async function () {
      expect(await one({ name: 1, _id: 0 })).to.deep.equal({ name: 'n1' });
    });

    it('when excluding fields, then everything else comes back', async function () {
      expect(await one({ secret: 0, arr: 0, r: 0, docs: 0, a: 0 })).to.deep.equal({ _id: 1, name: 'n1' });
    });

    it('when including a dotted path, then the parent keeps only that child, also across arrays of documents', async function () {
      expect(await one({ 'a.b': 1, 'docs.b': 1, _id: 0 })).to.deep.equal({ a: { b: 1 }, docs: [{ b: 1 }, { b: 2 }] });
    });

    it('when excluding a dotted path, then only that child goes', async function () {
      expect(await one({ 'a.c': 0, secret: 0, arr: 0, r: 0, docs: 0 })).to.deep.equal({ _id: 1, name: 'n1', a: { b: 1 } });
    });

    it('when $slice limits an array, then the other fields still come back', async function () {
      const doc = await one({ arr: { $slice: 2 } });
      expect(doc?.arr).to.deep.equal([1, 2]);
      expect(doc?.name).to.equal('n1');
      expect((await one({ arr: { $slice: -2 } }))?.arr).to.deep.equal([4, 5]);
      expect((await one({ arr: { $slice: [1, 2] } }))?.arr).to.deep.equal([2, 3]);
    });

    it('when $slice is combined with an inclusion, then only included fields come back', async function () {
      expect(await one({ name: 1, arr: { $slice: -1 } })).to.deep.equal({ _id: 1, name: 'n1', arr: [5] });
    });

    it('when $elemMatch projects, then only the first matching element is returned (and the field is absent if none)', async function () {
      expect(await one({ r: { $elemMatch: { k: 'b' } } })).to.deep.equal({ _id: 1, r: [{ k: 'b', v: 2 }] });
      expect(await one({ r: { $elemMatch: { k: 'b' } } }, { _id: 2 })).to.deep.equal({ _id: 2 });
    });

    it('when projecting with the positional $, then the first element matched by the query is returned', async function () {
      const doc = await c.findOne({ _id: 1, 'r.k': 'b' } as Document, { projection: { 'r.$': 1 } });
      expect(doc).to.deep.equal({ _id: 1, r: [{ k: 'b', v: 2 }] });
    });

    it('when a mongoose query selects fields, then the lean result has just those', async function () {
      const M = t.conn.model('Proj', new Schema({ _id: Number, name: String, secret: String }, { strict: false }), 'proj');
      expect(await M.findById(1).select('name -_id').lean()).to.deep.equal({ name: 'n1' });
      expect(await M.findById(2).select('-secret -r').lean()).to.deep.equal({ _id: 2, name: 'n2' });
    });
  });

  describe('returnKey', function () {
    let c: Collection;
    before(async function () {
      c = t.db.collection('return_key');
      await c.insertMany([
        { _id: 1, unit: 'PWNI', code: 'A-1', title: 'x' },
        { _id: 2, unit: 'BHAKP', code: 'A-2', title: 'y' },
        { _id: 3, unit: 'PWNI', title: 'z' },
      ] as Document[]);
      await c.createIndex({ unit: 1, code: 1 });
    });

    it('when a find reads an index, then each document comes back as its key in the index, null where the field is missing', async function () {
      const keys = await c.find({ unit: 'PWNI' }, { returnKey: true, sort: { unit: 1, code: 1 }, hint: { unit: 1, code: 1 } }).toArray();
      expect(keys).to.deep.equal([
        { unit: 'PWNI', code: null },
        { unit: 'PWNI', code: 'A-1' },
      ]);
    });

    it('when a find sorted by _id reads the _id index, then each document is its _id', async function () {
      expect(await c.find({}, { returnKey: true, sort: { _id: 1 } }).toArray()).to.deep.equal([{ _id: 1 }, { _id: 2 }, { _id: 3 }]);
    });

    it('when a find reads no index, then every document comes back empty', async function () {
      expect(await c.find({ title: 'y' }, { returnKey: true }).toArray()).to.deep.equal([{}]);
    });
  });

  describe('min and max on find', function () {
    let c: Collection;
    before(async function () {
      c = t.db.collection('min_max');
      await c.insertMany([1, 2, 3, 4, 5, 6].map((n) => ({ _id: n, unit: n % 2 ? 'PWNI' : 'BHAKP', seq: n })) as Document[]);
      await c.createIndex({ unit: 1, seq: -1 });
    });

    it('when min and max bound the hinted index, then min is included and max is not, and skip counts after them', async function () {
      const ids = (await c.find({}, { hint: { _id: 1 }, min: { _id: 2 }, max: { _id: 5 } }).toArray()).map((d) => d._id);
      expect(ids).to.deep.equal([2, 3, 4]);
      const skipped = (await c.find({}, { hint: { _id: 1 }, min: { _id: 2 }, max: { _id: 6 }, sort: { _id: 1 }, skip: 1, limit: 2 }).toArray()).map((d) => d._id);
      expect(skipped).to.deep.equal([3, 4]);
    });

    it('when the hinted index has a descending field, then the bounds follow the index order', async function () {
      const found = await c.find({}, { hint: { unit: 1, seq: -1 }, min: { unit: 'PWNI', seq: 5 }, max: { unit: 'PWNI', seq: 0 } }).toArray();
      expect(found.map((d) => d._id).sort()).to.deep.equal([1, 3, 5]);
    });

    it('when min is given without a hint, or names other fields than the index, then the find fails', async function () {
      expect(await rejection(c.find({}, { min: { _id: 2 } }).toArray())).to.be.instanceOf(MongoServerError);
      expect(await rejection(c.find({}, { hint: { _id: 1 }, min: { seq: 2 } }).toArray())).to.be.instanceOf(MongoServerError);
    });
  });

  describe('distinct and counts', function () {
    let c: Collection;
    before(async function () {
      c = t.db.collection('dc');
      await c.insertMany([
        { _id: 1, tags: ['a', 'b'], g: 'x', n: { v: 1 }, list: [{ v: 1 }, { v: 2 }] },
        { _id: 2, tags: ['b', 'c'], g: 'x', n: { v: 1 } },
        { _id: 3, tags: 'd', g: 'y', list: [{ v: 3 }] },
        { _id: 4, g: 'y' },
        { _id: 5, tags: [], g: 'z' },
      ] as Document[]);
    });

    it('when distinct runs on an array field, then array values are unwound and de-duplicated', async function () {
      expect((await c.distinct('tags')).sort()).to.deep.equal(['a', 'b', 'c', 'd']);
    });

    it('when distinct has a filter, then only matching documents contribute', async function () {
      expect((await c.distinct('tags', { g: 'x' })).sort()).to.deep.equal(['a', 'b', 'c']);
      expect(await c.distinct('g', { g: 'none' })).to.deep.equal([]);
    });

    it('when distinct uses a dotted path through an array, then the nested values come back', async function () {
      expect((await c.distinct('list.v')).sort()).to.deep.equal([1, 2, 3]);
      expect(await c.distinct('n.v')).to.deep.equal([1]);
    });

    it('when counting, then estimatedDocumentCount and countDocuments agree; skip and limit apply', async function () {
      expect(await c.estimatedDocumentCount()).to.equal(5);
      expect(await c.countDocuments({})).to.equal(5);
      expect(await c.countDocuments({ g: 'y' })).to.equal(2);
      expect(await c.countDocuments({}, { skip: 2 })).to.equal(3);
      expect(await c.countDocuments({}, { skip: 1, limit: 2 })).to.equal(2);
      expect(await c.countDocuments({}, { skip: 10 })).to.equal(0);
      expect(await c.countDocuments({ g: 'none' })).to.equal(0);
      expect(await t.db.collection('never_created').estimatedDocumentCount()).to.equal(0);
      expect(await t.db.collection('never_created').countDocuments({})).to.equal(0);
    });

    it('when counting and distinct go through mongoose, then they agree with the driver', async function () {
      const M = t.conn.model('Dc', new Schema({}, { strict: false, strictQuery: false }), 'dc');
      expect(await M.countDocuments({ g: 'x' })).to.equal(2);
      expect(await M.estimatedDocumentCount()).to.equal(5);
      expect(((await M.distinct('tags')) as string[]).sort()).to.deep.equal(['a', 'b', 'c', 'd']);
    });
  });
});
