import { Worker } from 'node:worker_threads';
import { workerEntry, youngGenerationMb } from '../../lib/worker-entry.js';
import { AppError, type ErrorCode } from '../errors.js';
import type { Register } from './read-register.js';

/** Reads imported register files (read-register.ts) off the event loop; see createRegisterReader. */
export interface RegisterReader {
  /** `signal`: the asker has gone (the client hung up); the read leaves the line or its worker is ended */
  read(file: { buffer: Buffer; name: string }, options?: { signal?: AbortSignal }): Promise<Register>;
  /** ends the reads in progress (they fail) and refuses new ones */
  close(): Promise<void>;
}

export interface RegisterReaderOptions {
  /** heap cap of a reading worker (IMPORT_READ_MEMORY_MB) */
  memoryMb: number;
  /** reads at once in this process (IMPORT_READERS) */
  concurrent: number;
  /** files that may wait for a turn; past it a read is refused at once with 503 (default: four per reader) */
  maxWaiting?: number;
  /** wall-clock limit of one read */
  timeoutMs?: number;
}

/** What the worker sends back. */
export type WorkerReply =
  | { ok: true; register: Register }
  | { ok: false; refusal: { code: ErrorCode; message: string; details: unknown } }
  /** the parser ran out of stack or of string or array length: the file's doing, like running out of heap */
  | { ok: false; tooComplex: true }
  | { ok: false; error: string };

/** Reading every row of the largest register takes a few seconds; minutes means something is wrong with the file. */
const TIMEOUT_MS = 120_000;
const BUSY_RETRY_AFTER_SECONDS = 10;

const isCsv = (name: string) => !/\.xlsx$/i.test(name);

/** What to do about a file too heavy to read: a CSV is split; a workbook saved as its data sheet alone or as CSV. */
const advice = (name: string) =>
  isCsv(name)
    ? { en: 'split the register into several files', id: 'bagi register menjadi beberapa berkas' }
    : { en: 'save the data sheet alone as a new XLSX or as CSV', id: 'simpan lembar data saja sebagai XLSX baru atau CSV' };

const tooComplex = (name: string, limitMb: number) => {
  const a = advice(name);
  return new AppError(
    'unprocessable',
    `Reading the file needs more memory than an import may use (${limitMb} MB); ${a.en} / Membaca berkas ini memerlukan memori melebihi batas impor (${limitMb} MB); ${a.id}`,
    { reason: 'too_complex', limitMb },
  );
};

const tooSlow = (name: string, seconds: number) => {
  const a = advice(name);
  return new AppError(
    'unprocessable',
    `Reading the file took longer than ${seconds} seconds; ${a.en} / Membaca berkas ini memakan waktu lebih dari ${seconds} detik; ${a.id}`,
    { reason: 'too_slow', limitSeconds: seconds },
  );
};

/** What a read whose asker went away fails with (nobody is left to read it; the route's client has hung up). */
export const readAbandoned = () =>
  new AppError('bad_request', 'The request was closed before the register was read / Permintaan ditutup sebelum register selesai dibaca', { reason: 'abandoned' });

const busy = () =>
  new AppError(
    'unavailable',
    'The server is busy reading other registers; try again in a few seconds / Server sedang sibuk membaca register lain; silakan coba lagi dalam beberapa detik',
    { retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS },
  );

/**
 * Parsing a 20,000-row workbook took the event loop for up to 1.5 s (a CSV 0.5 s), during which
 * nobody's request was answered; and a workbook can be built to need far more memory to read than
 * its size says. In a worker the rest of the service keeps answering, and the read has a heap of
 * its own with a cap: past it the worker dies, not the service, and the file is refused. A fresh
 * worker per file: imports are a few a day, and nothing of one file's read survives into the next.
 * At most `concurrent` reads run at once, each holding up to its cap; the next waits, and past
 * `maxWaiting` waiting a file is refused at once rather than held for minutes. A read whose asker
 * has gone (its signal aborts) leaves the line, or has its worker ended, so a client that uploads
 * and hangs up cannot hold a reader's place and memory for the two minutes a read may take.
 */
