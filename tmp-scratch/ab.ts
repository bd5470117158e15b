/** Paired A/B: worker-thread vs in-process server, alternating short rounds so machine load hits both alike. */
import os from 'node:os';
import mongoose, { Schema, type Model } from 'mongoose';
import { startEmbeddedMongo } from '../embedded-mongo/index.js';

interface R { key: string; name: string; n: number; org: string; tags: string[] }
const schema = () => new Schema<R>({ key: { type: String, required: true, unique: true }, name: String, n: Number, org: String, tags: [String] });
const rec = (i: number): R => ({ key: `k${i.toString().padStart(7, '0')}`, name: `Record number ${i}`, n: i, org: `org-${i % 50}`, tags: ['alpha', i % 2 ? 'odd' : 'even'] });
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

const ROUNDS = Number(process.env.ROUNDS ?? 10);
const N = Number(process.env.N ?? 500);
const CONC = Number(process.env.CONC ?? 1);
console.log('load before', os.loadavg().map((x) => x.toFixed(2)).join(' '), 'concurrency', CONC);

const modes = { thread: await startEmbeddedMongo({ thread: true }), inproc: await startEmbeddedMongo({}) };
const models: Record<string, Model<R>> = {};
for (const [name, s] of Object.entries(modes)) {
  const conn = await mongoose.createConnection(s.uri, { dbName: 'ab' }).asPromise();
  models[name] = conn.model<R>('AB', schema(), 'ab');
  await models[name].init();
  for (let i = 0; i < 300; i++) await models[name].create(rec(9_000_000 + i));
}
const res: Record<string, { ins: number[]; find: number[]; cpuIns: number[]; cpuFind: number[] }> = {};
for (const k of Object.keys(modes)) res[k] = { ins: [], find: [], cpuIns: [], cpuFind: [] };
let next = 0;
async function par(n: number, fn: (i: number) => Promise<unknown>) {
  let i = 0;
  await Promise.all(Array.from({ length: CONC }, async () => { while (i < n) await fn(i++); }));
}
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 ? ['inproc', 'thread'] : ['thread', 'inproc'];
  for (const k of order) {
    const M = models[k];
    const base = next; next += N;
    let c0 = process.cpuUsage(); let t0 = performance.now();
    await par(N, (i) => M.create(rec(base + i)));
    let dt = performance.now() - t0; let cpu = process.cpuUsage(c0);
    res[k].ins.push(N / (dt / 1000)); res[k].cpuIns.push((cpu.user + cpu.system) / N);
    c0 = process.cpuUsage(); t0 = performance.now();
    await par(N, async (i) => { const d = await M.findOne({ key: rec(base + ((i * 7919) % N)).key }); if (!d) throw new Error('miss'); });
    dt = performance.now() - t0; cpu = process.cpuUsage(c0);
    res[k].find.push(N / (dt / 1000)); res[k].cpuFind.push((cpu.user + cpu.system) / N);
  }
}
for (const [k, v] of Object.entries(res)) {
  console.log(k.padEnd(7), 'create/s median', median(v.ins).toFixed(0), ' [', v.ins.map((x) => x.toFixed(0)).join(' '), ']');
  console.log(k.padEnd(7), 'findOne/s median', median(v.find).toFixed(0), ' [', v.find.map((x) => x.toFixed(0)).join(' '), ']');
  console.log(k.padEnd(7), 'process CPU µs/op: create', median(v.cpuIns).toFixed(0), 'findOne', median(v.cpuFind).toFixed(0));
}
const ratio = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]));
console.log('paired ratio thread/inproc: create', ratio(res.thread.ins, res.inproc.ins).toFixed(2), 'findOne', ratio(res.thread.find, res.inproc.find).toFixed(2));
console.log('load after', os.loadavg().map((x) => x.toFixed(2)).join(' '));
await mongoose.disconnect();
for (const s of Object.values(modes)) await s.stop();
process.exit(0);
