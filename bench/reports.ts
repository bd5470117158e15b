/**
 * Reports and import with a directorate's years of data (issue 13's figures).
 *
 *   npm run bench -- reports
 *   BENCH_REPORTS_AGREEMENTS=20000 BENCH_REPORTS_EVENTS=400000 BENCH_IMPORT_ROWS=2000 npm run bench -- reports
 *
 * Seeds BENCH_REPORTS_AGREEMENTS agreements (100,000) with BENCH_REPORTS_EVENTS history events
 * (2,000,000) through the driver's bulk inserts, first a tenth of both, then the rest. Every gate is
 * a ratio to a figure of the same run (absolute times swing 2 to 5 times between runs here):
 * - a yearly summary / one bare `$group` over that year's history events through the same driver;
 * - the yearly summary at the full size / at a tenth; a lead unit's report / the whole report,
 *   against that unit's share of the events;
 * - importing BENCH_IMPORT_ROWS rows / creating the same agreements one by one through POST /api/agreements.
 * The database is MONGODB_URI when set, else the embedded server in a child process.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Types } from 'mongoose';
import { stringify } from 'csv-stringify/sync';
import { testConfig } from '../lib/config.js';
import { createContext, closeContext, type AppContext } from '../server/context.js';
import { createApp } from '../server/app.js';
import { createUser } from '../domain/accounts/create-user.js';
import { logIn } from '../domain/accounts/log-in.js';
import { REGISTER_COLUMNS } from '../domain/imports/register-columns.js';
import type { HistoryEventRecord } from '../models/history-event.js';
import { TABLES, type Stage } from '../workflows/index.js';
import { startBenchDatabase } from './db-process.js';
import { createRandom, generateAgreements } from './agreement-data.js';
import { median, round, type Check } from './check.js';

const AGREEMENTS = Number(process.env.BENCH_REPORTS_AGREEMENTS ?? 100_000);
const EVENTS = Number(process.env.BENCH_REPORTS_EVENTS ?? 2_000_000);
const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
const YEAR = Number(process.env.BENCH_REPORTS_YEAR ?? 2022);
/** the lead unit whose report is measured: a tenth of the agreements (bench/agreement-data.ts) */
const UNIT = 'BHAKP';
const RUNS = Number(process.env.BENCH_REPORTS_RUNS ?? 3);
const BATCH = 2_000;
const DAY = 86_400_000;
const FILLERS = ['comment', 'document_uploaded', 'updated', 'round_added', 'deadline_updated', 'indices_set'];

const log = (msg: string) => process.stderr.write(`[bench:reports] ${msg}\n`);

/**
 * The history of each agreement as the tracker would have written it: created, every stage change
 * along its type's main line up to where it stands (dated between its creation and its stage
 * date), a signature per party once signed, and everyday events (comments, uploads, edits) in
 * between, so that the events average `perAgreement`. The chain fields are a stand-in of the
 * right size: the reports never read them, and hashing millions of events would only slow the seeding.
 */
function historyOf(agreements: ReturnType<typeof generateAgreements>, perAgreement: number, rnd: () => number): HistoryEventRecord[] {
  const out: HistoryEventRecord[] = [];
  const actor = { id: 'bench', email: 'bench@pwni.local', name: 'Bench' };
  for (const a of agreements) {
    const line = TABLES[a.type].stages;
    const path = line.includes(a.stage) ? line.slice(0, line.indexOf(a.stage) + 1) : [line[0], a.stage];
    const t0 = a.createdAt.getTime();
    const span = Math.max(a.stageEnteredAt.getTime() - t0, DAY);
    const stamped: Array<{ at: number; action: string; changes: Record<string, unknown> }> = [{ at: t0, action: 'created', changes: { code: a.code, stage: path[0] } }];
    for (let k = 1; k < path.length; k++) {
      const at = k === path.length - 1 ? a.stageEnteredAt.getTime() : t0 + Math.floor((span * k) / path.length);
      stamped.push({ at, action: 'transition', changes: { from: path[k - 1], to: path[k], trigger: 'manual' } });
    }
    for (const p of a.parties) {
      if (p.signature) stamped.push({ at: p.signature.signedAt.getTime() - 1, action: 'signature_recorded', changes: { party: p.name, signedAt: p.signature.signedAt.toISOString() } });
    }
    const fillers = Math.max(0, Math.round((perAgreement - stamped.length) * (0.5 + rnd())));
    const until = Math.max(a.updatedAt.getTime(), a.stageEnteredAt.getTime() + DAY);
    for (let k = 0; k < fillers; k++) stamped.push({ at: t0 + Math.floor(rnd() * (until - t0)), action: FILLERS[Math.floor(rnd() * FILLERS.length)], changes: { text: 'bench' } });
    stamped.sort((x, y) => x.at - y.at);
    stamped.forEach((e, k) => {
      out.push({
        _id: new Types.ObjectId(),
        agreementId: a._id,
        seq: k + 1,
        at: new Date(e.at),
        actor,
        role: 'drafter',
        action: e.action,
        changes: e.changes,
        prevHash: '0'.repeat(64),
        hash: 'f'.repeat(64),
        leadUnit: a.leadUnit,
      });
    });
  }
  return out;
}

