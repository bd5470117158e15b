import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { PdfPoolFull, PdfWorkerPool } from '../../../uploads/worker/pdf-worker-pool.js';
import { youngGenerationMb } from '../../../lib/worker-entry.js';
import { PdfRejection } from '../../../uploads/pdf/rejection.js';
import { pageTexts } from '../../support/pdf-text.js';
import * as fixtures from '../../support/pdf-fixtures.js';
import { rejectionOf } from '../../support/errors.js';

const rejection = (p: Promise<unknown>) => rejectionOf(p, PdfRejection);

/** Largest gap between timer ticks while `work` runs: how long the main thread was blocked. */
async function maxEventLoopGap<T>(work: Promise<T>): Promise<{ result: PromiseSettledResult<T>; gapMs: number }> {
  let last = Date.now();
  let gap = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, 10);
  const [result] = await Promise.allSettled([work]);
  clearInterval(timer);
  return { result, gapMs: gap };
}

describe('uploads: PDF worker pool', function () {
  this.timeout(60_000);
  let dir: string;
  const write = (name: string, bytes: Uint8Array) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, bytes);
    return p;
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdf-pool-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('when a valid PDF is inspected, then the worker reports its pages', async () => {
    const pool = new PdfWorkerPool({ memoryMb: 256, timeoutMs: 20_000 });
    try {
      expect(await pool.run({ type: 'inspect', path: write('ok.pdf', await fixtures.textPdf(3)), maxPages: 10 })).to.deep.equal({ pages: 3, pdfVersion: '1.7', signatures: [] });
    } finally {
      await pool.close();
    }
  });

  it('when an object-stream bomb is inspected, then it is refused within 10 s while the main thread keeps ticking, and the pool still works after', async () => {
    const pool = new PdfWorkerPool({ memoryMb: 256, timeoutMs: 30_000 });
    try {
      const bomb = write('bomb.pdf', await fixtures.objectStreamBombPdf());
      const started = Date.now();
      const { result, gapMs } = await maxEventLoopGap(pool.run({ type: 'inspect', path: bomb, maxPages: 10 }));
      expect(Date.now() - started).to.be.below(10_000);
      expect(result.status).to.equal('rejected');
      expect(((result as PromiseRejectedResult).reason as PdfRejection).reason).to.equal('too_complex');
      // generous: the point is "not blocked for seconds", not a latency figure
      expect(gapMs).to.be.below(1000);
      expect((await pool.run({ type: 'inspect', path: write('after.pdf', await fixtures.textPdf(1)), maxPages: 10 })).pages).to.equal(1);
    } finally {
      await pool.close();
    }
  });

  it('when a file needs more heap than the cap, then the worker dies of it and the task is refused as too complex', async () => {
    const pool = new PdfWorkerPool({ memoryMb: 32, timeoutMs: 30_000 });
    try {
      const big = write('many.pdf', fixtures.manyPagesPdf(20_000));
      const err = await rejection(pool.run({ type: 'inspect', path: big, maxPages: 100_000 }));
      expect(err.reason).to.equal('too_complex');
      expect((await pool.run({ type: 'inspect', path: write('small.pdf', await fixtures.textPdf(2)), maxPages: 10 })).pages).to.equal(2);
    } finally {
      await pool.close();
    }
  });

  it('when a task runs past the time limit, then it is refused as a timeout and the next task gets a fresh worker', async () => {
    const pool = new PdfWorkerPool({ memoryMb: 256, timeoutMs: 30_000 });
    try {
      const big = write('slow.pdf', fixtures.manyPagesPdf(20_000));
      const err = await rejection(pool.run({ type: 'inspect', path: big, maxPages: 100_000 }, { timeoutMs: 20 }));
      expect(err.reason).to.equal('timeout');
      expect(err.details).to.deep.equal({ limitMs: 20 });
      expect((await pool.run({ type: 'inspect', path: write('next.pdf', await fixtures.textPdf(1)), maxPages: 10 })).pages).to.equal(1);
    } finally {
      await pool.close();
    }
  });

  it('when more tasks arrive than workers, then they queue and all complete', async () => {
    const pool = new PdfWorkerPool({ memoryMb: 128, timeoutMs: 30_000, maxWorkers: 2 });
    try {
      const file = write('q.pdf', await fixtures.textPdf(2));
      const runs = Array.from({ length: 6 }, () => pool.run({ type: 'inspect', path: file, maxPages: 10 }));
      expect(pool.stats().busy).to.be.at.most(2);
      const results = await Promise.all(runs);
      expect(results.map((r) => r.pages)).to.deep.equal([2, 2, 2, 2, 2, 2]);
    } finally {
      await pool.close();
    }
  });

  it('when the waiting line is full, then a further task is refused at once, one that always queues is still taken, and every waiting task completes', async () => {
    const pool = new PdfWorkerPool({ memoryMb: 128, timeoutMs: 30_000, maxWorkers: 1, maxQueued: 2, prewarm: false });
    try {
      const file = write('line.pdf', await fixtures.textPdf(1));
      // paused: nothing starts, so "waiting" does not depend on how fast a worker is
      pool.pause();
      const waiting = [pool.run({ type: 'inspect', path: file, maxPages: 10 }), pool.run({ type: 'inspect', path: file, maxPages: 10 })];
      expect(pool.hasRoom()).to.equal(false);
      const refused = await pool.run({ type: 'inspect', path: file, maxPages: 10 }).then(
        () => expect.fail('a full line took the task'),
        (err: unknown) => err,
      );
      expect(refused).to.be.instanceOf(PdfPoolFull);
      const followUp = pool.run({ type: 'text', path: file, maxChars: 1000 }, { alwaysQueue: true });
      expect(pool.stats().queued).to.equal(3);
      pool.resume();
      expect((await Promise.all(waiting)).map((r) => r.pages)).to.deep.equal([1, 1]);
      expect((await followUp).textLayer).to.equal(true);
      expect(pool.hasRoom()).to.equal(true);
    } finally {
      await pool.close();
    }
  });

  it('when an owner holds as many places as allowed, then a further claim is refused until one is given back, and giving one back twice frees only one', async () => {
    const pool = new PdfWorkerPool({ memoryMb: 64, timeoutMs: 10_000, perOwner: 2, prewarm: false });
    try {
      const first = pool.claim('drafter-a');
      const second = pool.claim('drafter-a');
      expect(first).not.to.equal(undefined);
      expect(second).not.to.equal(undefined);
      expect(pool.claim('drafter-a')).to.equal(undefined);
      expect(pool.ownerHasRoom('drafter-a')).to.equal(false);
      expect(pool.claim('drafter-b'), 'another owner has places of their own').not.to.equal(undefined);
      first!.release();
      first!.release();
      expect(pool.ownerHasRoom('drafter-a')).to.equal(true);
      expect(pool.claim('drafter-a')).not.to.equal(undefined);
      expect(pool.claim('drafter-a')).to.equal(undefined);
    } finally {
      await pool.close();
    }
  });

  it('when a stamp task runs, then the output file is written with the footer on every page', async () => {
    const pool = new PdfWorkerPool({ memoryMb: 256, timeoutMs: 30_000 });
    try {
      const output = path.join(dir, 'stamped-out.pdf');
      const result = await pool.run({ type: 'stamp', input: write('in.pdf', await fixtures.textPdf(2)), output, stamp: { footer: 'PKS-2022-007 · final (id) · v1 · signed · SHA-256 0123456789ab' } });
      expect(result.pages).to.equal(2);
      expect(fs.statSync(output).size).to.equal(result.size);
      const texts = await pageTexts(fs.readFileSync(output));
      expect(texts[1]).to.include('PKS-2022-007 · final (id) · v1 · signed · SHA-256 0123456789ab · halaman 2 dari 2 / page 2 of 2');
    } finally {
      await pool.close();
    }
  });

  it('when the pool is closed, then further tasks are refused and no worker is left running', async () => {
    const pool = new PdfWorkerPool({ memoryMb: 64, timeoutMs: 10_000 });
    await pool.close();
    expect(pool.stats()).to.deep.equal({ busy: 0, idle: 0, queued: 0 });
    try {
      await pool.run({ type: 'inspect', path: '/nonexistent', maxPages: 1 });
      expect.fail('should refuse');
    } catch (err) {
      expect((err as Error).name).to.equal('PdfWorkerError');
    }
  });

  it('when a worker is sized, then its young generation is at most a quarter of the cap, so the old generation can always take one in', () => {
    // Past that, V8 replaces every young-generation collection with a full one once a task holds
    // about half the cap: text extraction of 1,000 pages took 7 s instead of 0.6 s at 256 MB.
    for (const memoryMb of [64, 128, 256, 512, 1024, 4096]) {
      const young = youngGenerationMb(memoryMb);
      expect(young, `${memoryMb} MB`).to.be.at.most(memoryMb / 4);
      expect(young, `${memoryMb} MB`).to.be.at.least(16);
    }
  });
});
