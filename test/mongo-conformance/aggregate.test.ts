/** Aggregation stages that reports use, through the driver and through mongoose. */
import { expect } from 'chai';
import { Schema } from 'mongoose';
import { ObjectId, type Collection, type Document } from 'mongodb';
import { useTarget } from './target.js';

describe('mongo conformance: aggregation', function () {
  const t = useTarget('aggregate');
  let orders: Collection;

  before(async function () {
    orders = t.db.collection('orders');
    await t.db.collection('customers').insertMany([
      { _id: 'c1', name: 'Ann', region: 'north' },
      { _id: 'c2', name: 'Ben', region: 'south' },
      { _id: 'c3', name: 'Cy', region: 'north' },
    ] as Document[]);
    await orders.insertMany([
      { _id: 1, cust: 'c1', status: 'paid', amount: 100, items: [{ sku: 'A', qty: 2 }, { sku: 'B', qty: 1 }], at: new Date('2024-01-05T10:00:00Z') },
      { _id: 2, cust: 'c1', status: 'paid', amount: 50, items: [{ sku: 'A', qty: 1 }], at: new Date('2024-02-10T10:00:00Z') },
      { _id: 3, cust: 'c2', status: 'open', amount: 75, items: [{ sku: 'C', qty: 5 }], at: new Date('2024-02-15T10:00:00Z') },
      { _id: 4, cust: 'c2', status: 'paid', amount: 25, items: [], at: new Date('2024-03-01T10:00:00Z') },
      { _id: 5, cust: 'c3', status: 'cancelled', amount: 200, items: [{ sku: 'B', qty: 3 }], at: new Date('2024-03-20T10:00:00Z') },
      { _id: 6, cust: 'c9', status: 'paid', amount: 10, at: new Date('2024-04-01T10:00:00Z') },
    ] as Document[]);
  });

  const run = (pipeline: Document[]) => orders.aggregate(pipeline).toArray();

  it('when $match, $sort and $group run with every accumulator, then per-group figures are right', async function () {
    const out = await run([
      { $match: { status: 'paid' } },
      { $sort: { at: 1 } },
      {
        $group: {
          _id: '$cust',
          total: { $sum: '$amount' },
          avg: { $avg: '$amount' },
          min: { $min: '$amount' },
          max: { $max: '$amount' },
          count: { $sum: 1 },
          amounts: { $push: '$amount' },
          statuses: { $addToSet: '$status' },
          first: { $first: '$_id' },
          last: { $last: '$_id' },
        },
      },
      { $sort: { _id: 1 } },
    ]);
    expect(out).to.deep.equal([
      { _id: 'c1', total: 150, avg: 75, min: 50, max: 100, count: 2, amounts: [100, 50], statuses: ['paid'], first: 1, last: 2 },
      { _id: 'c2', total: 25, avg: 25, min: 25, max: 25, count: 1, amounts: [25], statuses: ['paid'], first: 4, last: 4 },
      { _id: 'c9', total: 10, avg: 10, min: 10, max: 10, count: 1, amounts: [10], statuses: ['paid'], first: 6, last: 6 },
    ]);
  });

  it('when $group uses a null _id and a compound _id, then totals and keys are right', async function () {
    const [all] = await run([{ $group: { _id: null, n: { $sum: 1 }, total: { $sum: '$amount' }, statuses: { $addToSet: '$status' } } }]);
    expect(all.n).to.equal(6);
    expect(all.total).to.equal(460);
    expect([...all.statuses].sort()).to.deep.equal(['cancelled', 'open', 'paid']);
    const byKey = await run([
      { $group: { _id: { status: '$status', year: { $year: '$at' } }, n: { $sum: 1 } } },
      { $sort: { '_id.status': 1 } },
    ]);
    expect(byKey).to.deep.equal([
      { _id: { status: 'cancelled', year: 2024 }, n: 1 },
      { _id: { status: 'open', year: 2024 }, n: 1 },
      { _id: { status: 'paid', year: 2024 }, n: 4 },
    ]);
  });

  it('when grouping by a $dateToString month, then monthly totals come out', async function () {
    const out = await run([
      { $group: { _id: { $dateToString: { format: '%Y-%m', date: '$at' } }, total: { $sum: '$amount' } } },
      { $sort: { _id: 1 } },
    ]);
    expect(out).to.deep.equal([
      { _id: '2024-01', total: 100 },
      { _id: '2024-02', total: 125 },
      { _id: '2024-03', total: 225 },
      { _id: '2024-04', total: 10 },
    ]);
  });

  it('when $unwind flattens items and $group sums them, then quantities per sku are right', async function () {
    const out = await run([
      { $unwind: '$items' },
      { $group: { _id: '$items.sku', qty: { $sum: '$items.qty' }, orders: { $sum: 1 } } },
      { $sort: { qty: -1 } },
    ]);
    expect(out).to.deep.equal([
      { _id: 'C', qty: 5, orders: 1 },
      { _id: 'B', qty: 4, orders: 2 },
      { _id: 'A', qty: 3, orders: 2 },
    ]);
  });

  it('when $unwind keeps empty and missing arrays with an index field, then they pass through with a null index', async function () {
    const out = await run([
      { $unwind: { path: '$items', preserveNullAndEmptyArrays: true, includeArrayIndex: 'idx' } },
      { $project: { _id: 1, sku: '$items.sku', idx: 1 } },
      { $sort: { _id: 1, idx: 1 } },
    ]);
    expect(out).to.deep.equal([
      { _id: 1, sku: 'A', idx: 0 },
      { _id: 1, sku: 'B', idx: 1 },
      { _id: 2, sku: 'A', idx: 0 },
      { _id: 3, sku: 'C', idx: 0 },
      { _id: 4, idx: null },
      { _id: 5, sku: 'B', idx: 0 },
      { _id: 6, idx: null },
    ]);
  });

  it('when $project names fields by 1 or 0 alone, then it keeps or drops them as a find projection does', async function () {
    const kept = await run([{ $match: { _id: { $in: [1, 4, 6] } } }, { $sort: { _id: 1 } }, { $project: { 'items.sku': 1, amount: true, cust: 5 } }]);
    expect(kept).to.deep.equal([
      { _id: 1, cust: 'c1', amount: 100, items: [{ sku: 'A' }, { sku: 'B' }] },
      { _id: 4, cust: 'c2', amount: 25, items: [] },
      { _id: 6, cust: 'c9', amount: 10 },
    ]);
    const dropped = await run([{ $match: { _id: 1 } }, { $project: { _id: 0, items: 0, at: false, 'status.none': 0 } }]);
    expect(dropped).to.deep.equal([{ cust: 'c1', status: 'paid', amount: 100 }]);
    expect(await run([{ $match: { _id: 2 } }, { $project: { _id: 1 } }])).to.deep.equal([{ _id: 2 }]);
    expect(await run([{ $match: { _id: 2 } }, { $project: { _id: 0, 'items.qty': 1 } }])).to.deep.equal([{ items: [{ qty: 1 }] }]);
    const mixed = await run([{ $project: { cust: 1, amount: 0 } }]).catch((err) => err);
    expect(mixed).to.be.instanceOf(Error);
    expect(mixed.code).to.equal(31254);
    // (the fields' order is not asserted: MongoDB's classic engine keeps the document's, SBE the spec's)
    // a nested spec and an expression still mean what they mean in $project
    expect(await run([{ $match: { _id: 2 } }, { $project: { _id: 0, items: { sku: 1 }, twice: { $multiply: ['$amount', 2] } } }])).to.deep.equal([
      { items: [{ sku: 'A' }], twice: 100 },
    ]);
  });

  it('when $lookup joins customers by local/foreign field, then unmatched orders get an empty array', async function () {
    const out = await run([
      { $lookup: { from: 'customers', localField: 'cust', foreignField: '_id', as: 'customer' } },
      { $project: { n: { $size: '$customer' }, name: { $first: '$customer.name' } } },
      { $sort: { _id: 1 } },
    ]);
    expect(out.map((d) => [d._id, d.n, d.name])).to.deep.equal([
      [1, 1, 'Ann'],
      [2, 1, 'Ann'],
      [3, 1, 'Ben'],
      [4, 1, 'Ben'],
      [5, 1, 'Cy'],
      [6, 0, undefined],
    ]);
  });

  it('when $lookup is followed by $unwind and a $group on a joined field, then totals per region are right', async function () {
    const out = await run([
      { $lookup: { from: 'customers', localField: 'cust', foreignField: '_id', as: 'customer' } },
      { $unwind: '$customer' },
      { $group: { _id: '$customer.region', total: { $sum: '$amount' } } },
      { $sort: { _id: 1 } },
    ]);
    expect(out).to.deep.equal([
      { _id: 'north', total: 350 },
      { _id: 'south', total: 100 },
    ]);
  });

  it('when $lookup uses let and a sub-pipeline, then the join is correlated', async function () {
    const out = await t.db
      .collection('customers')
      .aggregate([
        {
          $lookup: {
            from: 'orders',
            let: { cid: '$_id' },
            pipeline: [{ $match: { $expr: { $eq: ['$cust', '$$cid'] } } }, { $match: { status: 'paid' } }, { $project: { _id: 1 } }],
            as: 'paid',
          },
        },
        { $project: { _id: 1, paid: { $size: '$paid' } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(out).to.deep.equal([
      { _id: 'c1', paid: 2 },
      { _id: 'c2', paid: 1 },
      { _id: 'c3', paid: 0 },
    ]);
  });

  it('when $lookup has localField, foreignField, let and a sub-pipeline, then the pipeline sees only the equal documents', async function () {
    // MongoDB 5.0's concise correlated form: the equality join first, then the pipeline on its matches.
    const out = await t.db
      .collection('customers')
      .aggregate([
        {
          $lookup: {
            from: 'orders',
            localField: '_id',
            foreignField: 'cust',
            let: { cap: 60 },
            pipeline: [{ $match: { $expr: { $gt: ['$amount', '$$cap'] } } }, { $sort: { amount: -1 } }, { $limit: 1 }, { $project: { _id: 1 } }],
            as: 'biggest',
          },
        },
        { $project: { _id: 1, biggest: 1 } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(out).to.deep.equal([
      { _id: 'c1', biggest: [{ _id: 1 }] },
      { _id: 'c2', biggest: [{ _id: 3 }] },
      { _id: 'c3', biggest: [{ _id: 5 }] },
    ]);
  });

  it('when $lookup has localField, foreignField and a sub-pipeline that adds fields, then the joined collection is left as it was', async function () {
    const out = await t.db
      .collection('customers')
      .aggregate([
        { $match: { _id: 'c2' } },
        { $lookup: { from: 'orders', localField: '_id', foreignField: 'cust', pipeline: [{ $set: { amount: 0 } }, { $sort: { _id: 1 } }, { $project: { amount: 1 } }], as: 'o' } },
      ])
      .toArray();
    expect(out[0].o).to.deep.equal([
      { _id: 3, amount: 0 },
      { _id: 4, amount: 0 },
    ]);
    expect((await orders.findOne({ _id: 3 } as Document))!.amount).to.equal(75);
  });

  it('when $group keeps the top N by a sort and arrays are sorted and indexed, then percentiles by nearest rank come out', async function () {
    const out = await run([
      { $match: { amount: { $exists: true } } },
      { $group: { _id: null, top: { $topN: { n: 2, sortBy: { amount: -1 }, output: '$_id' } }, amounts: { $push: '$amount' } } },
      { $project: { _id: 0, top: 1, sorted: { $sortArray: { input: '$amounts', sortBy: 1 } } } },
      { $project: { top: 1, sorted: 1, p50: { $arrayElemAt: ['$sorted', { $subtract: [{ $ceil: { $multiply: [0.5, { $size: '$sorted' }] } }, 1] }] } } },
    ]);
    expect(out).to.deep.equal([{ top: [5, 1], sorted: [10, 25, 50, 75, 100, 200], p50: 50 }]);
  });

  it('when $topN and $bottomN output an expression of each document per group key, then each group keeps its first and last by the sort', async function () {
    const ids = [new ObjectId('65a000000000000000000001'), new ObjectId('65a000000000000000000002'), new ObjectId('65a000000000000000000003')];
    const c = t.db.collection('topn');
    await c.insertMany([
      { _id: ids[0], stage: 'drafting', code: 'B', title: { id: 'b' } },
      { _id: ids[1], stage: 'drafting', code: 'A', title: { id: 'a' } },
      { _id: ids[2], stage: 'signed', code: 'C', title: { id: 'c' } },
    ]);
    const out = await c
      .aggregate([
        {
          $group: {
            _id: '$stage',
            first: { $topN: { n: 1, sortBy: { code: 1 }, output: { id: { $toString: '$_id' }, code: '$code', title: '$title' } } },
            last: { $bottomN: { n: 2, sortBy: { code: 1 }, output: '$code' } },
          },
        },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(out).to.deep.equal([
      { _id: 'drafting', first: [{ id: ids[1].toHexString(), code: 'A', title: { id: 'a' } }], last: ['A', 'B'] },
      { _id: 'signed', first: [{ id: ids[2].toHexString(), code: 'C', title: { id: 'c' } }], last: ['C'] },
    ]);
  });

  it('when $switch, $let, $floor, $mod and $toLong work on dates, then day arithmetic is exact', async function () {
    const out = await run([
      { $match: { _id: 1 } },
      {
        $project: {
          _id: 0,
          day: { $let: { vars: { d: { $floor: { $divide: [{ $toLong: '$at' }, 86400000] } } }, in: { $mod: ['$$d', 7] } } },
          kind: { $switch: { branches: [{ case: { $gt: ['$amount', 500] }, then: 'big' }, { case: { $gt: ['$amount', 50] }, then: 'mid' }], default: 'small' } },
          fromString: { $toDate: '2024-01-05T10:00:00.000Z' },
        },
      },
    ]);
    // 2024-01-05 is day 19727 since 1970-01-01; 19727 mod 7 = 1 (a Friday: day 0 was a Thursday)
    expect(out).to.deep.equal([{ day: 1, kind: 'mid', fromString: new Date('2024-01-05T10:00:00Z') }]);
  });

  it('when $facet runs several sub-pipelines, then one document holds every result', async function () {
    const out = await run([
      {
        $facet: {
          byStatus: [{ $group: { _id: '$status', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
          total: [{ $count: 'n' }],
          top: [{ $sort: { amount: -1 } }, { $limit: 2 }, { $project: { amount: 1 } }],
        },
      },
    ]);
    expect(out).to.deep.equal([
      {
        byStatus: [
          { _id: 'cancelled', n: 1 },
          { _id: 'open', n: 1 },
          { _id: 'paid', n: 4 },
        ],
        total: [{ n: 6 }],
        top: [
          { _id: 5, amount: 200 },
          { _id: 1, amount: 100 },
        ],
      },
    ]);
  });

  it('when $bucket groups amounts by boundaries with a default, then each bucket has its count and members', async function () {
    const out = await run([
      { $sort: { _id: 1 } },
      { $bucket: { groupBy: '$amount', boundaries: [0, 50, 100, 150], default: 'other', output: { count: { $sum: 1 }, ids: { $push: '$_id' } } } },
    ]);
    expect(out).to.deep.equal([
      { _id: 0, count: 2, ids: [4, 6] },
      { _id: 50, count: 2, ids: [2, 3] },
      { _id: 100, count: 1, ids: [1] },
      { _id: 'other', count: 1, ids: [5] },
    ]);
  });

  it('when $count follows a $match, then one document carries the count; with no input, then no document', async function () {
    expect(await run([{ $match: { status: 'paid' } }, { $count: 'paid' }])).to.deep.equal([{ paid: 4 }]);
    expect(await run([{ $match: { status: 'none' } }, { $count: 'n' }])).to.deep.equal([]);
    expect(await run([{ $match: { status: 'none' } }, { $group: { _id: null, n: { $sum: 1 } } }])).to.deep.equal([]);
  });

  it('when $sort, $skip, $limit, $project and $addFields chain, then the page is shaped as asked', async function () {
    const out = await run([
      { $sort: { _id: 1 } },
      { $skip: 1 },
      { $limit: 2 },
      { $project: { _id: 0, id: '$_id', amount: 1, big: { $gte: ['$amount', 100] }, month: { $month: '$at' } } },
      { $addFields: { double: { $multiply: ['$amount', 2] }, label: { $concat: ['#', { $toString: '$id' }] } } },
    ]);
    expect(out).to.deep.equal([
      { amount: 50, id: 2, big: false, month: 2, double: 100, label: '#2' },
      { amount: 75, id: 3, big: false, month: 2, double: 150, label: '#3' },
    ]);
  });

  it('when a mongoose Model.aggregate builder runs, then it returns plain results', async function () {
    const Order = t.conn.model('Order', new Schema({ _id: Number, cust: String, status: String, amount: Number }), 'orders');
    const out = await Order.aggregate<{ _id: string; n: number; total: number }>()
      .match({ status: 'paid' })
      .group({ _id: '$cust', n: { $sum: 1 }, total: { $sum: '$amount' } })
      .sort({ total: -1 })
      .limit(2);
    expect(out).to.deep.equal([
      { _id: 'c1', n: 2, total: 150 },
      { _id: 'c2', n: 1, total: 25 },
    ]);
  });
});
