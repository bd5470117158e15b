/**
 * Child process for the crash test: starts the server on a data directory, prints READY, then
 * writes as fast as it can until it is killed with SIGKILL (no clean shutdown).
 */
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../embedded-mongo/index.js';

const dataDir = process.argv[2];
const server = await startEmbeddedMongo({ dataDir, syncIntervalMs: 5 });
const client = new MongoClient(server.uri);
await client.connect();
const coll = client.db('crash').collection('items');
await coll.createIndex({ k: 1 }, { unique: true });
let i = 0;
process.stdout.write('READY\n');
for (;;) {
  const batch = [];
  for (let j = 0; j < 50; j++, i++) batch.push({ k: i, payload: 'x'.repeat(200 + (i % 300)) });
  await coll.insertMany(batch);
  await coll.updateOne({ k: i - 10 }, { $set: { touched: true } });
  process.stdout.write(`ACK ${i}\n`);
}
