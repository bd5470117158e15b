import type { Connection } from 'mongoose';
import type { Config } from '../lib/config.js';
import type { Logger } from '../lib/logger.js';
import type { Models } from '../models/index.js';
import type { Clock } from '../lib/clock.js';
import type { Mailer } from '../adapters/mailer.js';
import type { WebhookSender } from '../adapters/webhook.js';
import type { DocumentServices } from '../uploads/document-services.js';
import type { HolidayCalendarMemo } from './deadlines/business-calendar.js';
import type { WebhookDispatch } from './webhooks/dispatch-webhook-events.js';

/** What the domain reaches the outside world through; built once in server/context.ts. */
export interface Services {
  /** file stores, temporary files and PDF worker threads */
  documents: DocumentServices;
  mailer: Mailer;
  webhook: WebhookSender;
  holidayCalendar: HolidayCalendarMemo;
  /** after-commit delivery of the webhook outbox */
  webhookDispatch: WebhookDispatch;
}

/** Everything a domain function may use. Plain objects in, plain objects out: no Express here. */
export interface DomainContext {
  config: Readonly<Config>;
  clock: Clock;
  logger: Logger;
  connection: Connection;
  models: Models;
  services: Services;
}
