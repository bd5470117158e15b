import type { Connection } from 'mongoose';
import type { Logger } from '../lib/logger.js';
import type { AgreementRecord } from '../models/agreement.js';
import { ChangeTracker, DerivedCache, DocumentCache } from '../models/read-cache.js';
import type { BusinessCalendar } from '../workflows/business-days.js';
import type { Actor } from './accounts/actor.js';
import type { AgreementSummary } from './agreements/agreement-view.js';

/** A resolved bearer token: who it is and until when. */
export interface CachedSession {
  expiresAt: Date;
  actor: Actor;
}

/**
 * What the hot read paths keep in memory (see models/read-cache.ts for why nothing goes stale).
 * Reads use them, and writes whose one write is conditional on the version read (transitions);
 * other writes, and anything that produces a stored file (stamped copies, signing packets), read
 * afresh.
 */
export interface ReadCaches {
  tracker: ChangeTracker;
  /** agreements by id, search fields left out */
  agreements: DocumentCache<AgreementRecord>;
  /** list rows by agreement id (a row carries its version: a page only uses a row of the version it found) */
  summaries: DocumentCache<AgreementSummary>;
  /** token hash -> session; only valid sessions are kept */
  sessions: DerivedCache<CachedSession | null>;
  /** the working-day calendar (shipped files + the admin's holiday edits) */
  calendar: DerivedCache<BusinessCalendar>;
  /** lead unit -> its drafters (who are reminded of a stage's service level) */
  unitDrafters: DerivedCache<Array<{ email: string; name: string; userId: string }>>;
}

declare module './context.js' {
  interface Services {
    /** absent in contexts built without the service layer; then every read goes to the database */
    readCaches?: ReadCaches;
  }
}

export interface ReadCacheNames {
  agreements: string;
  users: string;
  authTokens: string;
  holidays: string;
}

/** Builds the caches and starts their change streams (caching begins once those run). */
export async function startReadCaches(connection: Connection, names: ReadCacheNames, capacity: number, logger?: Logger): Promise<ReadCaches> {
  const tracker = new ChangeTracker(connection, [names.agreements, names.users, names.authTokens, names.holidays], logger, new Set([names.users, names.holidays]));
  const caches: ReadCaches = {
    tracker,
    agreements: new DocumentCache<AgreementRecord>(tracker, names.agreements, capacity),
    summaries: new DocumentCache<AgreementSummary>(tracker, names.agreements, capacity),
    sessions: new DerivedCache<CachedSession | null>(
      tracker,
      [
        { collection: names.authTokens, inserts: false },
        { collection: names.users, inserts: false },
      ],
      capacity,
    ),
    calendar: new DerivedCache<BusinessCalendar>(tracker, [{ collection: names.holidays, inserts: true }], capacity > 0 ? 1 : 0),
    unitDrafters: new DerivedCache(tracker, [{ collection: names.users, inserts: true }], capacity > 0 ? 1000 : 0),
  };
  if (capacity > 0) await tracker.start();
  return caches;
}
