import type { Connection } from 'mongoose';
import type { Config } from '../lib/config.js';
import type { Logger } from '../lib/logger.js';
import type { Models } from '../models/index.js';
import type { Clock } from '../lib/clock.js';
import type { Mailer } from '../adapters/mailer.js';
import type { WebhookSender } from '../adapters/webhook.js';
import type { DocumentServices } from '../uploads/document-services.js';
import type { HolidayCalendarMemo } from './deadlines/holiday-calendar-memo.js';
import type { WebhookDispatch } from './webhooks/webhook-dispatch.js';
import type { RegisterReader } from './imports/register-reader.js';

/** What the domain reaches the outside world through; built once in server/context.ts. */
export interface Services {
  /** file stores, temporary files and PDF worker threads */
  documents: DocumentServices;
  mailer: Mailer;
  webhook: WebhookSender;
  holidayCalendar: HolidayCalendarMemo;
  /** after-commit delivery of the webhook outbox */
  webhookDispatch: WebhookDispatch;
  /** reads imported register files in worker threads */
  registerReader: RegisterReader;
}

/**
 * The settings the domain reads, and no others (lib/config.ts reads and checks them all; the
 * edge keeps the rest). A use case that needs a new setting adds it here.
 */
export type DomainSettings = Pick<Config, 'publicUrl' | 'tokenTtlMinutes' | 'adminEmail' | 'adminPassword'> & {
  uploads: Pick<Config['uploads'], 'maxPages'>;
  signatures: Pick<Config['signatures'], 'trustedRoots'>;
  reminders: Pick<Config['reminders'], 'cron' | 'enabled'>;
};

/** Everything a domain function may use. Plain objects in, plain objects out: no Express here. */
export interface DomainContext {
  config: Readonly<DomainSettings>;
  clock: Clock;
  logger: Logger;
  connection: Connection;
  models: Models;
  services: Services;
}
