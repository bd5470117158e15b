import mongoose from 'mongoose';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import type { Actor } from './actor.js';
import type { Role } from '../../workflows/permissions.js';
import { hashPassword } from './password.js';
import { assertAcceptablePassword } from './password-policy.js';
import { toUserView, type UserView } from './user-view.js';
import { revokeCredentials } from './revoke-credentials.js';
import { inTransaction } from '../../lib/transaction.js';

export interface UpdateUserInput {
  actor: Actor;
  id: string;
  changes: { email?: string; name?: string; role?: Role; unit?: string; password?: string; disabled?: boolean; timezone?: string };
}

/**
 * Changes an account. A new password or disabling signs the user out everywhere and revokes their
 * secret calendar feed URL, in the same transaction as the change (revoke-credentials.ts). The last
 * active admin cannot be demoted or disabled: nobody could manage users afterwards.
 */
export async function updateUser(ctx: DomainContext, input: UpdateUserInput): Promise<UserView> {
  const { User } = ctx.models;
  const current = await User.findById(input.id).lean();
  if (!current) throw new AppError('not_found', 'User not found / Pengguna tidak ditemukan');
  const c = input.changes;
  if (current.role === 'admin' && !current.disabled) {
    // said for what was asked: the account is not being removed, and the admin must know why nothing changed
    if (c.disabled === true) await assertAnotherAdmin(ctx, input.id, 'The last active admin cannot be disabled: enable or add another admin first / Admin aktif terakhir tidak dapat dinonaktifkan: aktifkan atau tambahkan admin lain terlebih dahulu');
    else if (c.role && c.role !== 'admin') await assertAnotherAdmin(ctx, input.id, 'The last active admin cannot be given another role: enable or add another admin first / Peran admin aktif terakhir tidak dapat diubah: aktifkan atau tambahkan admin lain terlebih dahulu');
  }

  const set: Record<string, unknown> = {};
  if (c.email !== undefined) set.email = c.email.trim().toLowerCase();
  if (c.name !== undefined) set.name = c.name.trim();
  if (c.role !== undefined) set.role = c.role;
  if (c.unit !== undefined) set.unit = c.unit.trim();
  if (c.disabled !== undefined) set.disabled = c.disabled;
  if (c.timezone !== undefined) set.timezone = c.timezone;
  if (c.password !== undefined) {
    assertAcceptablePassword(c.password, { email: c.email ?? current.email, name: c.name ?? current.name });
    set.passwordHash = await hashPassword(c.password);
    set.passwordChangedAt = ctx.clock.now();
  }
  const revokes = c.password !== undefined || c.disabled === true;
  let updated;
  try {
    updated = await inTransaction(ctx, async (session) => {
      const after = await User.findByIdAndUpdate(input.id, { $set: set }, { returnDocument: 'after', runValidators: true, session }).lean();
      if (after && revokes) await revokeCredentials(ctx, after._id, session);
      return after;
    });
  } catch (err: any) {
    if (err?.code === 11000) {
      throw new AppError('duplicate', 'A user with this e-mail already exists / Pengguna dengan e-mail ini sudah ada', { fields: ['email'] });
    }
    throw err;
  }
  if (!updated) throw new AppError('not_found', 'User not found / Pengguna tidak ditemukan');
  return toUserView(updated);
}

/** Refuses (409) when no other active admin would remain; `message` says what was refused. */
export async function assertAnotherAdmin(
  ctx: DomainContext,
  exceptId: string,
  message = 'The last active admin cannot be deleted / Admin aktif terakhir tidak dapat dihapus',
): Promise<void> {
  const others = await ctx.models.User.countDocuments({
    role: 'admin',
    disabled: mongoose.trusted({ $ne: true }),
    _id: mongoose.trusted({ $ne: new mongoose.Types.ObjectId(exceptId) }),
  });
  if (others === 0) {
    throw new AppError('invalid_state', message);
  }
}
