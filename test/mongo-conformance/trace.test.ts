/**
 * Driver trace: a fixed mongoose script runs with command monitoring on. It fails on any
 * CommandNotFound (59) and on any failed command or write error the script did not provoke on
 * purpose, and it snapshots the set of command names so a driver/mongoose upgrade that starts
 * sending something new shows up here first.
 */
import { expect } from 'chai';
import mongoose, { Schema, type Connection } from 'mongoose';
import { MongoServerError, type CommandFailedEvent, type CommandStartedEvent, type CommandSucceededEvent, type Document } from 'mongodb';
import { mongooseOptions, startEmbedded, uniqueDbName, type EmbeddedServer } from './target.js';
import { deferred, sleep } from './util.js';

/** Every command name the script sends, in any topology. */
const SNAPSHOT_ALWAYS = [
  'aggregate',
  'count',
  'create',
  'createIndexes',
  'delete',
  'distinct',
  'dropDatabase',
  'dropIndexes',
  'find',
  'findAndModify',
  'getMore',
  'insert',
  'killCursors',
  'listIndexes',
  'update',
];
/** Sent only when the server is a replica set (transactions and change streams run). */
const SNAPSHOT_REPLICA_SET = ['commitTransaction'];
/**
 * Sent or not depending on timing (session pool state at close, the server's first reply), or
 * only when a real server asks for a retry (withTransaction aborts and runs again after a
 * transient error, e.g. a write conflict with a replica-set member's own work).
 */
const OPTIONAL = ['endSessions', 'ping', 'listCollections', 'abortTransaction'];

interface Failure {
  command: string;
  code: number | undefined;
  codeName?: string;
  message?: string;
  kind: 'command' | 'writeError';
  /** False when the driver itself failed the command (e.g. interrupted by client.close()). */
  server?: boolean;
  /** The driver retries what carries TransientTransactionError or RetryableWriteError by itself. */
  retried?: boolean;
}

