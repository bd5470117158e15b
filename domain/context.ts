import type { Connection } from 'mongoose';
import type { Config } from '../lib/config.js';
import type { Logger } from '../lib/logger.js';
import type { Models } from '../models/index.js';
import type { Clock } from '../lib/clock.js';

/**
 * Services that areas add (file storage, mail transport, ...). Each area declares its own field
 * through declaration merging: `declare module '../context.js' { interface Services { x: X } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Services {}

/** Everything a domain function may use. Plain objects in, plain objects out: no Express here. */
export interface DomainContext {
  config: Readonly<Config>;
  clock: Clock;
  logger: Logger;
  connection: Connection;
  models: Models;
  services: Services;
}
