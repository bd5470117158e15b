import { Schema, type Connection, type InferSchemaType, type HydratedDocument, type Model } from 'mongoose';
import { ROLES } from '../workflows/permissions.js';
import { isValidTimeZone } from '../workflows/business-days.js';

/** The ministry's zone: what every user reads times in until they choose another. */
export const DEFAULT_USER_TIMEZONE = 'Asia/Jakarta';

/**
 * A person who signs in. The password is stored only as an scrypt hash
 * (`scrypt$N$r$p$salt$hash`, see domain/accounts/password.ts).
 */
const userSchema = new Schema(
  {
    email: { type: String, required: true, lowercase: true, trim: true, maxlength: 254 },
    name: { type: String, required: true, trim: true, maxlength: 200 },
    role: { type: String, required: true, enum: ROLES },
    unit: { type: String, required: true, trim: true, maxlength: 40 },
    passwordHash: { type: String, required: true },
    /** a disabled user keeps their record (and history references) but cannot sign in */
    disabled: { type: Boolean, default: false },
    passwordChangedAt: { type: Date },
    /** the IANA zone this person reads every time in (a mission abroad may choose its own) */
    timezone: { type: String, default: DEFAULT_USER_TIMEZONE, maxlength: 64, validate: { validator: isValidTimeZone, message: 'not an IANA time zone' } },
  },
  { timestamps: true, strict: 'throw', versionKey: false },
);
userSchema.index({ email: 1 }, { unique: true });
userSchema.index({ role: 1, unit: 1 });

export type User = InferSchemaType<typeof userSchema>;
export type UserDoc = HydratedDocument<User>;
export type UserModel = Model<User>;

export const userModel = (conn: Connection): UserModel =>
  (conn.models.User as UserModel | undefined) ?? conn.model<User>('User', userSchema);