describe('mongo conformance: driver trace of a mongoose script', function () {
  let server: EmbeddedServer | undefined;
  let uri: string;
  let conn: Connection | undefined;

  before(async function () {
    this.timeout(60_000);
    if (process.env.MONGODB_URI) {
      uri = process.env.MONGODB_URI;
    } else {
      server = await startEmbedded();
      uri = server.uri;
    }
  });

  after(async function () {
    this.timeout(60_000);
    try {
      if (conn && conn.readyState === 1) {
        await conn.dropDatabase();
        await conn.close();
      }
    } finally {
      if (server) await server.stop();
    }
  });

  it('when a fixed mongoose script runs, then no command is unknown or fails unexpectedly, and the command set matches the snapshot', async function () {
    this.timeout(60_000);
    const dbName = uniqueDbName('trace');
    conn = mongoose.createConnection(uri, { dbName, monitorCommands: true, ...mongooseOptions });
    await conn.asPromise();
    const client = conn.getClient();
    const hello = await conn.db!.admin().command({ hello: 1 });
    const replicaSet = typeof hello.setName === 'string';

    const started: string[] = [];
    const failures: Failure[] = [];
    client.on('commandStarted', (e: CommandStartedEvent) => started.push(e.commandName));
    client.on('commandFailed', (e: CommandFailedEvent) => {
      const f = e.failure as Error & { code?: number; codeName?: string };
      const retried = f instanceof MongoServerError && (f.hasErrorLabel('TransientTransactionError') || f.hasErrorLabel('RetryableWriteError'));
      failures.push({ command: e.commandName, code: f.code, codeName: f.codeName, message: f.message, kind: 'command', server: f instanceof MongoServerError, retried });
    });
    client.on('commandSucceeded', (e: CommandSucceededEvent) => {
      const reply = e.reply as Document;
      for (const we of (reply?.writeErrors ?? []) as Document[]) {
        failures.push({ command: e.commandName, code: we.code, message: we.errmsg, kind: 'writeError' });
      }
      if (reply?.writeConcernError) {
        failures.push({ command: e.commandName, code: reply.writeConcernError.code, message: reply.writeConcernError.errmsg, kind: 'writeError' });
      }
    });

    // ---- the script ----
    const userSchema = new Schema({
      email: { type: String, required: true, unique: true },
      name: String,
      age: { type: Number, index: true },
      tags: [String],
    });
    const orderSchema = new Schema({
      user: { type: Schema.Types.ObjectId, ref: 'TraceUser' },
      amount: Number,
      status: { type: String, enum: ['open', 'paid'] },
    });
    orderSchema.index({ user: 1, status: 1 });
    const User = conn.model('TraceUser', userSchema, 'trace_users');
    const Order = conn.model('TraceOrder', orderSchema, 'trace_orders');
    await Promise.all([User.init(), Order.init()]);

    const ada = await User.create({ email: 'ada@x.io', name: 'Ada', age: 36, tags: ['math'] });
    await User.insertMany([
      { email: 'bob@x.io', name: 'Bob', age: 41, tags: ['ops'] },
      { email: 'cy@x.io', name: 'Cy', age: 29, tags: ['ops', 'math'] },
      { email: 'di@x.io', name: 'Di', age: 52, tags: [] },
      { email: 'ed@x.io', name: 'Ed', age: 33, tags: ['law'] },
    ]);
    let intentional = 0;
    try {
      await User.create({ email: 'ada@x.io', name: 'Dup' });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      intentional++;
    }
    await Order.create([
      { user: ada._id, amount: 10, status: 'open' },
      { user: ada._id, amount: 25, status: 'paid' },
    ]);

    await User.find({ age: { $gte: 30 } }).sort({ age: -1 }).limit(3).lean();
    await User.findOne({ email: 'bob@x.io' });
    await User.findById(ada._id).select('name');
    await User.exists({ email: 'cy@x.io' });
    await User.updateOne({ email: 'bob@x.io' }, { $set: { name: 'Robert' }, $push: { tags: 'dev' } });
    await User.updateMany({ tags: 'ops' }, { $inc: { age: 1 } });
    await User.findOneAndUpdate({ email: 'fay@x.io' }, { $setOnInsert: { name: 'Fay' } }, { upsert: true, returnDocument: 'after' });
    await User.findOneAndDelete({ email: 'fay@x.io' });
    await User.replaceOne({ email: 'ed@x.io' }, { email: 'ed@x.io', name: 'Edward', age: 34, tags: [] });
    const doc = await User.findOne({ email: 'di@x.io' });
    doc!.name = 'Diana';
    doc!.tags.push('new');
    await doc!.save();
    await User.bulkWrite([
      { updateOne: { filter: { email: 'cy@x.io' }, update: { $set: { name: 'Cyrus' } } } },
      { insertOne: { document: { email: 'gus@x.io', name: 'Gus', tags: [] } } },
      { deleteOne: { filter: { email: 'gus@x.io' } } },
    ]);
    await User.countDocuments({ age: { $gt: 30 } });
    await User.estimatedDocumentCount();
    await User.distinct('tags');
    await Order.find({ user: ada._id }).populate('user', 'email');
    await Order.aggregate([
      { $match: { status: 'paid' } },
      { $lookup: { from: 'trace_users', localField: 'user', foreignField: '_id', as: 'u' } },
      { $group: { _id: '$status', total: { $sum: '$amount' } } },
    ]);

    if (replicaSet) {
      await conn.transaction(async (session) => {
        await Order.create([{ user: ada._id, amount: 5, status: 'open' }], { session });
        await User.updateOne({ _id: ada._id }, { $inc: { age: 1 } }, { session });
        await Order.countDocuments({ user: ada._id }).session(session);
      });
    }

    let paged = 0;
    for await (const u of User.find().sort({ email: 1 }).batchSize(2).cursor()) {
      if (u) paged++;
    }
    expect(paged).to.equal(5);
    const early = User.find().batchSize(2).cursor();
    await early.next();
    await early.close();

    if (replicaSet) {
      const stream = Order.watch();
      const ready = deferred();
      const seen = deferred();
      stream.once('resumeTokenChanged', () => ready.resolve());
      stream.on('change', () => seen.resolve());
      await Promise.race([ready.promise, sleep(5000)]);
      await Order.create({ user: ada._id, amount: 1, status: 'open' });
      await Promise.race([seen.promise, sleep(5000)]);
      await stream.close();
    }

    await conn.db!.collection('trace_users').createIndex({ name: 1 });
    const dropped = await User.syncIndexes();
    expect(dropped).to.deep.equal(['name_1']);
    expect(await User.syncIndexes()).to.deep.equal([]);
    await Order.syncIndexes();
    await User.deleteMany({ age: { $gt: 100 } });
    await User.deleteOne({ email: 'nobody@x.io' });

    await conn.dropDatabase();
    await conn.close();
    conn = undefined;
    // ---- end of the script ----

    const counts = new Map<string, number>();
    for (const name of started) counts.set(name, (counts.get(name) ?? 0) + 1);
    const names = [...counts.keys()].sort();
    console.log(`      commands seen (${replicaSet ? 'replica set' : 'standalone'}): ${names.map((n) => `${n}×${counts.get(n)}`).join(', ')}`);

    const notFound = failures.filter((f) => f.code === 59);
    expect(notFound, `CommandNotFound: ${JSON.stringify(notFound)}`).to.deep.equal([]);

    const unexpected = failures.filter((f) => {
      if (f.kind === 'writeError' && f.command === 'insert' && f.code === 11000 && intentional > 0) {
        intentional--;
        return false;
      }
      // a real server may ask for a retry (the script went on, so the retry succeeded)
      if (f.kind === 'command' && f.retried) return false;
      // mongoose's createCollection() ignores NamespaceExists by design (syncIndexes calls it again)
      if (f.kind === 'command' && f.command === 'create' && f.code === 48) return false;
      // Closing the change stream on purpose ends its waiting getMore: the server answers it with
      // 237 CursorKilled / 11601 Interrupted / 43 CursorNotFound, or the driver abandons it when the
      // client closes (a client-side failure, no server involved).
      if (f.kind === 'command' && f.command === 'getMore' && (f.server === false || [43, 237, 11601].includes(f.code ?? -1))) return false;
      return true;
    });
    expect(unexpected, `unexpected failures: ${JSON.stringify(unexpected, null, 2)}`).to.deep.equal([]);
    expect(intentional, 'the provoked duplicate key must show up as an insert write error').to.equal(0);

    const expected = [...SNAPSHOT_ALWAYS, ...(replicaSet ? SNAPSHOT_REPLICA_SET : [])].sort();
    const seenRequired = names.filter((n) => !OPTIONAL.includes(n));
    expect(seenRequired, 'command names differ from the snapshot').to.deep.equal(expected);
  });
});
