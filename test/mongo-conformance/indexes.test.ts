/** Index lifecycle (Model.init, listIndexes, syncIndexes, dropIndexes) and unique enforcement. */
import { expect } from 'chai';
import { Schema, type Model } from 'mongoose';
import { MongoServerError, type Collection, type Document } from 'mongodb';
import { requireReplicaSet, useTarget } from './target.js';
import { rejection } from './util.js';

interface IAccount {
  email?: string;
  org?: string;
  code?: string;
  nick?: string | null;
  status?: string;
  slug?: string;
  expiresAt?: Date;
  age?: number;
}

function accountSchema() {
  const schema = new Schema<IAccount>({
    email: { type: String, unique: true },
    org: String,
    code: String,
    nick: { type: String, unique: true, sparse: true },
    status: String,
    slug: String,
    expiresAt: { type: Date, expires: 3600 },
    age: Number,
  });
  schema.index({ org: 1, code: 1 }, { unique: true });
  schema.index({ slug: 1 }, { unique: true, partialFilterExpression: { status: 'active' } });
  return schema;
}

/** Asserts the full duplicate-key shape real MongoDB gives for an insert/update write error. */
function expectDup(err: unknown, dbName: string, coll: string, index: string, keyPattern: Document, keyValue: Document, dupKeyText: string) {
  expect(err, 'error').to.be.instanceOf(MongoServerError);
  const e = err as MongoServerError;
  expect(e.code, 'code').to.equal(11000);
  expect(e.keyPattern, 'keyPattern').to.deep.equal(keyPattern);
  expect(e.keyValue, 'keyValue').to.deep.equal(keyValue);
  expect(e.errmsg, 'errmsg').to.equal(`E11000 duplicate key error collection: ${dbName}.${coll} index: ${index} dup key: ${dupKeyText}`);
}

