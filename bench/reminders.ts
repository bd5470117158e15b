/**
 * Reminders benchmark (issue 5): one sweep delivering 1,000 due reminders to a local SMTP server,
 * with 5,000 and with 500,000 open deadlines stored. The sweep reaches due deadlines only through
 * the `nextReminderAt` index, so its time must grow with what is due, not with what is stored:
 * target large/small ≤ 1.5. Also reports reminders delivered per second.
 *
 * The database (embedded, or MONGODB_URI) and the SMTP server each run in their own process, as
 * mongod and a mail relay would: the figures are the sweep's, not the sink's. Each size is swept
 * SWEEPS times (the same 1,000 made due again in between) and the median counts: the machine is
 * shared and one sweep alone is noisy. The query plan of the sweep's read is reported too.
 *
 * Standalone: `npx tsx bench/reminders.ts`. BENCH_REMINDERS_LARGE overrides the large size,
 * BENCH_REMINDERS_SWEEPS the number of sweeps per size.
 */
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { Types } from 'mongoose';
import { testConfig } from '../lib/config.js';
import { createContext, closeContext, type AppContext } from '../server/context.js';
import { ManualClock } from '../lib/clock.js';
import { sweepReminders, type SweepResult } from '../domain/reminders/sweep-reminders.js';
import { startBenchDatabase } from './db-process.js';
import { median, type Check } from './check.js';

const DUE = 1_000;
const SMALL = 5_000;
const LARGE = Number(process.env.BENCH_REMINDERS_LARGE ?? 500_000);
const SWEEPS = Math.max(1, Number(process.env.BENCH_REMINDERS_SWEEPS ?? 3));
const CHUNK = 10_000;
const NOW = new Date('2026-09-01T02:00:00Z');
const DAY = 86_400_000;

/** A mail sink in a child process: accepts every message, counts them, answers `count` over IPC. */
const SMTP_CHILD = `
const { SMTPServer } = require('smtp-server');
let received = 0;
const server = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
  onData(stream, _s, cb) { stream.on('data', () => {}); stream.on('end', () => { received++; cb(null); }); } });
server.listen(0, '127.0.0.1', () => process.send({ port: server.server.address().port }));
process.on('message', (m) => { if (m === 'count') process.send({ count: received }); if (m === 'stop') server.close(() => process.exit(0)); });
`;

