import { Schema, Types, type Connection, type InferSchemaType, type Model } from 'mongoose';

/**
 * A bearer token issued at login. Only the SHA-256 of the token is stored, so a copy of the
 * database does not hand out sessions. Revoking is deleting; the TTL index only tidies up
 * (it runs about once a minute), expiry itself is checked against the clock on every request.
 */
const authTokenSchema = new Schema(
  {
    tokenHash: { type: String, required: true },
    userId: { type: Types.ObjectId, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    /** the client address at login, for the user's own session list and incident review */
    ip: { type: String },
  },
  { strict: 'throw', versionKey: false },
);
authTokenSchema.index({ tokenHash: 1 }, { unique: true });
authTokenSchema.index({ userId: 1 });
authTokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type AuthToken = InferSchemaType<typeof authTokenSchema>;
export type AuthTokenModel = Model<AuthToken>;

export const authTokenModel = (conn: Connection): AuthTokenModel =>
  (conn.models.AuthToken as AuthTokenModel | undefined) ?? conn.model<AuthToken>('AuthToken', authTokenSchema);
