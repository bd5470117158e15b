/**
 * embedded-mongo: an in-process MongoDB-compatible server (wire protocol, replica-set primary
 * handshake) for tests and zero-config development. See README.md.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EmbeddedServer } from './server.js';
import type { EmbeddedMongoOptions } from './server.js';
import type { FromWorker, SerializedError, ToWorker, WorkerInput } from './worker.js';

export type { EmbeddedMongoOptions };
export { EmbeddedServer };

export interface StartEmbeddedMongoOptions extends EmbeddedMongoOptions {
  /**
   * Run the server (listener, store, persistence, TTL timers) in a worker thread of its own, so
   * it uses another core and its heap is collected apart from the caller's. Default false.
   */
  thread?: boolean;
  /** thread mode: how long stop() waits for the worker to close cleanly before terminating it (default 60 s) */
  stopTimeoutMs?: number;
}

export interface EmbeddedMongo {
  /** Connection string, e.g. mongodb://127.0.0.1:PORT/?replicaSet=rs0 */
  uri: string;
  port: number;
  /** Closes every socket and timer and flushes the journal (in thread mode, then ends the thread). Idempotent. */
  stop(): Promise<void>;
  /** The server instance (introspection, tests); in-process mode only. */
  server?: EmbeddedServer;
}

export interface InProcessEmbeddedMongo extends EmbeddedMongo {
  server: EmbeddedServer;
}

export function startEmbeddedMongo(options?: StartEmbeddedMongoOptions & { thread?: false }): Promise<InProcessEmbeddedMongo>;
export function startEmbeddedMongo(options: StartEmbeddedMongoOptions): Promise<EmbeddedMongo>;
export async function startEmbeddedMongo(options: StartEmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const { thread, stopTimeoutMs, ...serverOptions } = options;
  if (thread) return startInWorker(serverOptions, stopTimeoutMs ?? 60_000);
  const server = new EmbeddedServer(serverOptions);
  await server.start();
  return { uri: server.uri, port: server.port, stop: () => server.stop(), server };
}

const log = (line: string) => process.stderr.write(`[embedded-mongo] ${line}\n`);

function toError(e: SerializedError): Error {
  const err: NodeJS.ErrnoException = new Error(e.message);
  if (e.code) err.code = e.code;
  if (e.stack) err.stack = e.stack;
  return err;
}

async function startInWorker(options: EmbeddedMongoOptions, stopTimeoutMs: number): Promise<EmbeddedMongo> {
  const { file, evalCode } = workerEntry();
  // No resourceLimits: a worker's heap limit defaults to the process's (--max-old-space-size
  // included), so a large data set is capped no lower than in-process.
  const worker = new Worker(evalCode ?? file, {
    eval: evalCode !== undefined,
    workerData: { options } satisfies WorkerInput,
  });

  let phase: 'starting' | 'running' | 'crashed' | 'stopping' | 'exited' = 'starting';
  let onStopped: ((error?: SerializedError) => void) | undefined;
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));

  const started = new Promise<{ uri: string; port: number }>((resolve, reject) => {
    worker.on('message', (msg: FromWorker) => {
      if (msg.type === 'ready' && phase === 'starting') {
        phase = 'running';
        resolve({ uri: msg.uri, port: msg.port });
      } else if (msg.type === 'start-failed' && phase === 'starting') {
        phase = 'stopping';
        reject(toError(msg.error));
      } else if (msg.type === 'stopped') {
        onStopped?.(msg.error);
      }
    });
    worker.on('error', (err) => {
      if (phase === 'starting') {
        phase = 'stopping';
        reject(err);
      } else if (phase === 'running') {
        // The driver now gets connection errors; nothing here can bring the server back.
        phase = 'crashed';
        log(`worker thread crashed: ${err?.stack ?? String(err)}`);
      } else {
        onStopped?.(serialize(err));
      }
    });
    worker.on('exit', (code) => {
      if (phase === 'starting') reject(new Error(`embedded-mongo worker exited with code ${code} before it was ready`));
      else if (phase === 'running') log(`worker thread exited unexpectedly (code ${code})`);
      phase = 'exited';
      onStopped?.();
    });
  });

  let uri: string, port: number;
  try {
    ({ uri, port } = await started);
  } catch (err) {
    await worker.terminate();
    throw err;
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (phase === 'exited' || phase === 'crashed') {
        await worker.terminate();
        return;
      }
      phase = 'stopping';
      const outcome = await new Promise<{ error?: SerializedError; timedOut?: boolean }>((resolve) => {
        const timer = setTimeout(() => resolve({ timedOut: true }), stopTimeoutMs);
        onStopped = (error) => {
          clearTimeout(timer);
          resolve({ error });
        };
        worker.postMessage({ type: 'stop' } satisfies ToWorker);
      });
      onStopped = undefined;
      await worker.terminate();
      await exited;
      if (outcome.timedOut) log(`worker did not stop within ${stopTimeoutMs} ms; terminated`);
      if (outcome.error) throw toError(outcome.error);
    })());

  return { uri, port, stop };
}

function serialize(e: unknown): SerializedError {
  const err = e as Error;
  return { message: String(err?.message ?? e), stack: err?.stack };
}

/**
 * The compiled worker next to this file; when running from TypeScript sources (tests, `tsx`),
 * a bootstrap that registers tsx inside the thread first, since tsx's --import hook does not
 * reach worker threads (privatenumber/tsx#354). Only that dev path needs tsx.
 */
function workerEntry(): { file: URL; evalCode?: string } {
  const ts = new URL('./worker.ts', import.meta.url);
  if (fileURLToPath(import.meta.url).endsWith('.ts') && fs.existsSync(fileURLToPath(ts))) {
    let api = 'tsx/esm/api';
    try {
      // resolved here, so the worker finds tsx whatever the current directory is
      api = import.meta.resolve(api);
    } catch {
      // leave the bare specifier; the worker reports it if it cannot be found
    }
    const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(ts.href)}); });`;
    return { file: ts, evalCode: code };
  }
  return { file: new URL('./worker.js', import.meta.url) };
}