export async function runReportsBench(): Promise<Record<string, unknown>> {
  const started = Date.now();
  // 2,000,000 events and their indexes outgrow Node's default heap in the database's process.
  process.env.BENCH_DB_NODE_ARGS ??= '--max-old-space-size=12288';
  const db = await startBenchDatabase();
  const dbUrl = (name: string) => {
    const url = new URL(db.uri);
    url.pathname = `/bench_${name}_${process.pid}_${Date.now()}`;
    return url.toString();
  };
  const contexts: AppContext[] = [];
  const servers: http.Server[] = [];
  try {
    const ctx = await createContext(testConfig({ MONGODB_URI: dbUrl('reports'), DB_NAME: `bench_reports_${process.pid}`, TOKEN_TTL_MINUTES: '600' }));
    contexts.push(ctx);
    const base = await listen(createApp(ctx), servers);
    await createUser(ctx, { email: 'bench.admin@pwni.local', name: 'Bench Admin', password: 'bench-password-1', role: 'admin', unit: 'PWNI' });
    const { token } = await logIn(ctx, { email: 'bench.admin@pwni.local', password: 'bench-password-1' });
    const headers = { authorization: `Bearer ${token}` };

    const rnd = createRandom(20221231);
    let agreements = 0;
    let events = 0;
    const seedTo = async (target: number) => {
      const t0 = Date.now();
      while (agreements < target) {
        const batch = generateAgreements({ start: agreements, count: Math.min(BATCH, target - agreements), rnd });
        const history = historyOf(batch, EVENTS / AGREEMENTS, rnd);
        await ctx.models.Agreement.collection.insertMany(batch, { ordered: false });
        for (let k = 0; k < history.length; k += 10_000) await ctx.models.HistoryEvent.collection.insertMany(history.slice(k, k + 10_000), { ordered: false });
        agreements += batch.length;
        events += history.length;
      }
      const ms = Date.now() - t0;
      log(`seeded ${agreements} agreements, ${events} events (${ms} ms)`);
      return ms;
    };

    const start = new Date(`${YEAR - 1}-12-31T17:00:00Z`); // 1 January in Jakarta
    const end = new Date(`${YEAR}-12-31T17:00:00Z`);
    const actions = (await ctx.models.HistoryEvent.collection.distinct('action')) as string[];
    const bareGroup = async () => {
      const t0 = performance.now();
      await ctx.models.HistoryEvent.collection
        .aggregate([{ $match: { action: { $in: [...actions, ...FILLERS, 'created', 'transition', 'signature_recorded'] }, at: { $gte: start, $lt: end } } }, { $group: { _id: '$action', n: { $sum: 1 } } }])
        .toArray();
      return performance.now() - t0;
    };
    const summary = (query = '') => async () => {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/reports/summary?from=${YEAR}-01-01&to=${YEAR}-12-31${query}`, { headers });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`summary${query}: ${res.status}`);
      return performance.now() - t0;
    };
    /** the medians of RUNS rounds, each round taking every measure once (so a busy moment hits all of them) */
    const measure = async () => {
      const kinds = { bare: bareGroup, whole: summary(), unit: summary(`&leadUnit=${UNIT}`) };
      for (const f of Object.values(kinds)) await f(); // warm-up
      const times: Record<keyof typeof kinds, number[]> = { bare: [], whole: [], unit: [] };
      for (let r = 0; r < RUNS; r++) for (const [k, f] of Object.entries(kinds)) times[k as keyof typeof kinds].push(await f());
      const yearEvents = await ctx.models.HistoryEvent.collection.countDocuments({ at: { $gte: start, $lt: end } });
      const unitEvents = await ctx.models.HistoryEvent.collection.countDocuments({ leadUnit: UNIT, at: { $gte: start, $lt: end } });
      const m = { bareMs: round(median(times.bare), 1), wholeMs: round(median(times.whole), 1), unitMs: round(median(times.unit), 1), yearEvents, unitEvents };
      log(`@${agreements}: ${JSON.stringify(m)}`);
      return m;
    };

    const seedSmallMs = await seedTo(Math.round(AGREEMENTS / 10));
    const small = await measure();
    const seedLargeMs = await seedTo(AGREEMENTS);
    const large = await measure();
    const unitShare = large.unitEvents / large.yearEvents;

    // Import vs one by one, in a database of its own (the same agreements both ways).
    const ictx = await createContext(testConfig({ MONGODB_URI: dbUrl('import'), DB_NAME: `bench_import_${process.pid}`, TOKEN_TTL_MINUTES: '600' }));
    contexts.push(ictx);
    const ibase = await listen(createApp(ictx), servers);
    await createUser(ictx, { email: 'bench.admin@pwni.local', name: 'Bench Admin', password: 'bench-password-1', role: 'admin', unit: 'PWNI' });
    const itoken = (await logIn(ictx, { email: 'bench.admin@pwni.local', password: 'bench-password-1' })).token;
    const iheaders = { authorization: `Bearer ${itoken}` };
    const rows = generateAgreements({ start: 5_000_000, count: IMPORT_ROWS, rnd: createRandom(7) });
    const t1 = performance.now();
    for (const a of rows) {
      const res = await fetch(`${ibase}/api/agreements`, { method: 'POST', headers: { ...iheaders, 'content-type': 'application/json' }, body: JSON.stringify(createBody(a)) });
      const body = await res.text();
      if (res.status !== 201) throw new Error(`POST /api/agreements: ${res.status} ${body.slice(0, 300)}`);
    }
    const oneByOneMs = performance.now() - t1;
    log(`${IMPORT_ROWS} agreements one by one: ${round(oneByOneMs, 0)} ms`);
    const csv = Buffer.from('\uFEFF' + stringify(rows.map(registerRow), { header: true, columns: REGISTER_COLUMNS.map((c) => c.key) }));
    const t2 = performance.now();
    const form = new FormData();
    form.append('file', new Blob([csv]), 'register.csv');
    const posted = await fetch(`${ibase}/api/imports?dryRun=false&async=true`, { method: 'POST', headers: iheaders, body: form });
    const job = (await posted.json()) as { poll?: string };
    if (!job.poll) throw new Error(`POST /api/imports: ${posted.status} ${JSON.stringify(job).slice(0, 300)}`);
    let state: { status: string; result?: { valid: number }; error?: unknown } = { status: 'running' };
    while (state.status === 'running') {
      await new Promise((r) => setTimeout(r, 50));
      state = (await (await fetch(`${ibase}${job.poll}`, { headers: iheaders })).json()) as typeof state;
    }
    const importMs = performance.now() - t2;
    if (state.status !== 'done' || state.result?.valid !== IMPORT_ROWS) throw new Error(`import job: ${JSON.stringify(state).slice(0, 400)}`);
    log(`import of ${IMPORT_ROWS} rows: ${round(importMs, 0)} ms`);

    const ms = (x: number) => `${round(x, 0)} ms`;
    const checks: Check[] = [
      {
        name: `yearly summary ${YEAR} @${agreements} (${ms(large.wholeMs)}) / bare $group over its ${large.yearEvents} events (${ms(large.bareMs)})`,
        value: round(large.wholeMs / large.bareMs, 2),
        unit: 'x',
        target: '<= 3x',
        pass: large.wholeMs <= 3 * large.bareMs,
      },
      {
        name: `yearly summary @${agreements} (${ms(large.wholeMs)}) / @${Math.round(AGREEMENTS / 10)} (${ms(small.wholeMs)})`,
        value: round(large.wholeMs / small.wholeMs, 2),
        unit: 'x',
        target: '<= 10x',
        pass: large.wholeMs <= 10 * small.wholeMs,
      },
      {
        name: `${UNIT} report @${agreements} (${ms(large.unitMs)}) / @${Math.round(AGREEMENTS / 10)} (${ms(small.unitMs)})`,
        value: round(large.unitMs / small.unitMs, 2),
        unit: 'x',
        target: '<= 10x',
        pass: large.unitMs <= 10 * small.unitMs,
      },
      {
        // The unit's report pays its own share of the events, plus what every report pays whatever its size (calendar, agreement-side figures).
        name: `${UNIT} report / whole report @${agreements} (unit's share of the year's events ${round(unitShare * 100, 1)}%)`,
        value: round(large.unitMs / large.wholeMs, 3),
        target: `<= 2 x share (${round(2 * unitShare, 3)})`,
        pass: large.unitMs <= 2 * unitShare * large.wholeMs,
      },
      {
        name: `import ${IMPORT_ROWS} rows (${ms(importMs)}) / POST /api/agreements one by one (${ms(oneByOneMs)})`,
        value: round(importMs / oneByOneMs, 3),
        target: '<= 0.5',
        pass: importMs <= 0.5 * oneByOneMs,
      },
    ];
    return {
      checks,
      setup: { database: db.backend, agreements, events, year: YEAR, unit: UNIT, importRows: IMPORT_ROWS, runs: RUNS, seedMs: { tenth: seedSmallMs, rest: seedLargeMs }, totalSeconds: Math.round((Date.now() - started) / 1000) },
      figures: { atTenth: small, atFull: large, unitShare: round(unitShare, 4), import: { rows: IMPORT_ROWS, importMs: round(importMs, 0), oneByOneMs: round(oneByOneMs, 0) } },
    };
  } finally {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
    for (const c of contexts) {
      await c.connection.dropDatabase().catch(() => {});
      await closeContext(c);
    }
    await db.stop();
  }
}

type Generated = ReturnType<typeof generateAgreements>[number];

/** The agreement as a person creates it through the API. */
function createBody(a: Generated) {
  return {
    type: a.type,
    title: a.title,
    leadUnit: a.leadUnit,
    confidentiality: a.confidentiality,
    subjects: [...new Set(a.subjects)],
    authenticLanguages: a.authenticLanguages,
    parties: a.parties.map((p) => ({
      name: p.name,
      kind: p.kind,
      ...(p.country ? { country: p.country } : {}),
      ...(p.signatory ? { signatory: { name: p.signatory.name, title: p.signatory.title, email: p.signatory.email } } : {}),
    })),
  };
}

/** The same agreement as a row of the register the import reads, in drafting as POST creates it. */
function registerRow(a: Generated): Record<string, string> {
  return {
    code: a.code,
    type: a.type,
    title_id: a.title.id,
    title_en: a.title.en,
    lead_unit: a.leadUnit,
    stage: 'drafting' satisfies Stage,
    stage_since: a.createdAt.toISOString().slice(0, 10),
    parties: a.parties.map((p) => `${p.name} [${p.kind}${p.country ? `, ${p.country}` : ''}]`).join('; '),
    signatories: a.parties.map((p) => (p.signatory ? `${p.signatory.name}, ${p.signatory.title ?? ''}` : '')).join('; '),
    confidentiality: a.confidentiality,
    subjects: [...new Set(a.subjects)].join('; '),
    languages: a.authenticLanguages.join('; '),
  };
}

function listen(app: ReturnType<typeof createApp>, servers: http.Server[]): Promise<string> {
  const server = http.createServer(app);
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runReportsBench()
    .then((result) => {
      process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      process.exit((result.checks as Check[]).some((c) => !c.pass) ? 1 : 0);
    })
    .catch((err) => {
      process.stderr.write(`${err?.stack ?? err}\n`);
      process.exit(1);
    });
}
