import { startEmbeddedMongo } from '../../embedded-mongo/index.js';

/**
 * One database server per test process: real MongoDB when MONGODB_URI is set (so every test
 * also holds there), otherwise the embedded server, stopped by the root hook.
 * Each caller gets its own database name so files never see each other's data.
 */
let shared: Promise<{ uri: string; stop(): Promise<void> }> | undefined;
let counter = 0;

export async function testMongoUri(label = 'test'): Promise<string> {
  const dbName = `t_${label.replace(/[^a-z0-9]/gi, '_').slice(0, 30)}_${process.pid}_${++counter}`;
  const base = process.env.MONGODB_URI ?? (await sharedServer()).uri;
  const url = new URL(base);
  url.pathname = `/${dbName}`;
  return url.toString();
}

function sharedServer() {
  // a worker thread, as the app runs it: the server gets its own core and heap
  shared ??= startEmbeddedMongo({ thread: true });
  return shared;
}

export async function stopSharedServer(): Promise<void> {
  if (!shared) return;
  const server = await shared;
  shared = undefined;
  await server.stop();
}