export function createRegisterReader(options: RegisterReaderOptions): RegisterReader {
  const maxWaiting = options.maxWaiting ?? options.concurrent * 4;
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  const live = new Set<Worker>();
  const waiting: Array<{ go(): void; fail(err: Error): void }> = [];
  let running = 0;
  let closed = false;
  const turn = (signal?: AbortSignal): Promise<void> => {
    if (closed) return Promise.reject(new Error('register reader closed'));
    if (signal?.aborted) return Promise.reject(readAbandoned());
    if (running < options.concurrent) {
      running++;
      return Promise.resolve();
    }
    if (waiting.length >= maxWaiting) return Promise.reject(busy());
    return new Promise<void>((go, fail) => {
      const place = {
        go: () => {
          signal?.removeEventListener('abort', leave);
          go();
        },
        fail,
      };
      // leaving the line gives no place back: it held none
      const leave = () => {
        const at = waiting.indexOf(place);
        if (at >= 0) waiting.splice(at, 1);
        fail(readAbandoned());
      };
      signal?.addEventListener('abort', leave, { once: true });
      waiting.push(place);
    });
  };
  // the place passes straight to the next in line, so `running` never counts one twice
  const done = () => {
    const next = waiting.shift();
    if (next) next.go();
    else running--;
  };
  return {
    async read(file, { signal } = {}) {
      await turn(signal);
      try {
        if (closed) throw new Error('register reader closed');
        if (signal?.aborted) throw readAbandoned();
        return await readInWorker(file, options.memoryMb, timeoutMs, live, signal);
      } finally {
        done();
      }
    },
    async close() {
      closed = true;
      for (const w of waiting.splice(0)) w.fail(new Error('register reader closed'));
      await Promise.all([...live].map((w) => w.terminate()));
    },
  };
}

/** One file in a fresh worker; settles only once the worker has gone, so its heap is free for the next. */
function readInWorker(file: { buffer: Buffer; name: string }, memoryMb: number, timeoutMs: number, live: Set<Worker>, signal?: AbortSignal): Promise<Register> {
  const { file: entry, evalCode } = workerEntry(new URL('./register-worker.ts', import.meta.url));
  // a copy of exactly the file: a small upload's buffer is a slice of a pool other requests share
  const bytes = new Uint8Array(file.buffer);
  return new Promise<Register>((resolve, reject) => {
    let outcome: (() => void) | undefined;
    const worker = new Worker(evalCode ?? entry, {
      eval: evalCode !== undefined,
      workerData: { bytes, name: file.name },
      transferList: [bytes.buffer],
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: youngGenerationMb(memoryMb), stackSizeMb: 4 },
      // the worker reads the bytes it is given; it needs none of our environment (secrets included)
      env: {},
      stdout: false,
      stderr: false,
    });
    live.add(worker);
    const abandon = () => settle(() => reject(readAbandoned()));
    const settle = (fn: () => void) => {
      if (outcome) return;
      outcome = fn;
      clearTimeout(timer);
      signal?.removeEventListener('abort', abandon);
      void worker.terminate();
    };
    const timer = setTimeout(() => settle(() => reject(tooSlow(file.name, Math.round(timeoutMs / 1000)))), timeoutMs);
    signal?.addEventListener('abort', abandon, { once: true });
    worker.on('message', (reply: WorkerReply) => {
      if (reply.ok) settle(() => resolve(reply.register));
      else if ('refusal' in reply) settle(() => reject(new AppError(reply.refusal.code, reply.refusal.message, reply.refusal.details)));
      else if ('tooComplex' in reply) settle(() => reject(tooComplex(file.name, memoryMb)));
      else settle(() => reject(new Error(`register worker failed: ${reply.error}`)));
    });
    worker.on('error', (err: NodeJS.ErrnoException) => {
      const outOfMemory = err?.code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory|heap limit/i.test(String(err?.message));
      settle(() => reject(outOfMemory || err instanceof RangeError ? tooComplex(file.name, memoryMb) : err));
    });
    worker.on('exit', (code) => {
      live.delete(worker);
      clearTimeout(timer);
      signal?.removeEventListener('abort', abandon);
      (outcome ?? (() => reject(new Error(`register worker exited with code ${code} before answering`))))();
    });
  });
}
