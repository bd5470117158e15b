import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../embedded-mongo/index.js';

const t0 = performance.now();
const db = await startEmbeddedMongo({ thread: true });
console.log('started', db.uri, db.port, (performance.now() - t0).toFixed(0), 'ms', 'server' in db);
const c = new MongoClient(db.uri);
await c.connect();
await c.db('x').collection('a').insertOne({ a: 1 });
console.log(await c.db('x').collection('a').findOne({}, { projection: { _id: 0 } }));
await c.close();
await db.stop();
await db.stop();
console.log('stopped');

// port in use
const blocker = net.createServer();
await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
const port = (blocker.address() as net.AddressInfo).port;
const err = await startEmbeddedMongo({ thread: true, port }).catch((e) => e);
console.log('port in use ->', err?.code, err?.message);
blocker.close();

// LOCK in use
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emw-'));
fs.writeFileSync(path.join(dir, 'LOCK'), String(process.ppid));
const err2 = await startEmbeddedMongo({ thread: true, dataDir: dir }).catch((e) => e);
console.log('lock ->', err2?.message);
fs.rmSync(dir, { recursive: true });

// persistence across restart
const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), 'emw-'));
for (let round = 0; round < 2; round++) {
  const s = await startEmbeddedMongo({ thread: true, dataDir: dir2 });
  const cl = await new MongoClient(s.uri).connect();
  const col = cl.db('p').collection('c');
  await col.insertOne({ round });
  console.log('round', round, 'count', await col.countDocuments());
  await cl.close();
  await s.stop();
}
console.log(fs.readdirSync(dir2));
fs.rmSync(dir2, { recursive: true });
console.log('done; handles should drain now');
