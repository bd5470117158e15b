/**
 * $lookup in MongoDB 5.0's concise form (localField/foreignField plus a `pipeline`): its leading
 * $match, $sort and $limit run as one find on the foreign collection with `let` bound per local
 * document. Every answer is checked against the same question asked with a plain find per local
 * document, through the driver only, so the assertions hold on real MongoDB too (MONGODB_URI=...).
 */
import { expect } from 'chai';
import type { Collection, Document } from 'mongodb';
import { useTarget } from '../mongo-conformance/target.js';

const AGREEMENTS = 60;
const STAGE_ACTIONS = ['created', 'transition'];

describe('embedded-mongo $lookup with localField/foreignField and a pipeline (conformance: same answers as a find per document)', function () {
  this.timeout(60_000);
  const t = useTarget('lookup-subpipeline');
  let events: Collection<any>;
  let agreements: Collection<any>;

  before(async function () {
    events = t.db.collection('events');
    agreements = t.db.collection('agreements');
    await events.createIndex({ agreementId: 1, seq: 1 }, { unique: true });
    await events.createIndex({ action: 1, at: -1 });
    const evs: Document[] = [];
    const ags: Document[] = [];
    for (let a = 0; a < AGREEMENTS; a++) {
      // every third agreement has related ones (an array local field); agreement 0 has none at all
      ags.push({ _id: a, code: `A-${a}`, ...(a % 3 === 0 ? { related: [a + 1, a + 2, 999] } : {}), ...(a === 5 ? { related: null } : {}) });
      const n = a === 0 ? 0 : 3 + (a % 7);
      for (let s = 1; s <= n; s++) {
        const action = s === 1 ? 'created' : s % 3 === 0 ? 'transition' : 'comment';
        evs.push({ agreementId: a, seq: s, action, at: new Date(Date.UTC(2022, 0, 1) + (a * 100 + s) * 3_600_000), rank: (a * 7 + s * 3) % 5 });
      }
    }
    // events whose agreementId is missing or null: what a missing local field joins to
    evs.push({ seq: 1, action: 'transition', at: new Date(Date.UTC(2021, 0, 1)), rank: 1 });
    evs.push({ agreementId: null, seq: 2, action: 'transition', at: new Date(Date.UTC(2021, 0, 2)), rank: 2 });
    await events.insertMany(evs);
    await agreements.insertMany(ags);
  });

  const strip = (docs: Document[]) => docs.map(({ _id, ...rest }) => rest);

  it('when each event asks for the stage event before it (let, $expr, $sort descending, $limit 1), then it gets what a find per event returns', async () => {
    const got = await events
      .aggregate([
        { $match: { action: 'transition', agreementId: { $type: 'number' } } },
        {
          $lookup: {
            from: 'events',
            localField: 'agreementId',
            foreignField: 'agreementId',
            let: { seq: '$seq' },
            pipeline: [{ $match: { action: { $in: STAGE_ACTIONS }, $expr: { $lt: ['$seq', '$$seq'] } } }, { $sort: { seq: -1 } }, { $limit: 1 }, { $project: { _id: 0, seq: 1, action: 1 } }],
            as: 'prev',
          },
        },
        { $sort: { agreementId: 1, seq: 1 } },
      ])
      .toArray();
    expect(got.length).to.be.greaterThan(20);
    for (const e of got) {
      const want = await events.find({ agreementId: e.agreementId, action: { $in: STAGE_ACTIONS }, seq: { $lt: e.seq } }, { sort: { seq: -1 }, limit: 1, projection: { _id: 0, seq: 1, action: 1 } }).toArray();
      expect(e.prev, `agreement ${e.agreementId} seq ${e.seq}`).to.deep.equal(want);
    }
  });

  it('when the local field is an array, missing or null, then the sorted and limited matches are those of a find on all its values', async () => {
    const got = await agreements
      .aggregate([
        { $lookup: { from: 'events', localField: 'related', foreignField: 'agreementId', pipeline: [{ $match: { action: { $ne: 'comment' } } }, { $sort: { rank: 1, seq: -1, agreementId: 1 } }, { $limit: 3 }], as: 'firsts' } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(got).to.have.length(AGREEMENTS);
    for (const a of got) {
      const values = Array.isArray(a.related) ? a.related : [a.related ?? null];
      const want = await events.find({ agreementId: { $in: values }, action: { $ne: 'comment' } }, { sort: { rank: 1, seq: -1, agreementId: 1 }, limit: 3 }).toArray();
      expect(strip(a.firsts), `agreement ${a._id}`).to.deep.equal(strip(want));
    }
    // a missing or null local field joins the events whose agreementId is missing or null
    expect(got.find((a) => a._id === 1)!.firsts.map((e: Document) => e.seq).sort()).to.deep.equal([1, 2]);
    expect(got.find((a) => a._id === 5)!.firsts.map((e: Document) => e.seq).sort()).to.deep.equal([1, 2]);
  });

  it('when the pipeline groups after its $match and uses the command’s let, then each agreement gets its own counts', async () => {
    const got = await agreements
      .aggregate(
        [
          {
            $lookup: {
              from: 'events',
              localField: '_id',
              foreignField: 'agreementId',
              let: { code: '$code' },
              pipeline: [{ $match: { $expr: { $gte: ['$rank', '$$minRank'] } } }, { $group: { _id: '$action', n: { $sum: 1 } } }, { $addFields: { code: '$$code' } }, { $sort: { _id: 1 } }],
              as: 'counts',
            },
          },
          { $sort: { _id: 1 } },
        ],
        { let: { minRank: 2 } },
      )
      .toArray();
    for (const a of got) {
      const evs = await events.find({ agreementId: a._id, rank: { $gte: 2 } }).toArray();
      const want = Object.entries(evs.reduce<Record<string, number>>((m, e) => ({ ...m, [e.action]: (m[e.action] ?? 0) + 1 }), {}))
        .sort(([x], [y]) => (x < y ? -1 : 1))
        .map(([action, n]) => ({ _id: action, n, code: a.code }));
      expect(a.counts, `agreement ${a._id}`).to.deep.equal(want);
    }
    expect(got.find((a) => a._id === 0)!.counts).to.deep.equal([]);
  });
});
