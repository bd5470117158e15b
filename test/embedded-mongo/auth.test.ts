/**
 * Authentication on the embedded server (SCRAM-SHA-256), through the real driver and mongoose:
 * the driver's own handshake (speculative first step on hello, saslStart/saslContinue), MongoDB's
 * error codes, and which commands an unauthenticated connection may still send.
 */
import { expect } from 'chai';
import mongoose from 'mongoose';
import { MongoClient, MongoServerError } from 'mongodb';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../embedded-mongo/index.js';

const USER = 'svc';
const PASSWORD = 'p@ss w0rd,=ü';

function withCredentials(uri: string, user: string, password: string, authSource = 'admin'): string {
  const url = new URL(uri);
  url.username = encodeURIComponent(user);
  url.password = encodeURIComponent(password);
  url.searchParams.set('authSource', authSource);
  return url.toString();
}

async function failure(p: Promise<unknown>): Promise<MongoServerError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(MongoServerError);
    return err as MongoServerError;
  }
  throw new Error('expected the operation to fail');
}

describe('embedded-mongo: authentication (SCRAM-SHA-256)', function () {
  let server: EmbeddedMongo;
  const clients: MongoClient[] = [];
  const open = (uri: string) => {
    const c = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
    clients.push(c);
    return c;
  };

  before(async () => {
    server = await startEmbeddedMongo({ thread: true, auth: { users: [{ user: USER, password: PASSWORD }] } });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close();
  });
  after(async () => server?.stop());

  it('when the driver connects with the right password, then commands run and connectionStatus names the user', async () => {
    const client = open(withCredentials(server.uri, USER, PASSWORD));
    await client.connect();
    await client.db('app').collection('things').insertOne({ n: 1 });
    expect(await client.db('app').collection('things').countDocuments()).to.equal(1);
    const status = await client.db('admin').command({ connectionStatus: 1 });
    expect(status.authInfo.authenticatedUsers).to.deep.equal([{ user: USER, db: 'admin' }]);
  });

  it('when the password is wrong or the user unknown, then the connection fails with 18 AuthenticationFailed', async () => {
    for (const [user, password] of [
      [USER, 'wrong-password'],
      [USER, PASSWORD.slice(0, -1)],
      ['nobody', PASSWORD],
    ]) {
      const err = await failure(open(withCredentials(server.uri, user, password)).connect());
      expect(err.code, `${user}`).to.equal(18);
      expect(err.codeName).to.equal('AuthenticationFailed');
    }
  });

  it('when the user is looked up in another authentication database, then it is not found there (18)', async () => {
    const err = await failure(open(withCredentials(server.uri, USER, PASSWORD, 'app')).connect());
    expect(err.code).to.equal(18);
  });

  it('when a client sends no credentials, then the handshake and ping answer but every other command is 13 Unauthorized', async () => {
    const client = open(server.uri);
    await client.connect();
    expect((await client.db('admin').command({ ping: 1 })).ok).to.equal(1);
    expect((await client.db('admin').command({ hello: 1 })).isWritablePrimary).to.equal(true);
    for (const run of [
      () => client.db('app').collection('things').find().toArray(),
      () => client.db('app').collection('things').insertOne({ n: 2 }),
      () => client.db('admin').command({ listDatabases: 1 }),
      () => client.db('app').collection('things').aggregate([{ $changeStream: {} }]).toArray(),
    ]) {
      const err = await failure(run());
      expect(err.code).to.equal(13);
      expect(err.codeName).to.equal('Unauthorized');
    }
    const status = await client.db('admin').command({ connectionStatus: 1 });
    expect(status.authInfo.authenticatedUsers).to.deep.equal([]);
  });

  it('when mongoose connects with credentials, then transactions and change streams work as without authentication', async () => {
    const conn = await mongoose.createConnection(withCredentials(server.uri, USER, PASSWORD), { dbName: 'app_m', serverSelectionTimeoutMS: 5000 }).asPromise();
    try {
      const Note = conn.model('Note', new mongoose.Schema({ text: String }));
      await Note.init();
      // the driver's change stream, opened (its aggregate run) before the write it must see
      const stream = conn.getClient().db('app_m').collection('notes').watch();
      expect(await stream.tryNext()).to.equal(null);
      await conn.transaction(async (session) => {
        await Note.create([{ text: 'inside' }], { session });
      });
      expect(await Note.countDocuments()).to.equal(1);
      const event = (await stream.next()) as any;
      expect(event.operationType).to.equal('insert');
      expect(event.fullDocument.text).to.equal('inside');
      await stream.close();
    } finally {
      await conn.close();
    }
  });

  it('when `npm run db -- --auth` starts, then the URI it prints carries working credentials and the bare address is refused', async function () {
    this.timeout(60_000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'embedded-mongo/cli.ts', '--port', '0', '--auth'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      while (!out.includes('\n')) {
        const [chunk] = await once(child.stdout, 'data');
        out += chunk;
      }
      const uri = out.split('\n')[0];
      const url = new URL(uri);
      expect(url.username).to.equal('admin');
      expect(url.password.length).to.be.greaterThan(16);
      expect(url.searchParams.get('authSource')).to.equal('admin');
      const client = open(uri);
      await client.db('cli').collection('x').insertOne({ ok: true });
      url.username = '';
      url.password = '';
      const err = await failure(open(url.toString()).db('cli').collection('x').findOne({}));
      expect(err.code).to.equal(13);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
