import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
  // BENCH_DB_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/db-prof": profiles the database side.
  const extraArgs = (process.env.BENCH_DB_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...extraArgs, '--import', 'tsx', path.join(here, 'db-child.ts')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const uri = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /^URI (\S+)$/m.exec(buf);
      if (m) resolve(m[1]);
      if (process.env.BENCH_DB_LOG) process.stderr.write(d);
    });
    child.once('exit', (code) => reject(new Error(`embedded database exited (${code}) before it was ready`)));
  });
  return {
    uri,
    backend: 'embedded (child process)',
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin!.end();
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
