/**
 * Worker-thread entry of `startEmbeddedMongo({ thread: true })`: one EmbeddedServer (listener,
 * store, persistence, timers) lives on this thread, so its work and its heap (hence its GC pauses)
 * stay off the event loop of the thread that started it. Talks to the starter through parentPort.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { EmbeddedServer } from './server.js';
import type { EmbeddedMongoOptions } from './server.js';

export interface WorkerInput {
  options: EmbeddedMongoOptions;
}

/** starter → worker */
export type ToWorker = { type: 'stop' };

/** worker → starter */
export type FromWorker =
  | { type: 'ready'; uri: string; port: number }
  | { type: 'start-failed'; error: SerializedError }
  | { type: 'stopped'; error?: SerializedError };

export interface SerializedError {
  message: string;
  stack?: string;
  code?: string;
}

if (!parentPort) throw new Error('embedded-mongo/worker must run in a worker thread');
const port = parentPort;
const { options } = workerData as WorkerInput;

const serialize = (e: unknown): SerializedError => {
  const err = e as NodeJS.ErrnoException;
  return { message: String(err?.message ?? e), stack: err?.stack, code: typeof err?.code === 'string' ? err.code : undefined };
};

const server = new EmbeddedServer(options);
let stopping: Promise<void> | undefined;
const stop = () => (stopping ??= server.stop());

port.on('message', (msg: ToWorker) => {
  if (msg?.type !== 'stop') return;
  stop().then(
    () => port.postMessage({ type: 'stopped' } satisfies FromWorker),
    (e: unknown) => port.postMessage({ type: 'stopped', error: serialize(e) } satisfies FromWorker),
  );
});

try {
  await server.start();
  port.postMessage({ type: 'ready', uri: server.uri, port: server.port } satisfies FromWorker);
} catch (e) {
  // Release what a partial start holds (the data directory's LOCK, an open journal) before
  // reporting; the starter then terminates this thread.
  await stop().catch(() => undefined);
  port.postMessage({ type: 'start-failed', error: serialize(e) } satisfies FromWorker);
}
