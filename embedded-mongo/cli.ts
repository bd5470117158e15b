/**
 * Standalone runner: `npm run db -- --port 27999 [--data-dir DIR] [--host H] [--repl-set NAME|--standalone] [--auth]`.
 * Prints the connection URI on a line of its own on stdout (with `--auth`, with the credentials
 * of a user made for this run); SIGINT/SIGTERM stop it cleanly.
 */
import crypto from 'node:crypto';
import { startEmbeddedMongo } from './index.js';

function parseArgs(argv: string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[a.slice(2)] = argv[++i];
    else out[a.slice(2)] = true;
  }
  return out;
}

const args = parseArgs(process.argv.slice(2));
if (args.help || args.h) {
  process.stdout.write('usage: embedded-mongo [--port N] [--host H] [--data-dir DIR] [--repl-set NAME | --standalone] [--auth]\n');
  process.exit(0);
}
const port = args.port !== undefined ? Number(args.port) : 27017;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`invalid --port ${String(args.port)}\n`);
  process.exit(2);
}
const dataDir = typeof args['data-dir'] === 'string' ? args['data-dir'] : undefined;

// --auth: one user with every right and a password made for this run (SCRAM-SHA-256).
const user = args.auth ? { user: 'admin', password: crypto.randomBytes(18).toString('base64url') } : undefined;

try {
  const db = await startEmbeddedMongo({
    auth: user ? { users: [user] } : undefined,
    port,
    host: typeof args.host === 'string' ? args.host : '127.0.0.1',
    dataDir,
    replicaSetName: args.standalone ? null : typeof args['repl-set'] === 'string' ? args['repl-set'] : 'rs0',
  });
  process.stdout.write(`${user ? withCredentials(db.uri, user.user, user.password) : db.uri}\n`);
  process.stderr.write(`embedded-mongo listening on port ${db.port}${dataDir ? ` (data: ${dataDir})` : ' (memory only)'}\n`);
  let stopping = false;
  const shutdown = (sig: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`embedded-mongo: ${sig}, stopping\n`);
    db.stop().then(() => process.exit(0), (e) => { process.stderr.write(`${String(e)}\n`); process.exit(1); });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (e) {
  process.stderr.write(`embedded-mongo failed to start: ${(e as Error).message}\n`);
  process.exit(1);
}

function withCredentials(uri: string, name: string, password: string): string {
  const url = new URL(uri);
  url.username = encodeURIComponent(name);
  url.password = encodeURIComponent(password);
  url.searchParams.set('authSource', 'admin');
  return url.toString();
}
