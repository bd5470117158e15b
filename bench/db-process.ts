import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTsxChild } from './child.js';

/**
 * The database for a bench run: MONGODB_URI when set; otherwise the embedded server in a child
 * process, so that it does not share the event loop with the app and autocannon (as with a real
 * mongod, the app and the database each get their own process).
 */
export interface BenchDatabase {
  uri: string;
  backend: 'mongodb' | 'embedded (child process)';
  stop(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export async function startBenchDatabase(): Promise<BenchDatabase> {
  if (process.env.MONGODB_URI) return { uri: process.env.MONGODB_URI, backend: 'mongodb', stop: async () => {} };
  const db = await startTsxChild({
    script: path.join(here, 'db-child.ts'),
    // BENCH_DB_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/db-prof": profiles the database side.
    nodeArgs: (process.env.BENCH_DB_NODE_ARGS ?? '').split(' ').filter(Boolean),
    ready: /^URI (\S+)$/m,
    name: 'embedded database',
    // BENCH_DB_LOG: the database's stdout goes to our stderr.
    echo: Boolean(process.env.BENCH_DB_LOG),
  });
  return { uri: db.ready[1], backend: 'embedded (child process)', stop: () => db.stop() };
}
