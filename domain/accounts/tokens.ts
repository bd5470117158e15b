import crypto from 'node:crypto';

/** 256 random bits, URL-safe: what the client holds. */
export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** What the database holds: a stolen copy of the tokens collection opens no session. */
export function tokenHash(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}
