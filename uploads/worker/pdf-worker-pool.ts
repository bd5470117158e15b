import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerEntry, youngGenerationMb } from '../../lib/worker-entry.js';
import { PdfRejection } from '../pdf/rejection.js';
import type { PdfTask, PdfTaskResults, WorkerReply } from './tasks.js';

export interface PdfWorkerPoolOptions {
  /** V8 old-generation cap per worker (the young generation comes on top: youngGenerationMb); a heap bomb hits it and fails with ERR_WORKER_OUT_OF_MEMORY */
  memoryMb: number;
  /** wall-clock limit per task, counted from when a worker starts it */
  timeoutMs: number;
  /** workers running at once; further tasks wait in line (default: CPU count) */
  maxWorkers?: number;
  /** warm workers kept between tasks, so an upload does not pay a thread start-up */
  idleWorkers?: number;
  /** start the warm workers now rather than at the first task (off in tests: most never parse a PDF) */
  prewarm?: boolean;
  /** tasks that may wait for a worker; past it run() refuses at once (PdfPoolFull) so the line cannot grow without end (default 64) */
  maxQueued?: number;
  /** places one owner (a user) may hold at once through claim() (default 2) */
  perOwner?: number;
}

interface Job {
  id: number;
  task: PdfTask;
  timeoutMs: number;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  timer?: NodeJS.Timeout;
  /** set when we end the worker ourselves, so its exit is not reported as a crash */
  retiring?: boolean;
}

/** The line of tasks waiting for a worker is full: the task was refused before it was queued. */
export class PdfPoolFull extends Error {
  constructor(readonly maxQueued: number) {
    super(`PDF worker queue is full (${maxQueued} tasks waiting)`);
    this.name = 'PdfPoolFull';
  }
}

/** One place of an owner's, held for a piece of PDF work; release() gives it back (a second call does nothing). */
export interface PdfClaim {
  release(): void;
}

/** A worker died for a reason other than the file (should not happen; logged by the caller). */
export class PdfWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PdfWorkerError';
  }
}

/**
 * Runs PDF tasks in worker threads with a memory cap and a time limit. A task that exhausts
 * memory or time costs only its own worker: the task is rejected as 'too_complex' or 'timeout'
 * (a PdfRejection), the worker is replaced, and the main thread keeps serving requests.
 * Everyone's uploads, stamped copies and packets share the workers: the line of waiting tasks is
 * bounded (maxQueued), and callers that know the user take one of that user's perOwner places
 * (claim) first, so one drafter's heavy files wait behind each other, not in front of everyone's.
 */
export class PdfWorkerPool {
  private readonly memoryMb: number;
  private readonly timeoutMs: number;
  private readonly maxWorkers: number;
  private readonly idleTarget: number;
  private readonly maxQueued: number;
  private readonly perOwner: number;
  /** places held per owner: a count, not a list, since only the number is ever asked */
  private readonly claims = new Map<string, number>();
  private readonly busy = new Set<Slot>();
  private readonly idle: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private paused = false;

  constructor(options: PdfWorkerPoolOptions) {
    this.memoryMb = options.memoryMb;
    this.timeoutMs = options.timeoutMs;
    this.maxWorkers = Math.max(1, options.maxWorkers ?? os.availableParallelism());
    this.idleTarget = Math.max(0, Math.min(options.idleWorkers ?? 1, this.maxWorkers));
    this.maxQueued = Math.max(1, options.maxQueued ?? 64);
    this.perOwner = Math.max(1, options.perOwner ?? 2);
    if (options.prewarm ?? true) this.refill();
  }

  /**
   * Runs a task; rejects with PdfRejection for the file's faults, PdfWorkerError for ours, and
   * PdfPoolFull, before queuing anything, when maxQueued tasks are already waiting.
   * `alwaysQueue` takes the task even then: for the next step of work the line already took
   * (an upload's text after its checks, so it is never cut off half-way) and for background work
   * that runs one task at a time. Either adds at most one task per piece of work, so the line
   * stays bounded.
   */
  run<K extends PdfTask['type']>(task: Extract<PdfTask, { type: K }>, options: { timeoutMs?: number; alwaysQueue?: boolean } = {}): Promise<PdfTaskResults[K]> {
    if (this.closed) return Promise.reject(new PdfWorkerError('PDF worker pool is closed'));
    if (!options.alwaysQueue && !this.hasRoom()) return Promise.reject(new PdfPoolFull(this.maxQueued));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, timeoutMs: options.timeoutMs ?? this.timeoutMs, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Whether a task would be taken now (the line is not full). */
  hasRoom(): boolean {
    return this.queue.length < this.maxQueued;
  }

  /**
   * Takes one of the owner's places, or answers undefined when they hold perOwner already. The
   * pool only counts: the caller decides what a place covers (one upload's checks, one stamped
   * copy) and gives it back with release() however that work ends.
   */
  claim(owner: string): PdfClaim | undefined {
    const held = this.claims.get(owner) ?? 0;
    if (held >= this.perOwner) return undefined;
    this.claims.set(owner, held + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const left = (this.claims.get(owner) ?? 1) - 1;
        if (left > 0) this.claims.set(owner, left);
        else this.claims.delete(owner);
      },
    };
  }

