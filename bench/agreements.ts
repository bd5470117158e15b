/**
 * Issue 3 benchmark: the agreements API with 100,000 agreements stored.
 *
 *   npx tsx bench/agreements.ts          (alone)
 *   npm run bench                        (with every other bench module)
 *
 * autocannon runs in this process against the app listening on 127.0.0.1:0, at 32 connections,
 * beside a bare Express route that answers a fixed JSON body of the same size, in the same run.
 * The database is MONGODB_URI when set, else the embedded server in a child process.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import express from 'express';
import autocannon from 'autocannon';
import { testConfig } from '../lib/config.js';
import { createContext, closeContext, type AppContext } from '../server/context.js';
import { createApp } from '../server/app.js';
import { createUser } from '../domain/accounts/create-user.js';
import { logIn } from '../domain/accounts/log-in.js';
import { startBenchDatabase } from './db-process.js';
import { createRandom, generateAgreements, COUNTRIES } from './agreement-data.js';
import type { Stage } from '../workflows/index.js';
import { round, type Check } from './check.js';

const CONNECTIONS = 32;
const TOTAL = Number(process.env.BENCH_AGREEMENTS ?? 100_000);
const SMALL = Math.min(10_000, TOTAL);
/** agreements kept in `drafting` (mou, PWNI, internal) for the transitions run: each request moves a fresh one */
const TRANSITION_POOL = Math.min(6_000, Math.floor(TOTAL / 10));
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const BATCH = 2_000;

const log = (msg: string) => process.stderr.write(`[bench:agreements] ${msg}\n`);

