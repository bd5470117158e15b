import crypto from 'node:crypto';
import { mongo } from 'mongoose';

/** The hash of the event before the first one of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** Converts to plain JSON values: dates to ISO strings, ObjectIds to hex, undefined dropped, text in NFC. */
export function toPlainJson<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value), (_key, v) => (typeof v === 'string' ? v.normalize('NFC') : v));
}

/**
 * A document exactly as the database will give it back: encoded and decoded by the driver's own
 * BSON library. Whatever BSON cannot carry as given (a lone surrogate becomes U+FFFD, -0 and
 * integer widths, key order) is settled here, before the hash is taken, so the stored event and
 * the hashed one are the same bytes and verification can never see anything else.
 */
export function storedForm<T extends object>(doc: T): T {
  return mongo.BSON.deserialize(mongo.BSON.serialize(doc)) as T;
}

/** JSON with object keys sorted at every level, so equal content always gives equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof (value as { toHexString?: unknown }).toHexString === 'function') {
    return JSON.stringify((value as { toHexString(): string }).toHexString());
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** What the hash covers: everything of the event except its own hash and storage id. */
export interface HashedFields {
  agreementId: string;
  seq: number;
  at: Date;
  actor: { id: string; email?: string; name?: string };
  role: string;
  action: string;
  changes: unknown;
  prevHash: string;
}

export function hashEvent(fields: HashedFields): string {
  const body = canonicalJson({
    agreementId: String(fields.agreementId),
    seq: fields.seq,
    at: new Date(fields.at).toISOString(),
    actor: { id: fields.actor.id, email: fields.actor.email ?? null, name: fields.actor.name ?? null },
    role: fields.role,
    action: fields.action,
    changes: fields.changes ?? {},
    prevHash: fields.prevHash,
  });
  return crypto.createHash('sha256').update(body).digest('hex');
}
