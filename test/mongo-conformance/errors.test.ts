/**
 * Error shapes the driver and mongoose depend on: name, code, codeName, keyPattern, keyValue,
 * errmsg, errorLabels, writeErrors[i].index; and unsupported requests failing loudly.
 */
import { expect } from 'chai';
import mongoose, { Schema } from 'mongoose';
import { MongoBulkWriteError, MongoServerError, MongoWriteConcernError, ObjectId, type Collection, type Document } from 'mongodb';
import { requireReplicaSet, useTarget } from './target.js';
import { rejection, writeErrorsOf } from './util.js';

describe('mongo conformance: error shapes', function () {
  const t = useTarget('errors');
  let users: Collection;

  before(async function () {
    users = t.db.collection('users');
    await users.createIndex({ email: 1 }, { unique: true });
    await users.insertOne({ _id: 1, email: 'a@x.io', n: 1, s: 'str', arr: [1] } as Document);
  });

  describe('duplicate keys (11000)', function () {
    it('when insertOne duplicates a unique key, then MongoServerError carries code, keyPattern, keyValue and the E11000 message', async function () {
      const err = await rejection(users.insertOne({ _id: 2, email: 'a@x.io' } as Document));
      expect(err).to.be.instanceOf(MongoServerError);
      expect(err.name).to.equal('MongoServerError');
      expect(err.code).to.equal(11000);
      expect(err.keyPattern).to.deep.equal({ email: 1 });
      expect(err.keyValue).to.deep.equal({ email: 'a@x.io' });
      expect(err.errmsg.startsWith(`E11000 duplicate key error collection: ${t.dbName}.users index: email_1 dup key:`)).to.equal(true, err.errmsg);
      expect(err.message).to.equal(err.errmsg);
      expect(err.errorLabels).to.deep.equal([]);
    });

    it('when an ObjectId _id is duplicated, then the message prints it as ObjectId(...)', async function () {
      const c = t.db.collection('oid_dup');
      const _id = new ObjectId('65a0000000000000000000aa');
      await c.insertOne({ _id });
      const err = await rejection(c.insertOne({ _id }));
      expect(err.code).to.equal(11000);
      expect(err.errmsg).to.equal(`E11000 duplicate key error collection: ${t.dbName}.oid_dup index: _id_ dup key: { _id: ObjectId('65a0000000000000000000aa') }`);
      expect(err.keyPattern).to.deep.equal({ _id: 1 });
      expect(String(err.keyValue._id)).to.equal('65a0000000000000000000aa');
    });

    it('when findOneAndUpdate causes a duplicate, then the command error has codeName DuplicateKey', async function () {
      await users.insertOne({ _id: 3, email: 'b@x.io' } as Document);
      const err = await rejection(users.findOneAndUpdate({ _id: 3 } as Document, { $set: { email: 'a@x.io' } }));
      expect(err).to.be.instanceOf(MongoServerError);
      expect(err.code).to.equal(11000);
      expect(err.codeName).to.equal('DuplicateKey');
      expect(err.keyPattern).to.deep.equal({ email: 1 });
      expect(err.keyValue).to.deep.equal({ email: 'a@x.io' });
      expect(err.errmsg.startsWith('E11000 duplicate key error collection:')).to.equal(true, err.errmsg);
    });

    it('when insertMany is unordered with duplicates, then MongoBulkWriteError lists each failing index with its own key', async function () {
      const err = await rejection(
        users.insertMany([{ email: 'c@x.io' }, { email: 'a@x.io' }, { email: 'd@x.io' }, { email: 'c@x.io' }], { ordered: false }),
      );
      expect(err).to.be.instanceOf(MongoBulkWriteError);
      expect(err.name).to.equal('MongoBulkWriteError');
      expect(err.code).to.equal(11000);
      const we = writeErrorsOf(err);
      expect(we.map((e) => e.index)).to.deep.equal([1, 3]);
      expect(we.map((e) => e.code)).to.deep.equal([11000, 11000]);
      // The driver keeps only index/code/errmsg/errInfo/op per write error (no keyValue), so the key is read from errmsg.
      expect(we[0].errmsg).to.equal(`E11000 duplicate key error collection: ${t.dbName}.users index: email_1 dup key: { email: "a@x.io" }`);
      expect(we[1].errmsg).to.equal(`E11000 duplicate key error collection: ${t.dbName}.users index: email_1 dup key: { email: "c@x.io" }`);
      expect(we[1].getOperation().email).to.equal('c@x.io');
      expect(err.result.insertedCount).to.equal(2);
    });

    it('when a mongoose save duplicates a unique key, then the MongoServerError reaches the caller unchanged', async function () {
      const U = t.conn.model('ErrUser', new Schema({ _id: Number, email: { type: String, unique: true } }), 'users');
      const err = await rejection(U.create({ _id: 9, email: 'a@x.io' }));
      expect(err).to.be.instanceOf(MongoServerError);
      expect(err.code).to.equal(11000);
      expect(err.keyValue).to.deep.equal({ email: 'a@x.io' });
    });
  });

  // A replica set of fewer than ten members (every test deployment, and the embedded server's one).
  describe('write concerns the replica set cannot satisfy', function () {
    before(function () {
      requireReplicaSet(this, t);
    });

    it('when an insert asks for w: 10, then it is written and MongoWriteConcernError says 100 UnsatisfiableWriteConcern', async function () {
      const c = t.db.collection('wc_unsatisfiable');
      const err = await rejection(c.insertOne({ _id: 1, v: 'kept' } as Document, { writeConcern: { w: 10 } }));
      expect(err).to.be.instanceOf(MongoWriteConcernError);
      expect(err.code).to.equal(100);
      expect(err.codeName).to.equal('UnsatisfiableWriteConcern');
      expect(err.errInfo?.writeConcern?.w).to.equal(10);
      expect(await c.find({}).toArray()).to.deep.equal([{ _id: 1, v: 'kept' }]);
    });

    it('when w names a mode the set does not have (a typo of "majority"), then it is written and the error is 79 UnknownReplWriteConcern naming it', async function () {
      const c = t.db.collection('wc_unknown_mode');
      // as a connection string's `w=majorty` arrives: the driver's types would refuse it in code
      const typo = { w: 'majorty' } as unknown as { w: 'majority' };
      const err = await rejection(c.updateOne({ _id: 1 } as Document, { $set: { v: 'kept' } }, { upsert: true, writeConcern: typo }));
      expect(err).to.be.instanceOf(MongoWriteConcernError);
      expect(err.code).to.equal(79);
      expect(err.codeName).to.equal('UnknownReplWriteConcern');
      expect(err.errmsg).to.contain("'majorty'");
      expect(await c.find({}).toArray()).to.deep.equal([{ _id: 1, v: 'kept' }]);
    });

    it('when a transaction commits with w: 10, then the commit stands and fails with 100 only when it is asked to wait', async function () {
      const c = t.db.collection('wc_commit');
      await c.insertOne({ _id: 0 } as Document);
      const session = t.conn.getClient().startSession();
      try {
        session.startTransaction({ writeConcern: { w: 10 } });
        await c.insertOne({ _id: 1 } as Document, { session });
        const err = await rejection(session.commitTransaction());
        expect(err.code).to.equal(100);
        expect(err.errorLabels ?? []).to.not.include('TransientTransactionError');
      } finally {
        await session.endSession();
      }
      expect((await c.find({}).sort({ _id: 1 }).toArray()).map((d) => d._id)).to.deep.equal([0, 1]);
    });

    it('when w is "majority" or 1, then the write answers without a write concern error', async function () {
      const c = t.db.collection('wc_fine');
      await c.insertOne({ _id: 1 } as Document, { writeConcern: { w: 'majority' } });
      await c.insertOne({ _id: 2 } as Document, { writeConcern: { w: 1 } });
      expect(await c.countDocuments()).to.equal(2);
    });
  });

  describe('namespace and command errors', function () {
    it('when listIndexes targets a missing collection, then 26 NamespaceNotFound', async function () {
      const err = await rejection(t.db.collection('no_such_coll').listIndexes().toArray());
      expect(err).to.be.instanceOf(MongoServerError);
      expect(err.code).to.equal(26);
      expect(err.codeName).to.equal('NamespaceNotFound');
    });

    it('when createCollection names an existing collection, then 48 NamespaceExists', async function () {
      await t.db.createCollection('exists_once');
      const err = await rejection(t.db.createCollection('exists_once'));
      expect(err).to.be.instanceOf(MongoServerError);
      expect(err.code).to.equal(48);
      expect(err.codeName).to.equal('NamespaceExists');
    });

    it('when mongoose createCollection/init meet an existing collection, then they succeed', async function () {
      const M = t.conn.model('Exists', new Schema({ a: String }), 'exists_once');
      await M.init();
      await M.createCollection();
    });

    it('when a missing collection is dropped, then it does not throw', async function () {
      await t.db.collection('never_there').drop();
    });

    it('when an unknown command is sent, then 59 CommandNotFound', async function () {
      const err = await rejection(t.db.command({ definitelyNotACommand: 1 }));
      expect(err).to.be.instanceOf(MongoServerError);
      expect(err.code).to.equal(59);
      expect(err.codeName).to.equal('CommandNotFound');
    });

    it('when getMore names an unknown cursor, then 43 CursorNotFound', async function () {
      const err = await rejection(t.db.command({ getMore: mongoose.mongo.Long.fromString('123456789'), collection: 'users' }));
      expect(err.code).to.equal(43);
      expect(err.codeName).to.equal('CursorNotFound');
    });
  });

  describe('bad queries and updates', function () {
    it('when $text is used without a text index, then the query fails (27 IndexNotFound) instead of returning results', async function () {
      const err = await rejection(users.find({ $text: { $search: 'a' } }).toArray());
      expect(err).to.be.instanceOf(MongoServerError);
      expect(err.code).to.equal(27);
    });

    it('when $near is used without a geospatial index, then the query fails instead of returning results', async function () {
      const err = await rejection(users.find({ loc: { $near: [0, 0] } }).toArray());
      expect(err).to.be.instanceOf(MongoServerError);
    });

    it('when a query uses an unknown operator, then 2 BadValue', async function () {
      const err = await rejection(users.find({ n: { $frobnicate: 1 } }).toArray());
      expect(err).to.be.instanceOf(MongoServerError);
      expect(err.code).to.equal(2);
    });

    it('when a $regex holds an embedded NUL (pattern or options), then 2 BadValue instead of a truncated match', async function () {
      for (const filter of [{ name: { $regex: 'a\u0000b' } }, { name: { $regex: 'a', $options: 'i\u0000' } }]) {
        const err = await rejection(users.find(filter).toArray());
        expect(err, JSON.stringify(filter)).to.be.instanceOf(MongoServerError);
        expect(err.code, JSON.stringify(filter)).to.equal(2);
      }
      // the NUL written as an escape is an ordinary pattern
      expect(await users.countDocuments({ name: { $regex: 'a\\x00b' } })).to.equal(0);
    });

    it('when an aggregation uses an unknown stage, then it fails', async function () {
      const err = await rejection(users.aggregate([{ $frobnicate: {} }]).toArray());
      expect(err).to.be.instanceOf(MongoServerError);
      expect(err.code).to.equal(40324);
    });

    it('when an update uses an unknown operator, then 9 FailedToParse', async function () {
      const err = await rejection(users.updateOne({ _id: 1 } as Document, { $frobnicate: { n: 1 } } as Document));
      expect(err).to.be.instanceOf(MongoServerError);
      expect(err.code).to.equal(9);
    });

    it('when $inc targets a string, then 14 TypeMismatch and the document is untouched', async function () {
      const err = await rejection(users.updateOne({ _id: 1 } as Document, { $inc: { s: 1 } }));
      expect(err).to.be.instanceOf(MongoServerError);
      expect(err.code).to.equal(14);
      expect((await users.findOne({ _id: 1 } as Document))?.s).to.equal('str');
    });

    it('when $push targets a non-array, then 2 BadValue', async function () {
      const err = await rejection(users.updateOne({ _id: 1 } as Document, { $push: { s: 1 } } as Document));
      expect(err.code).to.equal(2);
    });

    it('when two operators touch the same path, then 40 ConflictingUpdateOperators', async function () {
      const err = await rejection(users.updateOne({ _id: 1 } as Document, { $set: { n: 5 }, $inc: { n: 1 } }));
      expect(err.code).to.equal(40);
      expect((await users.findOne({ _id: 1 } as Document))?.n).to.equal(1);
    });

    it('when an update changes _id, then 66 ImmutableField (operator and replacement alike)', async function () {
      const err = await rejection(users.updateOne({ _id: 1 } as Document, { $set: { _id: 99 } }));
      expect(err.code).to.equal(66);
      const err2 = await rejection(users.replaceOne({ _id: 1 } as Document, { _id: 98, email: 'a@x.io' } as Document));
      expect(err2.code).to.equal(66);
      expect(await users.countDocuments({ _id: 1 } as Document)).to.equal(1);
    });

    it('when $set writes the unchanged _id, then it is accepted', async function () {
      const res = await users.updateOne({ _id: 1 } as Document, { $set: { _id: 1, n: 1 } } as Document);
      expect(res.matchedCount).to.equal(1);
    });
  });
});
