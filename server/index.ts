import http from 'node:http';
import { loadConfig, ConfigError, type Config } from '../lib/config.js';
import { createLogger } from '../lib/logger.js';
import { createContext, closeContext, type AppContext } from './context.js';
import { createApp } from './app.js';
import { runStartupTasks, type StartupHandle } from './startup.js';
import { UnsupportedDeploymentError } from './db/connection.js';
import { IndexReconcileError } from '../models/index.js';

/** Starts the service: connect, prepare data, listen, and shut down cleanly on SIGTERM/SIGINT. */
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
  const logger = createLogger(config.logLevel);
  const ctx: AppContext = await createContext(config, { logger });
  const startup: StartupHandle = await runStartupTasks(ctx);
  const app = createApp(ctx);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info('listening', { url: `http://localhost:${port}`, database: ctx.db.backend });
  startup.announce(port);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    // Stop accepting, let requests in flight finish, then close what they were using.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), 10_000);
    force.unref();
    await closed;
    await startup.stop();
    await closeContext(ctx);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  // Refusals that say what to do need no stack trace to be understood.
  const explained = err instanceof UnsupportedDeploymentError || err instanceof IndexReconcileError;
  process.stderr.write(`Failed to start: ${explained ? err.message : (err?.stack ?? err)}\n`);
  process.exit(1);
});
