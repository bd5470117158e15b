import { expect } from 'chai';
import { createRequire } from 'node:module';
import { runPipeline, makeOptions } from '../../embedded-mongo/query/pipeline.js';
import { MINGO_FOUNDATION } from '../../embedded-mongo/query/mingo-plain-exports.js';

const require = createRequire(import.meta.url);

describe('embedded-mongo: mingo bound to plain export objects', () => {
  it('when the aggregation modules are loaded, then every mingo foundation module exports plain values, not getters, and mingo evaluates through them', () => {
    for (const file of MINGO_FOUNDATION) {
      const exported = require.cache[file]?.exports as Record<string, unknown> | undefined;
      expect(exported, file).to.be.an('object');
      const getters = Object.entries(Object.getOwnPropertyDescriptors(exported)).filter(([, d]) => d.get !== undefined).map(([name]) => name);
      expect(getters, file).to.deep.equal([]);
      // the same functions as the module's own, only no longer read through getters
      expect(Object.keys(exported!).length, file).to.be.greaterThan(0);
    }
    const docs = [{ _id: 1, a: [3, 1, 2], d: new Date('2022-04-01T00:00:00Z') }];
    const out = runPipeline(docs, [{ $project: { first: { $arrayElemAt: ['$a', 1] }, sum: { $add: [{ $size: '$a' }, { $multiply: [2, 5] }] }, day: { $dayOfMonth: '$d' } } }], makeOptions());
    expect(out).to.deep.equal([{ _id: 1, first: 1, sum: 13, day: 1 }]);
  });
});
