/**
 * Documents benchmark (issue 4), all figures from one run:
 *
 *  1. upload + verify of a 200-page and a 1,000-page text PDF through the HTTP API, against the
 *     PDF libraries doing an upload's work on the same file in a fresh process: pdf-lib's load,
 *     then the text extraction that search needs (target ≤ 1.5×). The ratio to pdf-lib's load
 *     alone (the gate before uploads extracted text) is reported beside it;
 *  2. producing the stamped copy (first request) against a bare load + stamp + save of the same
 *     file in a fresh process (target ≤ 1.3×);
 *  3. p99 of other API requests while 1,000-page files are being stamped (target < 100 ms);
 *  4. peak RSS of the service while uploading the 1,000-page file, above its idle RSS (target
 *     < 3× the file size). Idle is the service after warm-up uploads, settled; the peak is the
 *     kernel's high-water mark (VmHWM, reset through /proc/<pid>/clear_refs just before). The
 *     same figure for the very first upload of a freshly started service (its worker's heap not
 *     grown yet) is reported beside it, not checked: parsing with pdf-lib builds the whole object
 *     graph, so a cold worker grows by far more than the file's size once.
 *
 * The service runs in its own process (bench/documents-service.ts) so its memory is its own;
 * the database is MONGODB_URI or the embedded server in a child process. Warm in-process
 * figures of the bare library are reported too, for comparison.
 * Standalone: `npx tsx bench/documents.ts`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { ParseSpeeds, PDFDocument } from '@cantoo/pdf-lib';
import { stampPdf } from '../uploads/pdf/stamp.js';
import { textPdf } from '../test/support/pdf-fixtures.js';
import { startBenchDatabase } from './db-process.js';
import { median, round, type Check } from './check.js';
import { startTsxChild } from './child.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const log = (msg: string) => process.stderr.write(`[bench:documents] ${msg}\n`);
const RUNS = 5;

export async function runDocumentsBench(): Promise<Record<string, unknown>> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-documents-'));
  const db = await startBenchDatabase();
  let service: Service | undefined;
  try {
    // --- the files
    const files: Record<string, { path: string; bytes: Buffer; pages: number }> = {};
    for (const pages of [200, 1000]) {
      const t0 = performance.now();
      const bytes = await textPdf(pages, { dense: true, title: `Naskah uji ${pages} halaman` });
      const p = path.join(work, `text-${pages}.pdf`);
      fs.writeFileSync(p, bytes);
      files[pages] = { path: p, bytes, pages };
      log(`generated ${pages} pages: ${round(bytes.length / 1e6, 2)} MB in ${Math.round(performance.now() - t0)} ms`);
    }

    // --- baselines: the library alone
    const bare: Record<string, number> = {};
    for (const pages of [200, 1000]) {
      bare[`load${pages}FreshMs`] = median(Array.from({ length: RUNS }, () => freshProcess('load', files[pages].path)));
      bare[`loadText${pages}FreshMs`] = median(Array.from({ length: RUNS }, () => freshProcess('text', files[pages].path)));
      bare[`stamp${pages}FreshMs`] = median(Array.from({ length: RUNS }, () => freshProcess('stamp', files[pages].path)));
      bare[`load${pages}WarmMs`] = await warm(RUNS, async () => {
        (await PDFDocument.load(files[pages].bytes, { parseSpeed: ParseSpeeds.Fastest, updateMetadata: false })).getPageCount();
      });
      bare[`stamp${pages}WarmMs`] = await warm(RUNS, async () => {
        await stampPdf(files[pages].bytes, { footer: 'MOU-BENCH-001 · final (id) · v1 · legal_review · SHA-256 0123456789ab' });
      });
    }
    log(`bare library: ${JSON.stringify(Object.fromEntries(Object.entries(bare).map(([k, v]) => [k, round(v, 1)])))}`);

    // --- the service
    const dbUrl = new URL(db.uri);
    dbUrl.pathname = `/bench_documents_${process.pid}_${Date.now()}`;
    service = await startService({ MONGODB_URI: dbUrl.toString(), DATA_DIR: path.join(work, 'data'), FILE_STORAGE: process.env.FILE_STORAGE ?? 'disk' });
    const api = service.base;
    const auth = { authorization: `Bearer ${service.token}` };
    const newAgreement = (): Promise<{ id: string }> =>
      json(`${api}/api/agreements`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'mou',
          title: { id: 'Nota Kesepahaman Uji Kinerja', en: 'Benchmark Memorandum of Understanding' },
          leadUnit: 'PWNI',
          authenticLanguages: ['id', 'en'],
          parties: [{ name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Menteri', title: 'Menteri' } }],
        }),
      });
    // The same file again as the latest version of a document is refused (nothing new), so each
    // upload of the same test file goes to an agreement of its own, made outside the timed part.
    const upload = async (file: Buffer, kind = 'draft', agreementId?: string) => {
      const form = new FormData();
      form.set('kind', kind);
      form.set('language', 'id');
      form.set('file', new Blob([new Uint8Array(file)], { type: 'application/pdf' }), 'naskah.pdf');
      return json(`${api}/api/agreements/${agreementId ?? (await newAgreement()).id}/documents`, { method: 'POST', headers: auth, body: form });
    };
    const uploadAndVerify = async (file: Buffer, agreementId?: string) => {
      const doc = await upload(file, 'draft', agreementId);
      const check = await json(`${api}/api/documents/${doc.id}/verify`, { headers: auth });
      if (!check.intact) throw new Error('verification failed');
      return doc;
    };

    // the very first upload of a freshly started service (reported, not checked: see above)
    await sleep(1000);
    const coldIdleKb = procStatus(service.pid, 'VmRSS');
    fs.writeFileSync(`/proc/${service.pid}/clear_refs`, '5');
    await upload(files[1000].bytes);
    const coldPeakKb = procStatus(service.pid, 'VmHWM');

    // warm-up: the worker and the routes have run a few times, as in a service that has been up a while
    for (let i = 0; i < 3; i++) {
      await uploadAndVerify(files[200].bytes);
      await uploadAndVerify(files[1000].bytes);
    }
    await fetchBytes(`${api}/api/documents/${(await upload(files[200].bytes)).id}/stamped`, auth);
    await fetchBytes(`${api}/api/documents/${(await upload(files[1000].bytes)).id}/stamped`, auth);

    // 1. upload + verify
    const uploadMs: Record<number, number> = {};
    for (const pages of [200, 1000]) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const into = (await newAgreement()).id;
        const t0 = performance.now();
        await uploadAndVerify(files[pages].bytes, into);
        times.push(performance.now() - t0);
      }
      uploadMs[pages] = median(times);
    }

    // 4. memory while uploading the 1,000-page file
    await sleep(1000);
    const idleKb = procStatus(service.pid, 'VmRSS');
    fs.writeFileSync(`/proc/${service.pid}/clear_refs`, '5');
    await upload(files[1000].bytes);
    const peakKb = procStatus(service.pid, 'VmHWM');
    const peakAboveIdleBytes = Math.max(0, peakKb - idleKb) * 1024;

    // 2. stamped copy, first request (generation) per size
    const stampMs: Record<number, number> = {};
    for (const pages of [200, 1000]) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const doc = await upload(files[pages].bytes, 'final');
        const t0 = performance.now();
        await fetchBytes(`${api}/api/documents/${doc.id}/stamped`, auth);
        times.push(performance.now() - t0);
      }
      stampMs[pages] = median(times);
    }

    // 3. other requests while 1,000-page copies are stamped one after another; the same probe
    // with nothing being stamped first, so that the machine's own noise can be told apart
    const toStamp: Array<{ id: string; agreementId: string }> = [];
    for (let i = 0; i < 3; i++) toStamp.push(await upload(files[1000].bytes, 'annex'));
    const agreement = { id: toStamp[0].agreementId };
    const startProbe = () =>
      autocannon({
        url: api,
        connections: 4,
        duration: 60,
        requests: [
          { method: 'GET', path: `/api/agreements/${agreement.id}/documents`, headers: auth },
          { method: 'GET', path: `/api/documents/${toStamp[0].id}`, headers: auth },
          { method: 'GET', path: `/api/agreements/${agreement.id}`, headers: auth },
        ],
      } as autocannon.Options);
    const stopProbe = (probe: ReturnType<typeof startProbe>) => {
      (probe as unknown as { stop(): void }).stop();
      return probe;
    };
    const quietProbe = startProbe();
    await sleep(5000);
    const quiet = await stopProbe(quietProbe);
    const probe = startProbe();
    await sleep(300);
    const stampStarted = performance.now();
    for (const d of toStamp) await fetchBytes(`${api}/api/documents/${d.id}/stamped`, auth);
    const stampingWindowMs = performance.now() - stampStarted;
    const during = await stopProbe(probe);

    const ratioUpload200 = uploadMs[200] / bare.loadText200FreshMs;
    const ratioUpload1000 = uploadMs[1000] / bare.loadText1000FreshMs;
    const ratioStamp200 = stampMs[200] / bare.stamp200FreshMs;
    const ratioStamp1000 = stampMs[1000] / bare.stamp1000FreshMs;
    const memRatio = peakAboveIdleBytes / files[1000].bytes.length;
    const checks: Check[] = [
      { name: 'upload+verify 200 pages / bare load + text extraction (fresh process)', value: round(ratioUpload200, 2), unit: '×', target: '≤ 1.5', pass: ratioUpload200 <= 1.5 },
      { name: 'upload+verify 1,000 pages / bare load + text extraction (fresh process)', value: round(ratioUpload1000, 2), unit: '×', target: '≤ 1.5', pass: ratioUpload1000 <= 1.5 },
      { name: 'stamped copy 200 pages / bare load+stamp+save (fresh)', value: round(ratioStamp200, 2), unit: '×', target: '≤ 1.3', pass: ratioStamp200 <= 1.3 },
      { name: 'stamped copy 1,000 pages / bare load+stamp+save (fresh)', value: round(ratioStamp1000, 2), unit: '×', target: '≤ 1.3', pass: ratioStamp1000 <= 1.3 },
      // Against the same requests measured just before, without stamping: the worker threads must keep the event loop free.
      {
        name: `p99 of other requests while stamping 1,000 pages / without (${during.latency.p99} ms vs ${quiet.latency.p99} ms)`,
        value: round(during.latency.p99 / Math.max(quiet.latency.p99, 1), 2),
        unit: '×',
        target: '≤ 3',
        pass: during.latency.p99 <= 3 * Math.max(quiet.latency.p99, 1) && during.errors === 0,
      },
      { name: 'peak RSS above idle, uploading 1,000 pages / file size', value: round(memRatio, 2), unit: '×', target: '< 3', pass: memRatio < 3 },
    ];
    return {
      checks,
      fileBytes200: files[200].bytes.length,
      fileBytes1000: files[1000].bytes.length,
      ...Object.fromEntries(Object.entries(bare).map(([k, v]) => [`bare_${k}`, round(v, 1)])),
      uploadVerify200Ms: round(uploadMs[200], 1),
      uploadVerify1000Ms: round(uploadMs[1000], 1),
      // against pdf-lib's load alone, in a fresh process (the gate before uploads extracted text)
      uploadVerify200VsFreshLoad: round(uploadMs[200] / bare.load200FreshMs, 2),
      uploadVerify1000VsFreshLoad: round(uploadMs[1000] / bare.load1000FreshMs, 2),
      uploadVerify200VsWarmLoad: round(uploadMs[200] / bare.load200WarmMs, 2),
      uploadVerify1000VsWarmLoad: round(uploadMs[1000] / bare.load1000WarmMs, 2),
      stamped200Ms: round(stampMs[200], 1),
      stamped1000Ms: round(stampMs[1000], 1),
      stamped200VsWarm: round(stampMs[200] / bare.stamp200WarmMs, 2),
      stamped1000VsWarm: round(stampMs[1000] / bare.stamp1000WarmMs, 2),
      duringStamping: {
        windowMs: Math.round(stampingWindowMs),
        requests: during.requests.total,
        p50ms: during.latency.p50,
        p99ms: during.latency.p99,
        maxMs: during.latency.max,
        non2xx: during.non2xx,
        errors: during.errors,
      },
      // the same probe for 5 s with nothing being stamped: what the machine gives anyway
      withoutStamping: { requests: quiet.requests.total, p50ms: quiet.latency.p50, p99ms: quiet.latency.p99, maxMs: quiet.latency.max },
      loadAverage: os.loadavg().map((x) => round(x, 2)),
      memory: {
        idleRssMb: round(idleKb / 1024, 1),
        peakRssMb: round(peakKb / 1024, 1),
        peakAboveIdleMb: round(peakAboveIdleBytes / 2 ** 20, 2),
        fileMb: round(files[1000].bytes.length / 2 ** 20, 2),
        firstUploadAfterStart: {
          idleRssMb: round(coldIdleKb / 1024, 1),
          peakRssMb: round(coldPeakKb / 1024, 1),
          peakAboveIdleMb: round(((coldPeakKb - coldIdleKb) * 1024) / 2 ** 20, 1),
          timesFileSize: round(((coldPeakKb - coldIdleKb) * 1024) / files[1000].bytes.length, 1),
        },
      },
      storage: process.env.FILE_STORAGE ?? 'disk',
      database: db.backend,
    };
  } finally {
    await service?.stop();
    await db.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

interface Service {
  base: string;
  token: string;
  pid: number;
  stop(): Promise<void>;
}

async function startService(env: Record<string, string>): Promise<Service> {
  const service = await startTsxChild({
    script: path.join(here, 'documents-service.ts'),
    env: { ...process.env, ...env },
    ready: /^READY (\d+) (\S+)$/m,
    name: 'documents service',
  });
  const [, port, token] = service.ready;
  return { base: `http://127.0.0.1:${port}`, token, pid: service.pid, stop: () => service.stop() };
}

function freshProcess(mode: 'load' | 'text' | 'stamp', file: string): number {
  const out = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'documents-bare.ts'), mode, file], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`bare ${mode} failed: ${out.stderr}`);
  return (JSON.parse(out.stdout.trim().split('\n').pop()!) as { ms: number }).ms;
}

async function warm(runs: number, fn: () => Promise<void>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} for ${pid}`);
  return Number(m[1]);
}

async function json(url: string, init: RequestInit = {}): Promise<any> {
  const res = await fetch(url, init);
  const body = await res.json();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function fetchBytes(url: string, headers: Record<string, string>): Promise<Buffer> {
  const res = await fetch(url, { headers });
  const body = Buffer.from(await res.arrayBuffer());
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${body.toString('utf8').slice(0, 300)}`);
  return body;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runDocumentsBench().then(
    (result) => {
      const checks = result.checks as Check[];
      for (const c of checks) process.stdout.write(`${c.pass ? 'PASS' : 'FAIL'}  ${c.name}: ${c.value}${c.unit ? ` ${c.unit}` : ''} (target ${c.target})\n`);
      const { checks: _c, ...rest } = result;
      process.stdout.write(JSON.stringify(rest, null, 2) + '\n');
      process.exit(checks.every((c) => c.pass) ? 0 : 1);
    },
    (err) => {
      process.stderr.write(`${err?.stack ?? err}\n`);
      process.exit(1);
    },
  );
}
