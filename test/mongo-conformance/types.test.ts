/** BSON type fidelity: every type round-trips, keeps its width through arithmetic, and queries by type. */
import { expect } from 'chai';
import {
  BSON,
  BSONRegExp,
  Binary,
  Code,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
  UUID,
  type Collection,
  type Document,
} from 'mongodb';
import { useTarget } from './target.js';

const { EJSON } = BSON;
const canonical = (value: unknown) => EJSON.stringify(value as Document, { relaxed: false });

describe('mongo conformance: BSON types', function () {
  const t = useTarget('types');
  let c: Collection;

  const uuid = new UUID('0d6ad2b1-7a2e-4a0a-9f0e-2a8d9c1e4b11');
  const oid = new ObjectId('65a0000000000000000000ff');
  const all: Document = {
    _id: 'all',
    str: 'héllo ✓ 𝄞 ключ',
    empty: '',
    int: 42,
    neg: -7,
    dbl: new Double(1.5),
    dblWhole: new Double(7),
    long: Long.fromString('9007199254740993'),
    smallLong: Long.fromNumber(3),
    dec: Decimal128.fromString('1234.5678901234567890123456789012'),
    bool: false,
    nul: null,
    date: new Date('1969-07-20T20:17:40.123Z'),
    ts: new Timestamp({ t: 1_700_000_000, i: 3 }),
    oid,
    bin: new Binary(Buffer.from([0, 1, 2, 255])),
    uuid,
    regex: new BSONRegExp('^a.c$', 'i'),
    min: new MinKey(),
    max: new MaxKey(),
    code: new Code('function () { return 1; }'),
    nested: { a: { b: { c: [1, [2, [3]]] } } },
    emptyObj: {},
    emptyArr: [],
    mixed: [1, 'a', null, { x: 1 }, [2]],
    'key with spaces': 1,
    'ключ': 'юникод',
  };

  before(async function () {
    c = t.db.collection('types');
    await c.insertOne(all);
  });

  it('when a document holding every BSON type is stored and read back, then it is identical, field order included', async function () {
    const back = await c.findOne({ _id: 'all' } as Document, { promoteValues: false, promoteLongs: false });
    expect(canonical(back)).to.equal(canonical(all));
  });

  it('when querying by value, then each type is found by equality', async function () {
    const probes: Array<[string, unknown]> = [
      ['uuid', uuid],
      ['bin', new Binary(Buffer.from([0, 1, 2, 255]))],
      ['oid', oid],
      ['ts', new Timestamp({ t: 1_700_000_000, i: 3 })],
      ['date', new Date('1969-07-20T20:17:40.123Z')],
      ['dec', Decimal128.fromString('1234.5678901234567890123456789012')],
      ['long', Long.fromString('9007199254740993')],
      ['str', 'héllo ✓ 𝄞 ключ'],
      ['nested', { a: { b: { c: [1, [2, [3]]] } } }],
      ['ключ', 'юникод'],
      ['key with spaces', 1],
    ];
    for (const [field, value] of probes) {
      expect(await c.countDocuments({ [field]: value }), field).to.equal(1);
    }
    expect(await c.countDocuments({ 'nested.a.b.c': [2, [3]] })).to.equal(1);
    expect(await c.countDocuments({ bin: new Binary(Buffer.from([0, 1, 2])) })).to.equal(0);
  });

  it('when $type names a BSON type, then only fields of that type match', async function () {
    const expected: Record<string, string> = {
      str: 'string',
      int: 'int',
      dbl: 'double',
      dblWhole: 'double',
      long: 'long',
      dec: 'decimal',
      bool: 'bool',
      nul: 'null',
      date: 'date',
      ts: 'timestamp',
      oid: 'objectId',
      bin: 'binData',
      uuid: 'binData',
      regex: 'regex',
      min: 'minKey',
      max: 'maxKey',
      code: 'javascript',
      nested: 'object',
      emptyArr: 'array',
    };
    for (const [field, type] of Object.entries(expected)) {
      expect(await c.countDocuments({ _id: 'all', [field]: { $type: type } } as Document), `${field} is ${type}`).to.equal(1);
    }
    expect(await c.countDocuments({ _id: 'all', dblWhole: { $type: 'int' } } as Document), 'a whole double is not an int').to.equal(0);
    expect(await c.countDocuments({ _id: 'all', int: { $type: 'double' } } as Document), 'an int is not a double').to.equal(0);
    expect(await c.countDocuments({ _id: 'all', smallLong: { $type: 'int' } } as Document), 'a small long is not an int').to.equal(0);
    expect(await c.countDocuments({ _id: 'all', int: { $type: 16 } } as Document), 'numeric type codes work').to.equal(1);
  });

  describe('number widths through updates', function () {
    let w: Collection;
    before(function () {
      w = t.db.collection('widths');
    });

    async function after(doc: Document, update: Document): Promise<Document> {
      const _id = new ObjectId();
      await w.insertOne({ _id, ...doc });
      await w.updateOne({ _id }, update);
      return (await w.findOne({ _id }, { promoteValues: false, promoteLongs: false }))!;
    }

    it('when $inc overflows an int32, then the value becomes an int64', async function () {
      const doc = await after({ n: new Int32(2147483647) }, { $inc: { n: 1 } });
      expect(Long.isLong(doc.n), canonical(doc)).to.equal(true);
      expect(doc.n.toString()).to.equal('2147483648');
    });

    it('when $inc adds an int32 to an int64, then it stays an int64', async function () {
      const doc = await after({ n: Long.fromNumber(5) }, { $inc: { n: 1 } });
      expect(Long.isLong(doc.n), canonical(doc)).to.equal(true);
      expect(doc.n.toString()).to.equal('6');
    });

    it('when $inc adds a double to an int32, then the result is a double', async function () {
      const doc = await after({ n: new Int32(5) }, { $inc: { n: new Double(0.5) } });
      expect(doc.n._bsontype, canonical(doc)).to.equal('Double');
      expect(doc.n.valueOf()).to.equal(5.5);
    });

    it('when $inc adds an int32 to a whole double, then it stays a double', async function () {
      const doc = await after({ n: new Double(2) }, { $inc: { n: 1 } });
      expect(doc.n._bsontype, canonical(doc)).to.equal('Double');
      expect(doc.n.valueOf()).to.equal(3);
    });

    it('when $inc adds to a Decimal128, then the result is an exact Decimal128', async function () {
      const doc = await after({ n: Decimal128.fromString('1.1') }, { $inc: { n: Decimal128.fromString('0.2') } });
      expect(doc.n._bsontype, canonical(doc)).to.equal('Decimal128');
      expect(doc.n.toString()).to.equal('1.3');
    });

    it('when $mul multiplies widths, then the wider type wins', async function () {
      const a = await after({ n: new Int32(3) }, { $mul: { n: new Double(1.5) } });
      expect(a.n._bsontype, canonical(a)).to.equal('Double');
      expect(a.n.valueOf()).to.equal(4.5);
      const b = await after({ n: new Int32(3) }, { $mul: { n: Long.fromNumber(2) } });
      expect(Long.isLong(b.n), canonical(b)).to.equal(true);
      expect(b.n.toString()).to.equal('6');
    });

    it('when $inc creates a missing field, then it takes the increment\'s type', async function () {
      const doc = await after({}, { $inc: { l: Long.fromNumber(7), d: new Double(1) } });
      expect(Long.isLong(doc.l), canonical(doc)).to.equal(true);
      expect(doc.d._bsontype).to.equal('Double');
    });

    it('when $set stores a whole double, then it is read back as a double', async function () {
      const doc = await after({ n: 1 }, { $set: { n: new Double(10) } });
      expect(doc.n._bsontype, canonical(doc)).to.equal('Double');
    });
  });

  it('when dates before 1970 and after 2038 are stored, then they sort and compare correctly', async function () {
    const d = t.db.collection('dates');
    const dates = ['1900-01-01T00:00:00Z', '1969-12-31T23:59:59.999Z', '1970-01-01T00:00:00Z', '2040-06-01T00:00:00Z'].map((s) => new Date(s));
    await d.insertMany(dates.map((at, i) => ({ _id: i, at })) as Document[]);
    const sorted = await d.find({}).sort({ at: -1 }).toArray();
    expect(sorted.map((x) => x._id)).to.deep.equal([3, 2, 1, 0]);
    expect((await d.find({ at: { $lt: new Date(0) } }).toArray()).map((x) => x._id).sort()).to.deep.equal([0, 1]);
    expect(sorted[3]!.at.toISOString()).to.equal('1900-01-01T00:00:00.000Z');
  });
});