async function startSmtp() {
  const child = spawn(process.execPath, ['-e', SMTP_CHILD], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], cwd: process.cwd() });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: any) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`SMTP sink exited (${code}) before it listened`)));
  });
  const ask = () =>
    new Promise<number>((resolve) => {
      child.once('message', (m: any) => resolve(m.count));
      child.send('count');
    });
  return {
    port,
    count: ask,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

function withDb(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Stores `stored` open deadlines, `due` of them due now; returns the due ones' ids. */
async function seed(ctx: AppContext, stored: number, due: number): Promise<Types.ObjectId[]> {
  const agreementId = new Types.ObjectId();
  await ctx.models.Agreement.collection.insertOne({
    _id: agreementId,
    code: `BENCH-${stored}`,
    type: 'mou',
    title: { id: 'Nota Kesepahaman Uji Beban', en: 'Load test MoU' },
    subjects: [],
    leadUnit: 'PWNI',
    confidentiality: 'internal',
    authenticLanguages: ['id', 'en'],
    parties: [],
    stage: 'awaiting_signature',
    stageEnteredAt: NOW,
    rounds: [],
    links: [],
    remindersPaused: false,
    searchText: '',
    partyKeys: [],
    audience: '*',
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
  });
  const dueIds: Types.ObjectId[] = [];
  const doc = (i: number, isDue: boolean) => {
    // Not-due deadlines sit 30–120 days out: their next reminder is weeks away.
    const dueAt = isDue ? new Date(NOW.getTime() + 3 * DAY) : new Date(NOW.getTime() + (30 + (i % 90)) * DAY);
    const _id = new Types.ObjectId();
    if (isDue) dueIds.push(_id);
    return {
      _id,
      agreementId,
      kind: 'custom',
      stage: null,
      partyId: null,
      note: null,
      dueAt,
      timezone: 'Asia/Jakarta',
      recipients: [{ email: `bench.${i}@pwni.test` }],
      status: 'open',
      closedAt: null,
      audience: '*',
      leadUnit: 'PWNI',
      nextReminderAt: isDue ? new Date(NOW.getTime() - (i % 60) * 1000) : new Date(dueAt.getTime() - 14 * DAY),
      nextSlot: isDue ? 'before-3' : 'before-14',
      deliveredSlots: [],
      lastReminderAt: null,
      paused: false,
      source: 'manual',
      createdAt: NOW,
      updatedAt: NOW,
      version: 1,
    };
  };
  const coll = ctx.models.Deadline.collection;
  // Due ones are spread through the stored ones, as they would be in life.
  const dueEvery = Math.floor(stored / due);
  for (let start = 0; start < stored; start += CHUNK) {
    const docs = [];
    for (let i = start; i < Math.min(stored, start + CHUNK); i++) docs.push(doc(i, i % dueEvery === 0 && i / dueEvery < due));
    await coll.insertMany(docs, { ordered: false });
  }
  return dueIds;
}

/** Makes the same deadlines due again, as if the last sweep had not happened (not timed). */
async function makeDueAgain(ctx: AppContext, dueIds: Types.ObjectId[]): Promise<void> {
  // The driver's own collection: these operators are built here, not taken from input.
  await ctx.models.Deadline.collection.updateMany(
    { _id: { $in: dueIds } },
    { $set: { nextReminderAt: new Date(NOW.getTime() - 1000), nextSlot: 'before-3', deliveredSlots: [], lastReminderAt: null } },
  );
  await ctx.models.ReminderDelivery.collection.deleteMany({});
  await ctx.models.Notification.collection.deleteMany({});
}

async function scenario(base: string, smtpPort: number, stored: number, label: string) {
  const clock = new ManualClock(NOW);
  const config = testConfig({ MONGODB_URI: withDb(base, `bench_rem_${label}_${process.pid}`), SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtpPort) });
  const ctx = await createContext(config, { clock });
  try {
    await ctx.connection.dropDatabase();
    // Recreate the indexes dropped with the database.
    for (const m of Object.values(ctx.models)) if (m && typeof m === 'function' && 'init' in m) await (m as any).createIndexes();
    const seedStart = performance.now();
    const dueIds = await seed(ctx, stored, DUE);
    const seedMs = performance.now() - seedStart;
    // How the server answers the sweep's read: it must walk the nextReminderAt index, not scan.
    const explain: any = await ctx.models.Deadline.collection
      .find({ nextReminderAt: { $lte: NOW } })
      .sort({ nextReminderAt: 1 })
      .limit(500)
      .explain('executionStats');
    const plan = {
      stage: explain.queryPlanner?.winningPlan?.inputStage?.stage ?? explain.queryPlanner?.winningPlan?.stage,
      index: explain.queryPlanner?.winningPlan?.inputStage?.indexName ?? null,
      keysExamined: explain.executionStats?.totalKeysExamined,
      docsExamined: explain.executionStats?.totalDocsExamined,
    };
    const sweeps: number[] = [];
    let result: SweepResult | undefined;
    for (let i = 0; i < SWEEPS; i++) {
      if (i > 0) await makeDueAgain(ctx, dueIds);
      const started = performance.now();
      result = await sweepReminders(ctx);
      sweeps.push(performance.now() - started);
      if (result.sent !== DUE) break;
    }
    return { stored, seedMs, sweepMs: median(sweeps), sweeps: sweeps.map(Math.round), result: result!, plan };
  } finally {
    await ctx.connection.dropDatabase().catch(() => {});
    await closeContext(ctx);
  }
}

export async function runRemindersBench(): Promise<Record<string, unknown>> {
  const smtp = await startSmtp();
  const db = await startBenchDatabase();
  try {
    // Warm-up: JIT, the SMTP pool, the driver's connection pool.
    await scenario(db.uri, smtp.port, 2_000, 'warm');
    const small = await scenario(db.uri, smtp.port, SMALL, 'small');
    const large = await scenario(db.uri, smtp.port, LARGE, 'large');
    const ratio = large.sweepMs / small.sweepMs;
    const rate = (DUE / large.sweepMs) * 1000;
    const delivered = small.result.sent === DUE && large.result.sent === DUE;
    const checks: Check[] = [
      { name: `sweep, ${SMALL.toLocaleString('en')} stored / ${DUE} due`, value: Math.round(small.sweepMs), unit: 'ms', pass: small.result.sent === DUE },
      { name: `sweep, ${LARGE.toLocaleString('en')} stored / ${DUE} due`, value: Math.round(large.sweepMs), unit: 'ms', pass: large.result.sent === DUE },
      { name: 'sweep time large / small', value: Number(ratio.toFixed(2)), target: '≤ 1.5', pass: ratio <= 1.5 && delivered },
      { name: 'reminders delivered per second (large)', value: Math.round(rate), unit: '/s', pass: delivered },
    ];
    return {
      database: db.backend,
      due: DUE,
      smallStored: SMALL,
      largeStored: LARGE,
      sweepsPerSize: SWEEPS,
      smallSweepMs: Math.round(small.sweepMs),
      largeSweepMs: Math.round(large.sweepMs),
      smallSweepsMs: small.sweeps,
      largeSweepsMs: large.sweeps,
      largeQueryPlan: large.plan,
      ratio: Number(ratio.toFixed(3)),
      remindersPerSecond: Math.round(rate),
      smallSent: small.result.sent,
      largeSent: large.result.sent,
      smtpReceived: await smtp.count(),
      seedLargeMs: Math.round(large.seedMs),
      checks,
    };
  } finally {
    await db.stop();
    await smtp.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runRemindersBench()
    .then((r) => {
      for (const c of r.checks as Check[]) {
        process.stdout.write(`${c.pass ? 'PASS' : 'FAIL'}  ${c.name}: ${c.value}${c.unit ?? ''}${c.target ? ` (target ${c.target})` : ''}\n`);
      }
      const { checks: _checks, ...rest } = r;
      process.stdout.write(JSON.stringify(rest, null, 2) + '\n');
      process.exit(0);
    })
    .catch((err) => {
      process.stderr.write(`${err?.stack ?? err}\n`);
      process.exit(1);
    });
}
