import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { ROLES, type Role } from '../../workflows/permissions.js';
import { hashPassword } from './password.js';
import { assertAcceptablePassword } from './password-policy.js';
import { toUserView, type UserView } from './user-view.js';

export interface CreateUserInput {
  email: string;
  name: string;
  password: string;
  role: Role;
  /** organisational unit; defaults to the directorate itself */
  unit?: string;
}

export const DEFAULT_UNIT = 'PWNI';
export { MIN_PASSWORD_LENGTH } from './password-policy.js';

/** Creates an account. The e-mail is unique regardless of case. */
export async function createUser(ctx: DomainContext, input: CreateUserInput): Promise<UserView> {
  if (!ROLES.includes(input.role)) throw new AppError('validation_failed', 'Unknown role / Peran tidak dikenal', [{ field: 'role', message: `Must be one of ${ROLES.join(', ')} / Harus salah satu dari ${ROLES.join(', ')}` }]);
  assertAcceptablePassword(input.password, { email: input.email, name: input.name });
  const email = input.email.trim().toLowerCase();
  if (await ctx.models.User.exists({ email })) throw duplicateEmail();
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await ctx.models.User.create({
      email,
      name: input.name.trim(),
      role: input.role,
      unit: (input.unit ?? DEFAULT_UNIT).trim(),
      passwordHash,
      passwordChangedAt: ctx.clock.now(),
    });
    return toUserView(user.toObject());
  } catch (err: any) {
    if (err?.code === 11000) throw duplicateEmail();
    throw err;
  }
}

function duplicateEmail(): AppError {
  return new AppError('duplicate', 'A user with this e-mail already exists / Pengguna dengan e-mail ini sudah ada', { fields: ['email'] });
}
