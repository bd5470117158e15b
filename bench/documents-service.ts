/**
 * The service under measurement for bench/documents.ts, in its own process so that its memory
 * (RSS, worker threads included) is read from /proc without the benchmark's own allocations.
 * Prints `READY <port> <token>`; stops when stdin closes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../lib/config.js';
import { createContext, closeContext } from '../server/context.js';
import { createApp } from '../server/app.js';
import { createUser } from '../domain/accounts/create-user.js';
import { logIn } from '../domain/accounts/log-in.js';

const config = loadConfig({
  ...process.env,
  NODE_ENV: 'production',
  LOG_LEVEL: 'error',
  DEMO_DATA: 'false',
  REMINDERS_ENABLED: 'false',
});
const ctx = await createContext(config);
const server = http.createServer(createApp(ctx));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const email = 'bench.documents@pwni.local';
await createUser(ctx, { email, name: 'Bench Documents', password: 'bench-password-1', role: 'drafter', unit: 'PWNI' });
const { token } = await logIn(ctx, { email, password: 'bench-password-1' });
process.stdout.write(`READY ${(server.address() as AddressInfo).port} ${token}\n`);

process.stdin.resume();
process.stdin.on('end', async () => {
  server.closeAllConnections();
  server.close();
  await closeContext(ctx);
  process.exit(0);
});
