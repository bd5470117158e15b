import type { Config } from '../lib/config.js';
import { createLogger, type Logger } from '../lib/logger.js';
import { connectDatabase, type Database } from './db/connection.js';
import { createModels, reconcileIndexes } from '../models/index.js';
import { systemClock, type Clock } from '../lib/clock.js';
import type { DomainContext, Services } from '../domain/context.js';
import { createMailer } from '../adapters/mailer.js';
import { createWebhookSender } from '../adapters/webhook.js';
import { createDocumentServices } from '../uploads/document-services.js';
import { HolidayCalendarMemo } from '../domain/deadlines/holiday-calendar-memo.js';
import { WebhookDispatch } from '../domain/webhooks/webhook-dispatch.js';
import { createRegisterReader } from '../domain/imports/register-reader.js';

/** The domain context plus what only the edge needs: every setting, the database handle (for /readyz and shutdown). */
export interface AppContext extends DomainContext {
  config: Readonly<Config>;
  db: Database;
}

export interface ContextOptions {
  clock?: Clock;
  logger?: Logger;
}

/** Connects the database, binds the models, builds the services. Nothing listens yet. */
export async function createContext(config: Readonly<Config>, options: ContextOptions = {}): Promise<AppContext> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const db = await connectDatabase(config, logger);
  const models = createModels(db.connection);
  try {
    await reconcileIndexes(models, logger);
  } catch (err) {
    await db.close();
    throw err;
  }
  const services = await createServices(config, db, logger);
  return { config, clock, logger, connection: db.connection, models, services, db };
}

async function createServices(config: Readonly<Config>, db: Database, logger: Logger): Promise<Services> {
  return {
    documents: await createDocumentServices(config, db.connection, logger),
    mailer: createMailer(config, logger),
    webhook: createWebhookSender(config),
    holidayCalendar: new HolidayCalendarMemo(),
    webhookDispatch: new WebhookDispatch(),
    registerReader: createRegisterReader({ memoryMb: config.imports.readMemoryMb, concurrent: config.imports.readers }),
  };
}

export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.services.webhookDispatch?.close();
  await ctx.services.registerReader?.close();
  await ctx.services.documents?.close();
  await ctx.services.mailer?.close();
  await ctx.db.close();
}
