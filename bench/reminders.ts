/**
 * Reminders benchmark (issue 5): one sweep delivering 1,000 due reminders to a local SMTP server,
 * with 5,000 and with 500,000 open deadlines stored. The sweep reaches due deadlines only through
 * the `nextReminderAt` index, so its time must grow with what is due, not with what is stored:
 * target large/small ≤ 1.5. Also reports reminders delivered per second.
 *
 * Standalone: `npx tsx bench/reminders.ts` (MONGODB_URI to use a real server; otherwise the
 * embedded one). BENCH_REMINDERS_LARGE overrides the large size.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { Types } from 'mongoose';
import { SMTPServer } from 'smtp-server';
import { testConfig } from '../server/config.js';
import { createContext, closeContext, type AppContext } from '../server/context.js';
import { ManualClock } from '../domain/clock.js';
import { sweepReminders, type SweepResult } from '../domain/reminders/sweep-reminders.js';

const DUE = 1_000;
const SMALL = 5_000;
const LARGE = Number(process.env.BENCH_REMINDERS_LARGE ?? 500_000);
const CHUNK = 10_000;
const NOW = new Date('2026-09-01T02:00:00Z');
const DAY = 86_400_000;

interface Check {
  name: string;
  value: number | string;
  unit?: string;
  target?: string;
  pass: boolean;
}

async function startSmtp() {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received++;
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = ((server as any).server.address() as AddressInfo).port;
  return { port, count: () => received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function databaseBase(): Promise<{ base: string; stop: () => Promise<void> }> {
  if (process.env.MONGODB_URI) return { base: process.env.MONGODB_URI, stop: async () => {} };
  const { startEmbeddedMongo } = await import('../embedded-mongo/index.js');
  const server = await startEmbeddedMongo({});
  return { base: server.uri, stop: () => server.stop() };
}

function withDb(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function seed(ctx: AppContext, stored: number, due: number): Promise<void> {
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
    finalTextsConfirmed: [],
    searchText: '',
    partyKeys: [],
    audience: '*',
    version: 1,
    createdAt: NOW,
    updatedAt: NOW,
  });
  const doc = (i: number, isDue: boolean) => {
    // Not-due deadlines sit 30–120 days out: their next reminder is weeks away.
    const dueAt = isDue ? new Date(NOW.getTime() + 3 * DAY) : new Date(NOW.getTime() + (30 + (i % 90)) * DAY);
    return {
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
    await seed(ctx, stored, DUE);
    const seedMs = performance.now() - seedStart;
    const started = performance.now();
    const result: SweepResult = await sweepReminders(ctx);
    const sweepMs = performance.now() - started;
    return { stored, seedMs, sweepMs, result };
  } finally {
    await ctx.connection.dropDatabase().catch(() => {});
    await closeContext(ctx);
  }
}

export async function runRemindersBench(): Promise<Record<string, unknown>> {
  const smtp = await startSmtp();
  const db = await databaseBase();
  try {
    // Warm-up: JIT, the SMTP pool, the driver's connection pool.
    await scenario(db.base, smtp.port, 2_000, 'warm');
    const small = await scenario(db.base, smtp.port, SMALL, 'small');
    const large = await scenario(db.base, smtp.port, LARGE, 'large');
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
      due: DUE,
      smallStored: SMALL,
      largeStored: LARGE,
      smallSweepMs: Math.round(small.sweepMs),
      largeSweepMs: Math.round(large.sweepMs),
      ratio: Number(ratio.toFixed(3)),
      remindersPerSecond: Math.round(rate),
      smallSent: small.result.sent,
      largeSent: large.result.sent,
      smtpReceived: smtp.count(),
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