export async function runAgreementsBench(): Promise<Record<string, unknown>> {
  const started = Date.now();
  const db = await startBenchDatabase();
  const url = new URL(db.uri);
  url.pathname = `/bench_agreements_${process.pid}_${Date.now()}`;
  const config = testConfig({ MONGODB_URI: url.toString(), TOKEN_TTL_MINUTES: '600', BODY_LIMIT: '1mb' });
  let ctx: AppContext | undefined;
  const servers: http.Server[] = [];
  try {
    ctx = await createContext(config);
    const app = createApp(ctx);
    const base = await listen(app, servers);

    await createUser(ctx, { email: 'bench.drafter@pwni.local', name: 'Bench Drafter', password: 'bench-password-1', role: 'drafter', unit: 'PWNI' });
    const { token } = await logIn(ctx, { email: 'bench.drafter@pwni.local', password: 'bench-password-1' });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const rnd = createRandom(20220401);
    let inserted = 0;
    let mixed = 0;
    const insertMixed = async (upTo: number) => {
      const t0 = Date.now();
      while (mixed < upTo) {
        const n = Math.min(BATCH, upTo - mixed);
        await ctx!.models.Agreement.collection.insertMany(generateAgreements({ start: inserted, count: n, rnd }), { ordered: false });
        inserted += n;
        mixed += n;
      }
      return Date.now() - t0;
    };

    // 1. 10,000 agreements: the list baseline.
    const poolSmall = Math.round((TRANSITION_POOL * SMALL) / TOTAL);
    const seedSmallMs = await insertMixed(SMALL - poolSmall);
    await insertPool(ctx, inserted, poolSmall, rnd);
    inserted += poolSmall;
    log(`seeded ${inserted} agreements in ${seedSmallMs} ms`);
    const listRequests = filteredListRequests(headers);
    await fetchJson(`${base}/api/agreements?stage=negotiation&limit=50`, headers);
    await run(base, { requests: listRequests, duration: 2 }); // warm-up
    const listSmall = await run(base, { requests: listRequests, duration: DURATION });
    log(`list @${inserted}: p50 ${listSmall.latency.p50} ms, p99 ${listSmall.latency.p99} ms`);

    // 2. Up to 100,000.
    const t1 = Date.now();
    await insertMixed(TOTAL - TRANSITION_POOL);
    await insertPool(ctx, inserted, TRANSITION_POOL - poolSmall, rnd);
    inserted += TRANSITION_POOL - poolSmall;
    const seedLargeMs = Date.now() - t1;
    const stored = await ctx.models.Agreement.estimatedDocumentCount();
    log(`seeded up to ${stored} agreements in ${seedLargeMs} ms more`);

    // Ids the drafter may read, and the body the bare route will copy.
    const visible = await ctx.models.Agreement.find({ audience: '*', createdBy: 'bench' }, { _id: 1 })
      .limit(2_000)
      .lean();
    const ids = visible.map((d) => String(d._id));
    const sample = await fetchJson(`${base}/api/agreements/${ids[0]}`, headers);
    const bareBody = JSON.stringify(sample.body);
    const bareApp = express();
    bareApp.disable('x-powered-by');
    bareApp.get('/bare', (_req, res) => {
      res.type('application/json').send(bareBody);
    });
    const bareBase = await listen(bareApp, servers);

    // 3. Single agreement vs bare route.
    await run(`${bareBase}/bare`, { duration: 2 });
    const bare = await run(`${bareBase}/bare`, { duration: DURATION });
    let i = 0;
    const getRequests = [{ method: 'GET' as const, headers, setupRequest: (r: any) => ({ ...r, path: `/api/agreements/${ids[i++ % ids.length]}` }) }];
    await run(base, { requests: getRequests, duration: 2 });
    const getById = await run(base, { requests: getRequests, duration: DURATION });
    log(`bare ${bare.requests.average} req/s, GET by id ${getById.requests.average} req/s`);

    // 4. Filtered list at 100,000.
    await run(base, { requests: listRequests, duration: 2 });
    const listLarge = await run(base, { requests: listRequests, duration: DURATION });
    log(`list @${stored}: p50 ${listLarge.latency.p50} ms, p99 ${listLarge.latency.p99} ms`);

    // 5. Free text.
    const words = ['malaysia', 'pekerja migran', 'saudi', 'shelter', 'MOU-MY', 'trafficking', 'lpsk', 'bpjs', 'consular', 'jordan', 'repatriation', 'Qatar'];
    let w = 0;
    const searchRequests = [
      { method: 'GET' as const, headers, setupRequest: (r: any) => ({ ...r, path: `/api/agreements?q=${encodeURIComponent(words[w++ % words.length])}&limit=50` }) },
    ];
    const search = await run(base, { requests: searchRequests, duration: DURATION });
    log(`search: p50 ${search.latency.p50} ms, p99 ${search.latency.p99} ms`);

    // 6. Transitions: every request moves a different agreement drafting → interagency_consultation.
    const pool = (await ctx.models.Agreement.find({ createdBy: 'bench-pool', stage: 'drafting' }, { _id: 1 }).lean()).map((d) => String(d._id));
    const body = JSON.stringify({ to: 'interagency_consultation', note: 'bench' });
    // One by hand first: a bench of 409s or 422s would measure nothing.
    let transitionProblem: string | undefined;
    await fetchJson(`${base}/api/agreements/${pool[0]}/transitions`, headers, { method: 'POST', body }).catch((err) => {
      transitionProblem = String(err.message).slice(0, 300);
      log(`transition probe failed: ${transitionProblem}`);
    });
    let p = 1;
    const transitionRequests = [
      { method: 'POST' as const, headers, body, setupRequest: (r: any) => ({ ...r, path: `/api/agreements/${pool[p++ % pool.length]}/transitions` }) },
    ];
    const transitionSeconds = Math.min(DURATION, Math.max(2, Math.floor(pool.length / 600)));
    const transitions = await run(base, { requests: transitionRequests, duration: transitionSeconds });
    const transitionOkPerSec = transitions['2xx'] / transitionSeconds;
    log(`transitions: ${transitionOkPerSec.toFixed(0)}/s ok, ${transitions.non2xx} non-2xx`);

    const ratio = getById.requests.average / bare.requests.average;
    const checks: Check[] = [
      { name: 'GET /api/agreements/:id vs bare route', value: round(ratio * 100, 2), unit: '%', target: '>= 35%', pass: ratio >= 0.35 && getById.non2xx === 0 },
      { name: `list filtered (stage/type/party) p99 @${stored}`, value: listLarge.latency.p99, unit: 'ms', target: '< 150 ms', pass: listLarge.latency.p99 < 150 && listLarge.non2xx === 0 },
      {
        name: `list p50 @${stored} / p50 @${SMALL}`,
        value: round(listLarge.latency.p50 / Math.max(listSmall.latency.p50, 1), 2),
        unit: 'x',
        target: '<= 2x',
        pass: listLarge.latency.p50 <= 2 * Math.max(listSmall.latency.p50, 1),
      },
      { name: 'free-text search p99', value: search.latency.p99, unit: 'ms', target: '< 500 ms', pass: search.latency.p99 < 500 && search.non2xx === 0 },
      {
        name: 'POST .../transitions sustained' + (transitionProblem ? ' (probe failed, see figures)' : ''),
        value: round(transitionOkPerSec, 2),
        unit: '/s',
        target: '>= 300/s',
        pass: transitionOkPerSec >= 300,
      },
    ];
    return {
      checks,
      setup: {
        database: db.backend,
        agreements: stored,
        connections: CONNECTIONS,
        durationSeconds: DURATION,
        seedMs: { first10k: seedSmallMs, rest: seedLargeMs },
        bareBodyBytes: Buffer.byteLength(bareBody),
        totalSeconds: Math.round((Date.now() - started) / 1000),
      },
      figures: {
        bare: summary(bare),
        getById: summary(getById),
        listAt10k: summary(listSmall),
        listAt100k: summary(listLarge),
        search: summary(search),
        transitions: { ...summary(transitions), okPerSecond: round(transitionOkPerSec, 2), seconds: transitionSeconds, probeError: transitionProblem },
      },
    };
  } finally {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
    if (ctx) {
      await ctx.connection.dropDatabase().catch(() => {});
      await closeContext(ctx);
    }
    await db.stop();
  }
}

