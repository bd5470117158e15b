/**
 * Results of the planner's index paths against the same query run as a collection scan
 * (`hint: {$natural: 1}`) and against hand-computed answers: ordered walks of an index led by an
 * array field, walks filtered by a smaller candidate set (and their switch to fetch + top-k),
 * counts from a multikey index, both bounds of an anchored regex on an array field, `$limit`
 * after `$match`, and reads inside transactions. Only the driver's public API is used, so every
 * assertion holds on real MongoDB too (MONGODB_URI=...).
 */
import { expect } from 'chai';
import type { Collection, Document, Sort } from 'mongodb';
import { requireReplicaSet, useTarget } from '../mongo-conformance/target.js';

const N = 3000;
const BASE = Date.UTC(2025, 0, 1);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Position in (updatedAt desc) order is random; 'late' holds only the oldest documents. */
function makeDocs(): Document[] {
  const r = rng(7);
  const docs: Document[] = [];
  for (let i = 0; i < N; i++) {
    const t = Math.floor(r() * 1000); // many ties: _id decides
    const terms = ['all'];
    if (i % 2 === 0) terms.push('half');
    if (i % 150 === 0) terms.push('rare');
    if (i % 5 === 0) terms.push('dup', 'dup'); // the key twice in one array
    if (t < 60) terms.push('late');
    terms.push(`h${i % 3}`);
    const d: Document = {
      _id: i,
      terms,
      aud: i % 7 === 0 ? 'X' : i % 11 === 0 ? 'Y' : '*',
      text: i % 37 === 0 ? `some needle ${i}` : `plain text ${i}`,
      stage: ['a', 'b', 'c'][i % 3],
    };
    if (i % 97 === 0) { /* no updatedAt: sorts as null */ } else if (i % 89 === 0) d.updatedAt = null;
    else d.updatedAt = new Date(BASE + t * 1000);
    if (i % 13 === 0) d.terms = 'half'; // a scalar among arrays
    docs.push(d);
  }
  return docs;
}

const NATURAL = { $natural: 1 } as const;

