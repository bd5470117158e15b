import { ConnectionString } from 'mongodb-connection-string-url';
import { startEmbeddedMongo } from '../../embedded-mongo/index.js';

/**
 * One database server per test process: real MongoDB when MONGODB_URI is set (so every test
 * also holds there; `npm run test:mongodb -- <uri>`), otherwise the embedded server, stopped by
 * the root hook. Each caller gets its own database name so files never see each other's data;
 * the URI is passed on as given (its path, if any, is where the credentials live).
 */
interface SharedState {
  server?: Promise<{ uri: string; stop(): Promise<void> }>;
  counter: number;
}

// Kept on globalThis, not in module variables: under tsx, mocha loads the root hooks with
// require() and spec files that reach ESM-only packages with import(), so this module can be
// evaluated twice in one process. Two copies would start two servers and the root hook would stop
// only its own, leaving the other's worker thread to hold the process open after the last test.
const STATE_KEY = Symbol.for('pwni-tracker.test.sharedMongo');
const state: SharedState = ((globalThis as Record<symbol, SharedState | undefined>)[STATE_KEY] ??= { counter: 0 });

export interface TestDatabase {
  uri: string;
  dbName: string;
}

export async function testDatabase(label = 'test'): Promise<TestDatabase> {
  const dbName = `t_${label.replace(/[^a-z0-9]/gi, '_').slice(0, 30)}_${process.pid}_${++state.counter}`;
  const external = process.env.MONGODB_URI;
  if (external) {
    // the driver's own parser: several hosts and mongodb+srv:// are fine, a typo fails here, named
    new ConnectionString(external);
    return { uri: external, dbName };
  }
  return { uri: (await sharedServer()).uri, dbName };
}

function sharedServer() {
  // a worker thread, as the app runs it: the server gets its own core and heap
  state.server ??= startEmbeddedMongo({ thread: true });
  return state.server;
}

export async function stopSharedServer(): Promise<void> {
  if (!state.server) return;
  const server = await state.server;
  state.server = undefined;
  await server.stop();
}
