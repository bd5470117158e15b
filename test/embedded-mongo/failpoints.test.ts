/** Fail points exist only with testCommands, as configureFailPoint on mongod needs enableTestCommands. */
import { expect } from 'chai';
import { MongoClient, MongoServerError, type CommandFailedEvent } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../embedded-mongo/index.js';

describe('embedded-mongo: fail points', function () {
  const servers: EmbeddedMongo[] = [];
  const clients: MongoClient[] = [];
  after(async () => {
    for (const c of clients) await c.close();
    for (const s of servers) await s.stop();
  });
  async function connect(testCommands: boolean) {
    const server = await startEmbeddedMongo({ testCommands });
    servers.push(server);
    const client = new MongoClient(server.uri, { monitorCommands: true });
    clients.push(client);
    await client.connect();
    return client;
  }

  it('when the server runs without testCommands, then configureFailPoint does not exist (59)', async () => {
    const client = await connect(false);
    const err = await client.db('admin').command({ configureFailPoint: 'failCommand', mode: 'alwaysOn', data: { failCommands: ['insert'], errorCode: 91 } }).catch((e) => e);
    expect(err).to.be.instanceOf(MongoServerError);
    expect(err.code).to.equal(59);
    await client.db('x').collection('y').insertOne({ still: 'works' });
  });

  it('when failCommand fails one insert with a retryable code, then the driver retries it and the document is written once', async () => {
    const client = await connect(true);
    const failed: CommandFailedEvent[] = [];
    client.on('commandFailed', (e) => failed.push(e));
    await client.db('admin').command({ configureFailPoint: 'failCommand', mode: { times: 1 }, data: { failCommands: ['insert'], errorCode: 91 } });
    await client.db('fp').collection('c').insertOne({ _id: 1 } as never);
    expect(failed.map((e) => [e.commandName, (e.failure as MongoServerError).code])).to.deep.equal([['insert', 91]]);
    // the server's label (the driver adds its own, e.g. ResetPool)
    expect((failed[0].failure as MongoServerError).hasErrorLabel('RetryableWriteError')).to.equal(true);
    expect(await client.db('fp').collection('c').countDocuments()).to.equal(1);
  });

  it('when failCommand is alwaysOn, then every matching command fails until it is turned off', async () => {
    const client = await connect(true);
    await client.db('admin').command({ configureFailPoint: 'failCommand', mode: 'alwaysOn', data: { failCommands: ['find'], errorCode: 2, errorLabels: [] } });
    for (let i = 0; i < 3; i++) {
      const err = await client.db('fp').collection('c').findOne({}).catch((e) => e);
      expect(err.code).to.equal(2);
    }
    await client.db('admin').command({ configureFailPoint: 'failCommand', mode: 'off' });
    expect(await client.db('fp').collection('c').findOne({})).to.equal(null);
  });
});