describe('embedded-mongo planner paths (conformance: same answers as a collection scan)', function () {
  this.timeout(60_000);
  const t = useTarget('planner-paths');
  let c: Collection<any>;
  let docs: Document[];

  before(async function () {
    c = t.db.collection('agreements');
    await c.createIndex({ updatedAt: -1, _id: -1 });
    await c.createIndex({ stage: 1, updatedAt: -1, _id: -1 });
    await c.createIndex({ terms: 1 });
    await c.createIndex({ terms: 1, aud: 1 });
    await c.createIndex({ aud: 1 });
    await c.createIndex({ stage: 1, aud: 1 });
    docs = makeDocs();
    await c.insertMany(docs);
  });

  async function same(filter: Document, sort: Sort, skip: number, limit: number): Promise<Document[]> {
    const got = await c.find(filter, { sort, skip, limit, projection: { _id: 1 } }).toArray();
    const want = await c.find(filter, { sort, skip, limit, projection: { _id: 1 }, hint: NATURAL }).toArray();
    expect(got.map((d) => d._id), JSON.stringify({ filter, sort, skip, limit })).to.deep.equal(want.map((d) => d._id));
    return got;
  }

  const desc: Sort = { updatedAt: -1, _id: -1 };
  const asc: Sort = { updatedAt: 1, _id: 1 };
  const pages: Array<[number, number]> = [[0, 10], [5, 10], [0, 1], [0, 50], [N - 10, 20], [N + 5, 10]];
  const keys = ['all', 'half', 'rare', 'dup', 'late', 'absent'];

  it('when a key of a multikey index filters a page sorted on other fields, then pages match a scan for every key selectivity', async function () {
    for (const key of keys) {
      for (const [skip, limit] of pages) {
        await same({ terms: key, aud: { $in: ['*', 'X', 'X'] } }, desc, skip, limit);
        await same({ terms: key, aud: { $in: ['*', 'X'] } }, asc, skip, limit);
      }
    }
  });

  it('when the residual filter is rare among the candidates, then the page is still complete and in order', async function () {
    for (const key of ['all', 'half', 'late', 'dup']) {
      for (const [skip, limit] of pages) await same({ terms: key, aud: { $in: ['*', 'Y'] }, $and: [{ text: { $regex: 'needle' } }] }, desc, skip, limit);
    }
  });

  it('when an equality on a field and an ordered walk of another index combine, then pages match a scan', async function () {
    for (const [skip, limit] of pages) {
      await same({ stage: 'b', terms: 'half' }, desc, skip, limit);
      await same({ stage: 'a', aud: { $in: ['*', 'X'] } }, desc, skip, limit);
    }
  });

  it('when an index led by an array field is walked for a sort on the next fields, then documents come once, in order', async function () {
    await c.createIndex({ terms: 1, updatedAt: -1, _id: -1 });
    try {
      for (const key of keys) for (const [skip, limit] of pages) await same({ terms: key }, desc, skip, limit);
      // the documents holding 'dup' twice appear once each
      const all = await c.find({ terms: 'dup' }, { sort: desc }).toArray();
      expect(all.length).to.equal(docs.filter((d) => Array.isArray(d.terms) && d.terms.includes('dup')).length);
      expect(new Set(all.map((d) => d._id)).size).to.equal(all.length);
    } finally {
      await c.dropIndex('terms_1_updatedAt_-1__id_-1');
    }
  });

  it('when the sort is on the array field the equality fixes, then arrays still sort by their smallest element', async function () {
    const got = await same({ terms: 'half' }, { terms: 1, _id: 1 }, 0, 40);
    // 'all' < 'dup' < 'h0'... < 'half': every array holding 'half' also holds 'all', the scalar 'half' sorts last
    const scalars = docs.filter((d) => d.terms === 'half').length;
    expect(got.length).to.equal(40);
    expect(scalars).to.be.greaterThan(0);
    await same({ terms: 'half' }, { terms: -1, _id: 1 }, 0, 40);
  });

  it('when counting an equality on an array field plus $in on a scalar field, then the count is exact (no document twice, $in duplicates ignored)', async function () {
    for (const key of keys) {
      const filter = { terms: key, aud: { $in: ['*', 'X', '*'] } };
      const want = docs.filter((d) => (Array.isArray(d.terms) ? d.terms.includes(key) : d.terms === key) && (d.aud === '*' || d.aud === 'X')).length;
      expect(await c.countDocuments(filter), key).to.equal(want);
      expect(await c.countDocuments(filter, { hint: NATURAL }), key).to.equal(want);
      expect(await c.countDocuments(filter, { skip: 3, limit: 7 }), key).to.equal(Math.min(7, Math.max(0, want - 3)));
      expect(await c.countDocuments(filter, { limit: 1001 }), key).to.equal(Math.min(1001, want));
      expect(await c.countDocuments(filter, { skip: want + 1 }), key).to.equal(0);
    }
    expect(await c.countDocuments({ terms: 'dup' })).to.equal(docs.filter((d) => Array.isArray(d.terms) && d.terms.includes('dup')).length);
  });

  it('when $limit follows $match, then counts and pipelines stop at the limit and agree with a scan', async function () {
    const filter = { terms: 'half', text: { $regex: 'needle' } };
    const total = docs.filter((d) => (Array.isArray(d.terms) ? d.terms.includes('half') : d.terms === 'half') && String(d.text).includes('needle')).length;
    const count = async (pipeline: Document[]) => (await c.aggregate(pipeline).toArray())[0]?.n ?? 0;
    expect(await count([{ $match: filter }, { $group: { _id: 1, n: { $sum: 1 } } }])).to.equal(total);
    expect(await count([{ $match: filter }, { $limit: 5 }, { $group: { _id: 1, n: { $sum: 1 } } }])).to.equal(Math.min(5, total));
    expect(await count([{ $match: filter }, { $skip: 4 }, { $limit: 5 }, { $group: { _id: 1, n: { $sum: 1 } } }])).to.equal(Math.min(5, Math.max(0, total - 4)));
    expect(await count([{ $match: filter }, { $skip: total }, { $group: { _id: 1, n: { $sum: 1 } } }])).to.equal(0);
    const limited = await c.aggregate([{ $match: { terms: 'all' } }, { $limit: 3 }, { $project: { _id: 1 } }]).toArray();
    expect(limited).to.have.length(3);
  });

  it('when an anchored regex is used on an array field, then both ends of its range hold', async function () {
    const want = (re: RegExp) => docs.filter((d) => (Array.isArray(d.terms) ? d.terms : [d.terms]).some((x: string) => re.test(x))).map((d) => d._id as number).sort((a, b) => a - b);
    for (const re of [/^ha/, /^h1/, /^d/, /^la/, /^zz/]) {
      const got = (await c.find({ terms: re }, { projection: { _id: 1 } }).toArray()).map((d) => d._id as number).sort((a, b) => a - b);
      expect(got, String(re)).to.deep.equal(want(re));
      expect(await c.countDocuments({ terms: { $regex: re.source } }), String(re)).to.equal(want(re).length);
      await same({ terms: re }, desc, 0, 25);
    }
  });

  it('when documents are updated between pages, then a cursor walking the index neither repeats nor skips untouched documents', async function () {
    const filter = { terms: 'half' };
    const cursor = c.find(filter, { sort: desc, batchSize: 5, projection: { _id: 1 } });
    const first: unknown[] = [];
    for (let i = 0; i < 5; i++) first.push((await cursor.next())!._id);
    // touch documents outside the page read so far
    await c.updateMany({ _id: { $in: [1, 3, 5] } }, { $set: { stage: 'z' } });
    const rest: unknown[] = [];
    for await (const d of cursor) rest.push(d._id);
    const ids = [...first, ...rest];
    expect(new Set(ids).size).to.equal(ids.length);
    const want = await c.find(filter, { sort: desc, projection: { _id: 1 }, hint: NATURAL }).toArray();
    expect(ids).to.deep.equal(want.map((d) => d._id));
    for (const id of [1, 3, 5]) await c.updateOne({ _id: id }, { $set: { stage: docs[id].stage } });
  });

  it('(embedded only) takes the intended paths: filtered walk, trial fallback, multikey-prefix walk, index-only count', async function () {
    if (!t.embedded) this.skip();
    const plan = async (filter: Document, limit = 10) => {
      const ex: any = await c.find(filter, { sort: desc, limit }).explain('executionStats');
      const ix = ex.queryPlanner.winningPlan.inputStage ?? ex.queryPlanner.winningPlan;
      return { index: ix.indexName, kind: ix.planKind, docs: ex.executionStats.totalDocsExamined };
    };
    // a common key: walk the sort index, skipping non-candidates by set lookup
    const half = await plan({ terms: 'half', aud: { $in: ['*', 'X'] } });
    expect(half).to.include({ index: 'updatedAt_-1__id_-1', kind: 'walk' });
    expect(half.docs).to.be.lessThan(30);
    // a rare key: fetch the candidates and sort them
    expect(await plan({ terms: 'rare', aud: { $in: ['*', 'X'] } })).to.include({ kind: 'hash' });
    // a common key whose residual matches nothing: the walk's trial gives up for the candidates
    const none = await plan({ terms: 'half', text: { $regex: 'nothing-matches' } });
    expect(none.kind).to.equal('hash');
    expect(none.docs).to.be.lessThan(3 * docs.length / 2 + 10);
    await c.createIndex({ terms: 1, updatedAt: -1, _id: -1 });
    try {
      expect(await plan({ terms: 'half' })).to.include({ index: 'terms_1_updatedAt_-1__id_-1', kind: 'walk', docs: 10 });
    } finally {
      await c.dropIndex('terms_1_updatedAt_-1__id_-1');
    }
    const cex: any = await t.db.command({ explain: { count: 'agreements', query: { terms: 'half', aud: { $in: ['*', 'X'] } } }, verbosity: 'executionStats' });
    expect(cex.queryPlanner.winningPlan.stage).to.equal('COUNT_SCAN');
    expect(cex.executionStats.totalDocsExamined).to.equal(0);
  });

  describe('inside transactions', function () {
    before(function () { requireReplicaSet(this, t); });

    it('when a transaction writes, then its sorted, limited reads and counts see its own writes and not another open transaction\'s', async function () {
      const s1 = t.client.startSession();
      const s2 = t.client.startSession();
      try {
        s1.startTransaction();
        s2.startTransaction();
        const top = new Date(BASE + 5_000_000);
        // s1: a new newest document, and an old one moved to the top; s2: another newest document
        await c.insertOne({ _id: 'new1', terms: ['half', 'all'], aud: '*', updatedAt: top, stage: 'a' }, { session: s1 });
        await c.updateOne({ _id: 2 }, { $set: { updatedAt: new Date(BASE + 4_000_000) } }, { session: s1 });
        await c.insertOne({ _id: 'new2', terms: ['half'], aud: '*', updatedAt: new Date(BASE + 6_000_000), stage: 'a' }, { session: s2 });
        await c.updateOne({ _id: 4 }, { $set: { terms: ['none'] } }, { session: s2 });

        const page1 = await c.find({ terms: 'half', aud: { $in: ['*', 'X'] } }, { sort: desc, limit: 3, session: s1, projection: { _id: 1 } }).toArray();
        expect(page1.map((d) => d._id).slice(0, 2)).to.deep.equal(['new1', 2]);
        const n1 = await c.countDocuments({ terms: 'half', aud: { $in: ['*', 'X'] } }, { session: s1 });
        const n0 = await c.countDocuments({ terms: 'half', aud: { $in: ['*', 'X'] } });
        expect(n1).to.equal(n0 + 1);
        expect(await c.countDocuments({ terms: 'half' }, { session: s1, limit: 5 })).to.equal(5);
        // _id 4 still holds 'half' for s1 (s2's change is not committed)
        expect(await c.countDocuments({ _id: 4, terms: 'half' }, { session: s1 })).to.equal(1);

        await s2.commitTransaction();
        // s1's snapshot predates s2's commit: still neither new2 nor the change to 4
        const again = await c.find({ terms: 'half' }, { sort: desc, limit: 2, session: s1, projection: { _id: 1 } }).toArray();
        expect(again.map((d) => d._id)).to.deep.equal(['new1', 2]);
        expect(await c.countDocuments({ _id: 4, terms: 'half' }, { session: s1 })).to.equal(1);
        await s1.commitTransaction();

        const after = await c.find({ terms: 'half' }, { sort: desc, limit: 3, projection: { _id: 1 } }).toArray();
        expect(after.map((d) => d._id)).to.deep.equal(['new2', 'new1', 2]);
        expect(await c.countDocuments({ _id: 4, terms: 'half' })).to.equal(0);
      } finally {
        if (s1.inTransaction()) await s1.abortTransaction();
        if (s2.inTransaction()) await s2.abortTransaction();
        await s1.endSession();
        await s2.endSession();
        await c.deleteMany({ _id: { $in: ['new1', 'new2'] } });
        await c.updateOne({ _id: 4 }, { $set: { terms: docs[4].terms } });
        await c.updateOne({ _id: 2 }, { $set: { updatedAt: docs[2].updatedAt } });
      }
    });

    it('when a transaction only changes sort fields, then index reads in it and after it agree with a scan', async function () {
      const s = t.client.startSession();
      try {
        await s.withTransaction(async () => {
          for (const id of [10, 20, 30]) {
            await c.findOneAndUpdate({ _id: id }, { $set: { stage: 'c', updatedAt: new Date(BASE + 7_000_000 + id) }, $inc: { v: 1 } }, { session: s });
          }
          const got = await c.find({ stage: 'c' }, { sort: desc, limit: 4, session: s, projection: { _id: 1 } }).toArray();
          expect(got.map((d) => d._id).slice(0, 3)).to.deep.equal([30, 20, 10]);
        });
      } finally {
        await s.endSession();
      }
      for (const [skip, limit] of pages) await same({ stage: 'c', aud: { $in: ['*', 'X'] } }, desc, skip, limit);
      await same({ terms: 'all' }, desc, 0, 5);
      expect(await c.countDocuments({ stage: 'c', aud: '*' })).to.equal(await c.countDocuments({ stage: 'c', aud: '*' }, { hint: NATURAL }));
    });
  });
});