  /** Whether the owner has a place free (a check before work starts; claim() decides). */
  ownerHasRoom(owner: string): boolean {
    return (this.claims.get(owner) ?? 0) < this.perOwner;
  }

  /** How many tasks are running and waiting (for tests and the benchmark). */
  stats(): { busy: number; idle: number; queued: number } {
    return { busy: this.busy.size, idle: this.idle.length, queued: this.queue.length };
  }

  /**
   * Starts no further task until resume(): tasks wait in line, those already running go on.
   * For tests that need work in flight at a known moment (a worker's speed is not one).
   */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new PdfWorkerError('PDF worker pool closed'));
    const all = [...this.idle.splice(0), ...this.busy];
    this.busy.clear();
    await Promise.all(
      all.map((slot) => {
        slot.retiring = true;
        if (slot.timer) clearTimeout(slot.timer);
        slot.job?.reject(new PdfWorkerError('PDF worker pool closed'));
        return slot.worker.terminate();
      }),
    );
  }

  private pump(): void {
    while (!this.paused && this.queue.length > 0 && this.busy.size < this.maxWorkers) {
      const job = this.queue.shift()!;
      const slot = this.idle.pop() ?? this.spawn();
      this.start(slot, job);
    }
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    this.busy.add(slot);
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      this.finish(slot, () => job.reject(new PdfRejection('timeout', { limitMs: job.timeoutMs })), true);
    }, job.timeoutMs);
    slot.worker.postMessage({ id: job.id, task: job.task });
  }

  /** Settles the slot's job once, then recycles or retires the worker. */
  private finish(slot: Slot, settle: () => void, retire: boolean): void {
    if (!slot.job) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.job = undefined;
    this.busy.delete(slot);
    settle();
    if (retire || this.closed || this.idle.length >= this.idleTarget) {
      slot.retiring = true;
      void slot.worker.terminate();
    } else {
      slot.worker.unref();
      this.idle.push(slot);
    }
    this.refill();
    this.pump();
  }

  /** Keeps warm workers ready after one was retired (e.g. killed by a bomb). */
  private refill(): void {
    if (this.closed) return;
    while (this.idle.length + this.busy.size < this.idleTarget) this.idle.push(this.spawn());
  }

  private spawn(): Slot {
    const { file, evalCode } = workerEntry(new URL('./pdf-worker.ts', import.meta.url));
    const worker = new Worker(evalCode ?? file, {
      eval: evalCode !== undefined,
      // half the heap cap for inflated stream data, which the heap cap itself does not see
      workerData: { decodeBudgetBytes: Math.floor(this.memoryMb / 2) * 1024 * 1024 },
      resourceLimits: {
        maxOldGenerationSizeMb: this.memoryMb,
        maxYoungGenerationSizeMb: youngGenerationMb(this.memoryMb),
        stackSizeMb: 4,
      },
      // the worker reads files we name; it needs none of our environment (secrets included)
      env: {},
      stdout: false,
      stderr: false,
    });
    worker.unref();
    const slot: Slot = { worker };
    worker.on('message', (reply: WorkerReply) => {
      const job = slot.job;
      if (!job || reply.id !== job.id) return;
      if (reply.ok) this.finish(slot, () => job.resolve(reply.result), false);
      else if ('rejection' in reply) this.finish(slot, () => job.reject(new PdfRejection(reply.rejection.reason, reply.rejection.details)), false);
      else this.finish(slot, () => job.reject(new PdfWorkerError(reply.error)), true);
    });
    worker.on('error', (err: NodeJS.ErrnoException) => {
      const job = slot.job;
      if (!job) return;
      const outOfMemory = err?.code === 'ERR_WORKER_OUT_OF_MEMORY' || /out of memory|heap limit/i.test(String(err?.message));
      // RangeError from a stack overflow that escaped the task (cannot happen in our code, but a hostile
      // file must never become a 500): treat like memory exhaustion.
      const rejection = outOfMemory || err instanceof RangeError ? new PdfRejection('too_complex', { limitMb: this.memoryMb }) : new PdfWorkerError(String(err?.stack ?? err));
      this.finish(slot, () => job.reject(rejection), true);
    });
    worker.on('exit', (code) => {
      const i = this.idle.indexOf(slot);
      if (i >= 0) this.idle.splice(i, 1);
      const job = slot.job;
      if (job) this.finish(slot, () => job.reject(new PdfWorkerError(`PDF worker exited with code ${code}`)), true);
      else if (!slot.retiring) this.refill();
    });
    return slot;
  }
}
