import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { testDatabase } from '../db.js';

// Not a test of the product: test/integration/test-harness.test.ts runs mocha on this file alone.
// The top-level await makes mocha load it with import() rather than require(), the way spec files
// that reach ESM-only packages are loaded, while the root hooks are loaded with require(): both
// routes must share one database server, which the root hook then stops.
const { uri, dbName } = await testDatabase('harness');

describe('a spec file loaded with import() that uses the shared database', () => {
  it('writes and reads one document', async () => {
    const client = await MongoClient.connect(uri);
    try {
      await client.db(dbName).collection('probe').insertOne({ _id: 1 as never, ok: true });
      expect(await client.db(dbName).collection('probe').findOne({})).to.deep.equal({ _id: 1, ok: true });
    } finally {
      await client.close();
    }
  });
});
