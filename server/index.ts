import type http from 'node:http';
import { loadConfig, ConfigError, type Config } from '../lib/config.js';
import { createLogger, type Logger } from '../lib/logger.js';
import { createContext, closeContext, type AppContext } from './context.js';
import { createApp } from './app.js';
import { createHttpServer } from './http/http-server.js';
import { checkConfiguredAdminPassword, runStartupTasks, type StartupHandle } from './startup.js';
import { UnsupportedDeploymentError } from './db/connection.js';
import { IndexReconcileError } from '../models/index.js';

/** Requests still running this long after a stop signal are cut off. */
const DRAIN_MS = 5_000;
/** Past this the process exits with status 1 even if something refuses to close: supervisors escalate to SIGKILL soon after. */
const STOP_DEADLINE_MS = 9_000;

/**
 * Starts the service: connect, prepare data, listen; and stops it cleanly on SIGTERM or SIGINT:
 * stop accepting, let requests in flight finish, stop the reminder sweep, close the database
 * (which flushes and unlocks the embedded server's data folder), then exit 0.
 * This process is `npm start`'s own (its script execs node) or a container's PID 1, so the
 * signal a supervisor sends reaches it directly.
 */
async function main(): Promise<void> {
  let config: Readonly<Config>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  // a refused ADMIN_PASSWORD stops here, before anything is connected or created
  checkConfiguredAdminPassword(config);
  const logger = createLogger(config.logLevel);

  // Handlers go in before anything is opened: a signal during start-up must still close the database.
  const live: Parts = {};
  let stopSignal: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopSignal) return;
    stopSignal = signal;
    logger.info('shutting down', { signal });
    const deadline = setTimeout(() => {
      logger.error('shutdown took too long; exiting anyway', { afterMs: STOP_DEADLINE_MS });
      process.exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    // Before listening, main() notices the signal itself once the step it is in finishes.
    if (live.server) void stop(logger, live);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  const ctx = await createContext(config, { logger });
  live.ctx = ctx;
  if (stopSignal) return stop(logger, live);
  const startup = await runStartupTasks(ctx);
  live.startup = startup;
  if (stopSignal) return stop(logger, live);

  const server = createHttpServer(createApp(ctx));
  live.server = server;
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info('listening', { url: `http://localhost:${port}`, database: ctx.db.backend });
  startup.announce(port);
  if (stopSignal) await stop(logger, live);
}

/** What is open so far, closed in reverse order on the way out. */
interface Parts {
  ctx?: AppContext;
  startup?: StartupHandle;
  server?: http.Server;
}

let stopping = false;

async function stop(logger: Logger, parts: Parts): Promise<void> {
  if (stopping) return;
  stopping = true;
  try {
    const { server, startup, ctx } = parts;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections with no request running would hold close() open until they time out.
      server.closeIdleConnections();
      const cutOff = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
      cutOff.unref();
      await closed;
    }
    await startup?.stop();
    if (ctx) await closeContext(ctx);
    logger.info('stopped');
    process.exit(0);
  } catch (err) {
    logger.error('shutdown failed', { error: String((err as Error)?.stack ?? err) });
    process.exit(1);
  }
}

main().catch((err) => {
  // Refusals that say what to do need no stack trace to be understood.
  const explained = err instanceof UnsupportedDeploymentError || err instanceof IndexReconcileError || err instanceof ConfigError;
  process.stderr.write(`Failed to start: ${explained ? err.message : (err?.stack ?? err)}\n`);
  process.exit(1);
});
