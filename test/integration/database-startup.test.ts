/**
 * How the service meets its database at start-up: the database named by DB_NAME whatever the
 * URI's path says, a standalone server refused with what to do, and indexes reconciled with the
 * schemas (stale ones dropped, a unique index over duplicates refused with the duplicate named).
 */
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { ConnectionString } from 'mongodb-connection-string-url';
import { createTestApp, type TestApp } from '../support/app.js';
import { testDatabase } from '../support/db.js';
import { createContext, closeContext } from '../../server/context.js';
import { testConfig } from '../../lib/config.js';
import { CREDENTIALS_FILE, UnsupportedDeploymentError } from '../../server/db/connection.js';
import { IndexReconcileError } from '../../models/index.js';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../embedded-mongo/index.js';
import { createUser } from '../support/users.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('database: start-up checks', () => {
  let t: TestApp | undefined;
  let client: MongoClient | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
    await client?.close();
    client = undefined;
  });

  it('when the URI names an authentication database in its path, then the data goes to DB_NAME and writes work', async function () {
    const { uri, dbName } = await testDatabase('db-name');
    const withPath = new ConnectionString(uri);
    // Only where a path is free to change: a real deployment's URI may need its own (authSource).
    if (withPath.pathname.length <= 1) withPath.pathname = '/admin';
    t = await createTestApp({ database: { uri: withPath.toString(), dbName } });
    expect(t.ctx.connection.name).to.equal(dbName);
    const user = await createUser(t, { role: 'drafter' });
    client = await MongoClient.connect(uri);
    expect(await client.db(dbName).collection('users').countDocuments({ email: user.email })).to.equal(1);
  });

  describe('on a standalone server', () => {
    let standalone: EmbeddedMongo | undefined;
    before(async function () {
      if (process.env.MONGODB_URI) this.skip(); // starts its own server: nothing to learn from a real one here
      standalone = await startEmbeddedMongo({ replicaSetName: null, thread: true });
    });
    after(async () => standalone?.stop());

    it('when MONGODB_URI points at a standalone server, then start-up stops and says how to make a replica set', async () => {
      const config = testConfig({ MONGODB_URI: standalone!.uri, DB_NAME: 'standalone_refused' });
      const err = await rejection(createContext(config));
      expect(err).to.be.instanceOf(UnsupportedDeploymentError);
      expect(err.message).to.include('standalone');
      expect(err.message).to.include('--replSet rs0');
      expect(err.message).to.include('rs.initiate()');
      expect(err.message).to.include('?replicaSet=rs0');
      // nothing was created on the refused server
      client = await MongoClient.connect(standalone!.uri);
      const names = (await client.db().admin().listDatabases()).databases.map((d) => d.name);
      expect(names).to.not.include('standalone_refused');
    });
  });

  describe('the embedded database the service starts itself', () => {
    let dataDir: string;
    before(() => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-auth-'));
    });
    after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

    it('when it starts for the first time, then it makes credentials readable only by the service\'s user and refuses clients without them', async () => {
      const config = testConfig({ DATA_DIR: dataDir, DB_NAME: 'auth_first' });
      const ctx = await createContext(config);
      try {
        expect(ctx.db.backend).to.equal('embedded');
        const file = path.join(dataDir, CREDENTIALS_FILE);
        expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
        const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
        expect(stored.password).to.match(/^[\w-]{32}$/);
        expect(ctx.db.safeUri).not.to.include(stored.password);
        await ctx.models.User.create({ email: 'kept@pwni.test', name: 'Kept', role: 'drafter', unit: 'PWNI', passwordHash: 'x' });
        // a process that only knows the port gets nothing
        const port = new URL(ctx.db.safeUri.replace(/\/\/[^@]*@/, '//')).port;
        client = await MongoClient.connect(`mongodb://127.0.0.1:${port}/?directConnection=true`);
        const err = await rejection(client.db('auth_first').collection('users').findOne({}));
        expect(err.code).to.equal(13);
        const wrong = await rejection(MongoClient.connect(`mongodb://pwni-tracker:guess@127.0.0.1:${port}/?directConnection=true&authSource=admin`));
        expect(wrong.code).to.equal(18);
      } finally {
        await closeContext(ctx);
      }
    });

    it('when it starts again on the same DATA_DIR, then it uses the same credentials and finds its data', async () => {
      const file = path.join(dataDir, CREDENTIALS_FILE);
      const before = fs.readFileSync(file, 'utf8');
      fs.chmodSync(file, 0o644); // loosened by hand: narrowed again at start
      const ctx = await createContext(testConfig({ DATA_DIR: dataDir, DB_NAME: 'auth_first' }));
      try {
        expect(fs.readFileSync(file, 'utf8')).to.equal(before);
        expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
        expect(await ctx.models.User.countDocuments({ email: 'kept@pwni.test' })).to.equal(1);
      } finally {
        await closeContext(ctx);
      }
    });
  });

  describe('index reconciliation', () => {
    it('when the database holds an index no schema declares, then start-up drops it and keeps the declared ones', async () => {
      const database = await testDatabase('idx-stale');
      client = await MongoClient.connect(database.uri);
      const agreements = client.db(database.dbName).collection('agreements');
      await agreements.createIndex({ legacyField: 1 }, { name: 'legacy_1' });
      t = await createTestApp({ database });
      const names = (await agreements.listIndexes().toArray()).map((i) => i.name);
      expect(names).to.not.include('legacy_1');
      expect(names).to.include.members(['_id_', 'code_1', 'searchTerms_1']);
    });

    it('when a unique index cannot be built over duplicate documents, then start-up stops naming the index and the duplicate value', async () => {
      const database = await testDatabase('idx-dups');
      client = await MongoClient.connect(database.uri);
      const users = client.db(database.dbName).collection('users');
      await users.insertMany([{ email: 'twice@pwni.test', name: 'A' }, { email: 'twice@pwni.test', name: 'B' }]);
      const config = testConfig({ MONGODB_URI: database.uri, DB_NAME: database.dbName });
      const err = await rejection(createContext(config));
      expect(err).to.be.instanceOf(IndexReconcileError);
      expect(err.failures).to.have.length(1);
      expect(err.failures[0]).to.include({ collection: 'users', unique: true });
      expect(err.failures[0].key).to.deep.equal({ email: 1 });
      expect(err.message).to.include('twice@pwni.test');
      expect(err.message).to.match(/Remove or merge the duplicate/);
      // the other collections were reconciled all the same, and the data is untouched
      expect(await users.countDocuments()).to.equal(2);
      expect((await client.db(database.dbName).collection('agreements').listIndexes().toArray()).map((i) => i.name)).to.include('code_1');
      // once the duplicate is gone, the service starts and the index exists
      await users.deleteOne({ name: 'B' });
      const ctx = await createContext(config);
      try {
        expect((await users.listIndexes().toArray()).find((i) => i.name === 'email_1')?.unique).to.equal(true);
      } finally {
        await ctx.connection.dropDatabase();
        await closeContext(ctx);
      }
    });
  });
});