describe('mongo conformance: indexes', function () {
  const t = useTarget('indexes');

  describe('lifecycle through mongoose', function () {
    let Account: Model<IAccount>;
    const names = async () => (await Account.listIndexes()).map((i) => i.name as string).sort();

    before(async function () {
      Account = t.conn.model<IAccount>('Account', accountSchema(), 'accounts');
      await Account.init();
    });

    it('when Model.init runs, then the collection exists with every declared index and its options', async function () {
      const colls = await t.db.listCollections({ name: 'accounts' }).toArray();
      expect(colls).to.have.length(1);
      expect(await names()).to.deep.equal(['_id_', 'email_1', 'expiresAt_1', 'nick_1', 'org_1_code_1', 'slug_1']);
      const byName = new Map((await t.db.collection('accounts').listIndexes().toArray()).map((i) => [i.name as string, i]));
      expect(byName.get('_id_')?.key).to.deep.equal({ _id: 1 });
      expect(byName.get('email_1')).to.deep.include({ key: { email: 1 }, unique: true });
      expect(byName.get('nick_1')).to.deep.include({ key: { nick: 1 }, unique: true, sparse: true });
      expect(byName.get('org_1_code_1')).to.deep.include({ key: { org: 1, code: 1 }, unique: true });
      expect(byName.get('slug_1')).to.deep.include({ key: { slug: 1 }, unique: true, partialFilterExpression: { status: 'active' } });
      expect(byName.get('expiresAt_1')).to.deep.include({ key: { expiresAt: 1 }, expireAfterSeconds: 3600 });
      expect(byName.get('email_1')?.v).to.equal(2);
    });

    it('when syncIndexes runs twice on an up-to-date collection, then it drops nothing either time', async function () {
      expect(await Account.syncIndexes()).to.deep.equal([]);
      expect(await Account.syncIndexes()).to.deep.equal([]);
      const diff = await Account.diffIndexes();
      expect(diff.toDrop).to.deep.equal([]);
      expect(diff.toCreate).to.deep.equal([]);
      expect(await names()).to.deep.equal(['_id_', 'email_1', 'expiresAt_1', 'nick_1', 'org_1_code_1', 'slug_1']);
    });

    it('when an index not in the schema exists, then syncIndexes drops just that one', async function () {
      await t.db.collection('accounts').createIndex({ age: 1 });
      expect(await Account.syncIndexes()).to.deep.equal(['age_1']);
      expect(await Account.syncIndexes()).to.deep.equal([]);
      expect(await names()).to.not.include('age_1');
    });

    it('when a schema index is missing, then syncIndexes recreates it', async function () {
      await t.db.collection('accounts').dropIndex('email_1');
      expect(await names()).to.not.include('email_1');
      expect(await Account.syncIndexes()).to.deep.equal([]);
      expect(await names()).to.include('email_1');
    });

    it('when dropIndexes runs, then only _id_ remains; syncIndexes then restores the rest', async function () {
      await t.db.collection('accounts').dropIndexes();
      expect(await names()).to.deep.equal(['_id_']);
      await Account.syncIndexes();
      expect(await names()).to.deep.equal(['_id_', 'email_1', 'expiresAt_1', 'nick_1', 'org_1_code_1', 'slug_1']);
    });

    it('when a schema uses the app\'s index shapes (descending compound, dotted path, TTL 0, compound unique), then syncIndexes is idempotent', async function () {
      const schema = new Schema(
        {
          code: String,
          stage: String,
          updatedAt: Date,
          parties: [{ country: String }],
          expiresAt: Date,
          agreementId: String,
          kind: String,
          version: Number,
        },
        { versionKey: false },
      );
      schema.index({ code: 1 }, { unique: true });
      schema.index({ stage: 1, updatedAt: -1 });
      schema.index({ 'parties.country': 1 });
      schema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
      schema.index({ agreementId: 1, kind: 1, version: 1 }, { unique: true });
      const Shaped = t.conn.model('Shaped', schema, 'shaped');
      await Shaped.init();
      const names = (await Shaped.listIndexes()).map((i) => i.name).sort();
      expect(names).to.deep.equal(['_id_', 'agreementId_1_kind_1_version_1', 'code_1', 'expiresAt_1', 'parties.country_1', 'stage_1_updatedAt_-1']);
      const ttl = (await Shaped.listIndexes()).find((i) => i.name === 'expiresAt_1');
      expect(ttl?.expireAfterSeconds).to.equal(0);
      expect(await Shaped.syncIndexes()).to.deep.equal([]);
      expect(await Shaped.syncIndexes()).to.deep.equal([]);
    });

    it('when a mongoose create repeats a unique email, then MongoServerError 11000 names the index and key', async function () {
      await Account.create({ email: 'a@x.io', org: 'o1', code: 'c1' });
      const err = await rejection(Account.create({ email: 'a@x.io', org: 'o2', code: 'c2' }));
      expectDup(err, t.dbName, 'accounts', 'email_1', { email: 1 }, { email: 'a@x.io' }, '{ email: "a@x.io" }');
    });
  });

  describe('index DDL through the driver', function () {
    let c: Collection;
    before(async function () {
      c = t.db.collection('ddl');
      await c.insertOne({ _id: 1, x: 1 } as Document);
    });

    it('when createIndex repeats an identical spec, then it succeeds and returns the same name', async function () {
      expect(await c.createIndex({ x: 1 })).to.equal('x_1');
      expect(await c.createIndex({ x: 1 })).to.equal('x_1');
      expect(await c.createIndexes([{ key: { y: 1, z: -1 } }, { key: { w: 1 }, name: 'custom_w' }])).to.deep.equal(['y_1_z_-1', 'custom_w']);
      const names = (await c.listIndexes().toArray()).map((i) => i.name).sort();
      expect(names).to.deep.equal(['_id_', 'custom_w', 'x_1', 'y_1_z_-1']);
    });

    it('when an index with the same name but other options is requested, then it is refused (85/86)', async function () {
      const err = await rejection(c.createIndex({ x: 1 }, { unique: true }));
      expect(err).to.be.instanceOf(MongoServerError);
      expect(err.code).to.be.oneOf([85, 86]);
    });

    it('when dropIndex names an unknown index, then 27 IndexNotFound', async function () {
      const err = await rejection(c.dropIndex('nope_1'));
      expect(err).to.be.instanceOf(MongoServerError);
      expect(err.code).to.equal(27);
      expect(err.codeName).to.equal('IndexNotFound');
    });

    it('when a TTL index is declared, then listIndexes reports expireAfterSeconds', async function () {
      await c.createIndex({ at: 1 }, { expireAfterSeconds: 60 });
      const idx = (await c.listIndexes().toArray()).find((i) => i.name === 'at_1');
      expect(idx?.expireAfterSeconds).to.equal(60);
    });

    it('when a unique index is built over duplicate data, then the build fails with 11000 and no index is left', async function () {
      const d = t.db.collection('dupdata');
      await d.insertMany([{ v: 1 }, { v: 1 }]);
      const err = await rejection(d.createIndex({ v: 1 }, { unique: true }));
      expect(err).to.be.instanceOf(MongoServerError);
      expect(err.code).to.equal(11000);
      const names = (await d.listIndexes().toArray()).map((i) => i.name);
      expect(names).to.deep.equal(['_id_']);
    });
  });

  describe('collections', function () {
    it('when listCollections runs, then each entry has name, type, options, info.uuid and idIndex', async function () {
      await t.db.createCollection('listed');
      const [entry] = await t.db.listCollections({ name: 'listed' }).toArray();
      expect(entry).to.include({ name: 'listed', type: 'collection' });
      expect(entry).to.have.property('options').that.is.an('object');
      expect((entry as Document).info.readOnly).to.equal(false);
      expect((entry as Document).info.uuid?._bsontype).to.equal('Binary');
      expect((entry as Document).idIndex).to.deep.include({ key: { _id: 1 }, name: '_id_' });
      const names = await t.db.listCollections({}, { nameOnly: true }).toArray();
      expect(names.map((n) => n.name)).to.include('listed');
    });

    it('when a collection is renamed, then its documents and indexes move with it', async function () {
      const src = t.db.collection('before_rename');
      await src.insertMany([{ _id: 1, k: 'a' }, { _id: 2, k: 'b' }] as Document[]);
      await src.createIndex({ k: 1 }, { unique: true });
      await src.rename('after_rename');
      const dst = t.db.collection('after_rename');
      expect(await dst.countDocuments({})).to.equal(2);
      expect((await dst.listIndexes().toArray()).map((i) => i.name).sort()).to.deep.equal(['_id_', 'k_1']);
      expect(await t.db.listCollections({ name: 'before_rename' }).toArray()).to.deep.equal([]);
      const err = await rejection(dst.insertOne({ _id: 3, k: 'a' } as Document));
      expect(err.code).to.equal(11000);
    });

    it('when a collection is dropped, then its documents and indexes are gone and a new one starts empty', async function () {
      const c = t.db.collection('dropme');
      await c.insertOne({ _id: 1, k: 'x' } as Document);
      await c.createIndex({ k: 1 }, { unique: true });
      expect(await c.drop()).to.equal(true);
      expect(await t.db.listCollections({ name: 'dropme' }).toArray()).to.deep.equal([]);
      await c.insertOne({ _id: 1, k: 'x' } as Document);
      expect((await c.listIndexes().toArray()).map((i) => i.name)).to.deep.equal(['_id_']);
    });
  });

  describe('unique enforcement', function () {
    it('when two documents share an _id, then the _id_ index rejects the second', async function () {
      const c = t.db.collection('u_id');
      await c.insertOne({ _id: 'k' } as Document);
      const err = await rejection(c.insertOne({ _id: 'k' } as Document));
      expectDup(err, t.dbName, 'u_id', '_id_', { _id: 1 }, { _id: 'k' }, '{ _id: "k" }');
    });

    it('when a non-sparse unique field is missing twice, then the second counts as a duplicate null', async function () {
      const c = t.db.collection('u_missing');
      await c.createIndex({ u: 1 }, { unique: true });
      await c.insertOne({ _id: 1 } as Document);
      const err = await rejection(c.insertOne({ _id: 2 } as Document));
      expectDup(err, t.dbName, 'u_missing', 'u_1', { u: 1 }, { u: null }, '{ u: null }');
      const err2 = await rejection(c.insertOne({ _id: 3, u: null } as Document));
      expect(err2.code).to.equal(11000);
      await c.insertOne({ _id: 4, u: 'set' } as Document);
      expect(await c.countDocuments({})).to.equal(2);
    });

    it('when a compound unique key repeats, then only the full combination counts', async function () {
      const c = t.db.collection('u_compound');
      await c.createIndex({ org: 1, code: 1 }, { unique: true });
      await c.insertMany([{ org: 'a', code: '1' }, { org: 'a', code: '2' }, { org: 'b', code: '1' }, { org: 'a' }]);
      const err = await rejection(c.insertOne({ org: 'a', code: '1' }));
      expectDup(err, t.dbName, 'u_compound', 'org_1_code_1', { org: 1, code: 1 }, { org: 'a', code: '1' }, '{ org: "a", code: "1" }');
      const err2 = await rejection(c.insertOne({ org: 'a', code: null }));
      expect(err2.code).to.equal(11000);
      expect(err2.keyValue).to.deep.equal({ org: 'a', code: null });
    });

    it('when a multikey unique index sees a shared element, then it rejects; repeats inside one array are fine', async function () {
      const c = t.db.collection('u_multikey');
      await c.createIndex({ tags: 1 }, { unique: true });
      await c.insertOne({ _id: 1, tags: ['a', 'b'] } as Document);
      await c.insertOne({ _id: 2, tags: ['x', 'x'] } as Document);
      const err = await rejection(c.insertOne({ _id: 3, tags: ['b', 'c'] } as Document));
      expectDup(err, t.dbName, 'u_multikey', 'tags_1', { tags: 1 }, { tags: 'b' }, '{ tags: "b" }');
      await c.insertOne({ _id: 4, tags: ['c'] } as Document);
      const err2 = await rejection(c.updateOne({ _id: 4 } as Document, { $push: { tags: 'x' } } as Document));
      expect(err2.code).to.equal(11000);
      expect(err2.keyValue).to.deep.equal({ tags: 'x' });
      await c.insertOne({ _id: 5, tags: 'solo' } as Document);
      const err3 = await rejection(c.insertOne({ _id: 6, tags: ['solo', 'other'] } as Document));
      expect(err3.keyValue).to.deep.equal({ tags: 'solo' });
    });

    it('when a unique index is sparse, then missing fields never clash but equal values (null included) do', async function () {
      const c = t.db.collection('u_sparse');
      await c.createIndex({ nick: 1 }, { unique: true, sparse: true });
      await c.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3, nick: 'n' }, { _id: 4, nick: null }] as Document[]);
      const err = await rejection(c.insertOne({ _id: 5, nick: 'n' } as Document));
      expectDup(err, t.dbName, 'u_sparse', 'nick_1', { nick: 1 }, { nick: 'n' }, '{ nick: "n" }');
      const err2 = await rejection(c.insertOne({ _id: 6, nick: null } as Document));
      expect(err2.code).to.equal(11000);
    });

    it('when a unique index is partial, then only documents matching the filter are constrained', async function () {
      const c = t.db.collection('u_partial');
      await c.createIndex({ slug: 1 }, { unique: true, partialFilterExpression: { status: 'active' } });
      await c.insertMany([
        { _id: 1, slug: 's', status: 'draft' },
        { _id: 2, slug: 's', status: 'draft' },
        { _id: 3, slug: 's', status: 'active' },
      ] as Document[]);
      const err = await rejection(c.insertOne({ _id: 4, slug: 's', status: 'active' } as Document));
      expectDup(err, t.dbName, 'u_partial', 'slug_1', { slug: 1 }, { slug: 's' }, '{ slug: "s" }');
      const err2 = await rejection(c.updateOne({ _id: 1 } as Document, { $set: { status: 'active' } }));
      expect(err2.code).to.equal(11000);
      expect((await c.findOne({ _id: 1 } as Document))?.status).to.equal('draft');
    });

    it('when an update, upsert or updateMany would duplicate a unique value, then it fails with 11000', async function () {
      const c = t.db.collection('u_update');
      await c.createIndex({ email: 1 }, { unique: true });
      await c.insertMany([{ _id: 1, email: 'a' }, { _id: 2, email: 'b' }] as Document[]);
      const err = await rejection(c.updateOne({ _id: 2 } as Document, { $set: { email: 'a' } }));
      expectDup(err, t.dbName, 'u_update', 'email_1', { email: 1 }, { email: 'a' }, '{ email: "a" }');
      const err2 = await rejection(c.updateOne({ _id: 3 } as Document, { $set: { email: 'b' } }, { upsert: true }));
      expect(err2.code).to.equal(11000);
      const err3 = await rejection(c.updateMany({}, { $set: { email: 'z' } }));
      expect(err3.code).to.equal(11000);
      // updateMany is not atomic outside a transaction: the first document changed, the second clashed.
      const emails = (await c.find({}).sort({ _id: 1 }).toArray()).map((d) => d.email as string);
      expect(emails).to.have.length(2);
      expect(emails.filter((e) => e === 'z')).to.have.length(1);
    });
  });

  describe('converting an index to unique (collMod, MongoDB 6.0)', function () {
    const collMod = (coll: string, index: Document, extra: Document = {}) => t.db.command({ collMod: coll, index, ...extra });
    const spec = async (c: Collection, name: string) => (await c.listIndexes().toArray()).find((i) => i.name === name);

    it('when an index is prepared, then new duplicates are refused while the stored ones stay, and unique: true names them', async function () {
      const c = t.db.collection('to_unique');
      await c.insertMany([{ _id: 1, x: 1 }, { _id: 2, x: 1 }, { _id: 3, x: 2 }] as Document[]);
      await c.createIndex({ x: 1 });
      const early = await rejection(collMod('to_unique', { keyPattern: { x: 1 }, unique: true }));
      expect(early.code, 'unique before prepareUnique').to.equal(72);

      const prepared = await collMod('to_unique', { keyPattern: { x: 1 }, prepareUnique: true });
      expect(prepared).to.include({ prepareUnique_old: false, prepareUnique_new: true });
      expect(await spec(c, 'x_1')).to.include({ prepareUnique: true });
      expect(await spec(c, 'x_1')).to.not.have.property('unique');

      expectDup(await rejection(c.insertOne({ _id: 4, x: 1 } as Document)), t.dbName, 'to_unique', 'x_1', { x: 1 }, { x: 1 }, '{ x: 1 }');
      expect((await rejection(c.updateOne({ _id: 3 } as Document, { $set: { x: 1 } }))).code, 'an update onto a stored duplicate').to.equal(11000);
      // a document already sharing its key may still be written, as long as the key stays
      await c.updateOne({ _id: 2 } as Document, { $set: { note: 'kept' } });
      await c.insertOne({ _id: 5, x: 3 } as Document);

      const refused = await rejection(collMod('to_unique', { keyPattern: { x: 1 }, unique: true }));
      expect(refused.code).to.equal(359);
      expect(refused.codeName).to.equal('CannotConvertIndexToUnique');
      expect(refused.errmsg).to.equal('Cannot convert the index to unique. Please resolve conflicting documents before running collMod again.');
      expect(refused.violations.map((v: { ids: number[] }) => [...v.ids].sort())).to.deep.equal([[1, 2]]);
      const dry = await rejection(collMod('to_unique', { keyPattern: { x: 1 }, unique: true }, { dryRun: true }));
      expect(dry.code, 'dry run').to.equal(359);
      expect(await spec(c, 'x_1'), 'nothing converted').to.include({ prepareUnique: true }).and.not.have.property('unique');

      await c.deleteOne({ _id: 2 } as Document);
      expect(await collMod('to_unique', { keyPattern: { x: 1 }, unique: true }, { dryRun: true })).to.include({ ok: 1 });
      expect(await spec(c, 'x_1'), 'a dry run converts nothing').to.not.have.property('unique');
      const converted = await collMod('to_unique', { name: 'x_1', unique: true });
      expect(converted).to.include({ unique_new: true });
      const after = await spec(c, 'x_1');
      expect(after).to.include({ unique: true });
      expect(after).to.not.have.property('prepareUnique');
      expect((await rejection(c.insertOne({ _id: 6, x: 3 } as Document))).code).to.equal(11000);
    });

    it('when a transaction writes to a prepared index, then a new duplicate is refused and a document keeping its shared key is not', async function () {
      requireReplicaSet(this, t);
      const c = t.db.collection('to_unique_txn');
      await c.insertMany([{ _id: 1, x: 1 }, { _id: 2, x: 1 }] as Document[]);
      await c.createIndex({ x: 1 });
      await collMod('to_unique_txn', { name: 'x_1', prepareUnique: true });
      const session = t.client.startSession();
      try {
        await session.withTransaction(async () => {
          await c.updateOne({ _id: 1 } as Document, { $set: { n: 1 } }, { session });
          await c.updateOne({ _id: 2 } as Document, { $set: { n: 2 } }, { session });
          await c.updateOne({ _id: 1 } as Document, { $set: { n: 3 } }, { session });
        });
        session.startTransaction();
        const err = await rejection(c.insertOne({ _id: 3, x: 1 } as Document, { session }));
        expect(err.code).to.equal(11000);
        await session.abortTransaction();
      } finally {
        await session.endSession();
      }
      expect(await c.find({}).sort({ _id: 1 }).toArray()).to.deep.equal([{ _id: 1, x: 1, n: 3 }, { _id: 2, x: 1, n: 2 }]);
    });

    it('when prepareUnique is combined with another change or unique: false is asked, then the command is refused and nothing changes', async function () {
      const c = t.db.collection('to_unique_refused');
      await c.insertOne({ _id: 1, y: 1, at: new Date() } as Document);
      await c.createIndex({ at: 1 }, { expireAfterSeconds: 60 });
      const combined = await rejection(collMod('to_unique_refused', { name: 'at_1', prepareUnique: true, expireAfterSeconds: 120 }));
      expect(combined.code).to.equal(72);
      expect(await spec(c, 'at_1')).to.include({ expireAfterSeconds: 60 }).and.not.have.property('prepareUnique');
      const nonUnique = await rejection(collMod('to_unique_refused', { name: 'at_1', unique: false }));
      expect(nonUnique.code).to.equal(2);
      // asking for what already holds changes nothing and reports nothing
      await c.createIndex({ y: 1 }, { unique: true });
      const same = await collMod('to_unique_refused', { name: 'y_1', prepareUnique: true });
      expect(same).to.not.have.property('prepareUnique_new');
      expect(await spec(c, 'y_1')).to.include({ unique: true }).and.not.have.property('prepareUnique');
    });
  });
});
