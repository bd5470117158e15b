/**
 * Micro-benchmark of the embedded server's query planner, through the raw driver (no mongoose):
 * each query shape is timed at a small and a large collection size. With the planner using its
 * indexes, time per query grows with the matches, not with the collection (ratio near 1).
 *
 *   npx tsx bench/embedded-mongo.ts            (SMALL=5000 LARGE=200000 by default)
 *   LARGE=500000 npx tsx bench/embedded-mongo.ts
 */
import { performance } from 'node:perf_hooks';
import { MongoClient, type Collection, type Document } from 'mongodb';
import { startEmbeddedMongo } from '../embedded-mongo/index.js';

const SMALL = Number(process.env.SMALL ?? 5_000);
const LARGE = Number(process.env.LARGE ?? 200_000);
const DUE = 1_000;
const NOW = Date.UTC(2026, 8, 1);

async function seed(c: Collection, n: number): Promise<void> {
  await c.createIndex({ email: 1 }, { unique: true });
  await c.createIndex({ nextReminderAt: 1 });
  await c.createIndex({ stage: 1, updatedAt: -1 });
  await c.createIndex({ status: 1 });
  const dueEvery = Math.floor(n / DUE);
  for (let start = 0; start < n; start += 10_000) {
    const docs: Document[] = [];
    for (let i = start; i < Math.min(n, start + 10_000); i++) {
      const due = i % dueEvery === 0;
      docs.push({
        email: `user${i}@example.org`,
        status: i % 7 === 0 ? 'closed' : 'open',
        stage: ['drafting', 'review', 'signature', 'in_force'][i % 4],
        updatedAt: new Date(NOW - i * 1000),
        nextReminderAt: new Date(due ? NOW - (i % 60) * 1000 : NOW + (20 + (i % 90)) * 86_400_000),
        title: `Agreement ${i}`,
      });
    }
    await c.insertMany(docs, { ordered: false });
  }
}

async function time(fn: () => Promise<unknown>, reps: number): Promise<number> {
  for (let i = 0; i < Math.min(20, reps); i++) await fn();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await fn();
  return (performance.now() - t0) / reps;
}

const shapes: { name: string; reps: number; run: (c: Collection, n: number, i: number) => Promise<unknown> }[] = [
  { name: 'findOne by unique key', reps: 2000, run: (c, n, i) => c.findOne({ email: `user${(i * 7919) % n}@example.org` }) },
  { name: 'findOne by _id miss', reps: 2000, run: (c) => c.findOne({ _id: 'nope' as unknown as never }) },
  { name: '$in on unique key (10)', reps: 500, run: (c, n, i) => c.find({ email: { $in: Array.from({ length: 10 }, (_, k) => `user${(i + k * 13) % n}@example.org`) } }).toArray() },
  { name: 'sweep: range+eq, sort, limit 200', reps: 50, run: (c) => c.find({ nextReminderAt: { $lte: new Date(NOW) }, status: 'open' }).sort({ nextReminderAt: 1 }).limit(200).toArray() },
  { name: 'page: eq + sort desc, limit 50', reps: 200, run: (c) => c.find({ stage: 'review' }).sort({ updatedAt: -1 }).limit(50).toArray() },
  { name: 'countDocuments indexed eq', reps: 200, run: (c) => c.countDocuments({ status: 'closed' }) },
];

async function main(): Promise<void> {
  const server = await startEmbeddedMongo({});
  const client = new MongoClient(server.uri);
  try {
    await client.connect();
    const db = client.db('bench_embedded');
    const sizes = [SMALL, LARGE];
    const results = new Map<string, number[]>();
    for (const n of sizes) {
      const c = db.collection(`items_${n}`);
      const t0 = performance.now();
      await seed(c, n);
      process.stdout.write(`seeded ${n.toLocaleString('en')} documents in ${Math.round(performance.now() - t0)} ms\n`);
      for (const s of shapes) {
        let i = 0;
        const ms = await time(() => s.run(c, n, i++), s.reps);
        results.set(s.name, [...(results.get(s.name) ?? []), ms]);
      }
    }
    process.stdout.write(`\n${'query'.padEnd(36)}${`${SMALL}`.padStart(12)}${`${LARGE}`.padStart(12)}   ratio\n`);
    for (const [name, [a, b]] of results) {
      process.stdout.write(`${name.padEnd(36)}${`${a.toFixed(3)} ms`.padStart(12)}${`${b.toFixed(3)} ms`.padStart(12)}   ${(b / a).toFixed(2)}\n`);
    }
  } finally {
    await client.close();
    await server.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