/** The list filters of the figure, rotated: by stage, by type, by party; one page of 50. */
function filteredListRequests(headers: Record<string, string>) {
  const stages: Stage[] = ['negotiation', 'in_force', 'awaiting_signature', 'legal_review', 'signed', 'drafting'];
  const types = ['mou', 'technical_arrangement', 'cooperation_agreement', 'agreement', 'guideline'];
  const parties = [...COUNTRIES.slice(0, 8).map((c) => c[0]), 'BP2MI', 'LPSK', 'Pemerintah Malaysia'];
  const paths = [
    ...stages.map((s) => `/api/agreements?stage=${s}&limit=50`),
    ...types.map((t) => `/api/agreements?type=${t}&limit=50`),
    ...parties.map((p) => `/api/agreements?party=${encodeURIComponent(p)}&limit=50`),
  ];
  let k = 0;
  return [{ method: 'GET' as const, headers, setupRequest: (r: any) => ({ ...r, path: paths[k++ % paths.length] }) }];
}

async function insertPool(ctx: AppContext, start: number, count: number, rnd: () => number) {
  for (let done = 0; done < count; done += BATCH) {
    const docs = generateAgreements({
      start: start + done,
      count: Math.min(BATCH, count - done),
      rnd,
      force: { type: 'mou', stage: 'drafting', leadUnit: 'PWNI', confidentiality: 'internal' },
    }).map((d) => ({ ...d, createdBy: 'bench-pool' }));
    await ctx.models.Agreement.collection.insertMany(docs, { ordered: false });
  }
}

function run(base: string, opts: Partial<autocannon.Options>): Promise<autocannon.Result> {
  return autocannon({ url: base, connections: CONNECTIONS, duration: DURATION, ...opts } as autocannon.Options);
}

function listen(app: express.Express, servers: http.Server[]): Promise<string> {
  const server = http.createServer(app);
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

async function fetchJson(url: string, headers: Record<string, string>, init: RequestInit = {}) {
  const res = await fetch(url, { headers, ...init });
  const body = await res.json();
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  return { status: res.status, body };
}

function summary(r: autocannon.Result) {
  return {
    reqPerSec: round(r.requests.average, 2),
    p50ms: r.latency.p50,
    p99ms: r.latency.p99,
    maxMs: r.latency.max,
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runAgreementsBench()
    .then((result) => {
      process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      const failed = (result.checks as Check[]).filter((c) => !c.pass);
      process.exit(failed.length ? 1 : 0);
    })
    .catch((err) => {
      process.stderr.write(`${err?.stack ?? err}\n`);
      process.exit(1);
    });
}
