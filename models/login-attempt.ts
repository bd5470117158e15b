import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

/**
 * Failed-login counters, one per throttle key: `ip:<address>|account:<email>` (an account from
 * one client address), `ip:<address>` (an address across accounts) or `account:<email>` (an
 * account from everywhere; see domain/accounts/login-throttle.ts for what each lock holds back), and
 * `known:ip:<address>|account:<email>` marks an address the account signed in from (no failures).
 * `failures` counts attempts in the current window (an attempt is counted before the password
 * is checked, so a parallel burst cannot slip past); `lockedUntil` is when the next attempt is
 * allowed. The TTL index removes quiet counters; code also treats an expired one as absent.
 */
const loginAttemptSchema = new Schema(
  {
    key: { type: String, required: true },
    failures: { type: Number, required: true },
    lockedUntil: { type: Date },
    expiresAt: { type: Date, required: true },
  },
  { strict: 'throw', versionKey: false },
);
loginAttemptSchema.index({ key: 1 }, { unique: true });
loginAttemptSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type LoginAttempt = InferSchemaType<typeof loginAttemptSchema>;
export type LoginAttemptModel = Model<LoginAttempt>;

export const loginAttemptModel = (conn: Connection): LoginAttemptModel =>
  (conn.models.LoginAttempt as LoginAttemptModel | undefined) ?? conn.model<LoginAttempt>('LoginAttempt', loginAttemptSchema);
