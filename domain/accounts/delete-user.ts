import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import type { Actor } from './actor.js';
import { assertAnotherAdmin } from './update-user.js';
import { revokeCredentials } from './revoke-credentials.js';
import { inTransaction } from '../../lib/transaction.js';

/**
 * Deletes an account and revokes everything that authenticates it (login tokens and the secret
 * calendar URL) in one transaction: either all of it goes, or nothing does. History events keep
 * their own copy of who acted, so the record of what this user did stays readable. (Token and
 * calendar checks also look the user up, so a token from before this rule still stops working.)
 */
export async function deleteUser(ctx: DomainContext, input: { actor: Actor; id: string }): Promise<void> {
  const user = await ctx.models.User.findById(input.id, { role: 1, disabled: 1 }).lean();
  if (!user) throw new AppError('not_found', 'User not found / Pengguna tidak ditemukan');
  if (user.role === 'admin' && !user.disabled) await assertAnotherAdmin(ctx, input.id);
  await inTransaction(ctx, async (session) => {
    await ctx.models.User.deleteOne({ _id: user._id }, { session });
    await revokeCredentials(ctx, user._id, session);
  });
}
