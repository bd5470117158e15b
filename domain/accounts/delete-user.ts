import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import type { Actor } from './actor.js';
import { assertAnotherAdmin } from './update-user.js';

/**
 * Deletes an account and revokes its tokens. History events keep their own copy of who acted,
 * so the record of what this user did stays readable. (Token checks also look the user up, so
 * a token outliving a failed revocation still gets 401.)
 */
export async function deleteUser(ctx: DomainContext, input: { actor: Actor; id: string }): Promise<void> {
  const user = await ctx.models.User.findById(input.id, { role: 1, disabled: 1 }).lean();
  if (!user) throw new AppError('not_found', 'User not found / Pengguna tidak ditemukan');
  if (user.role === 'admin' && !user.disabled) await assertAnotherAdmin(ctx, input.id);
  await ctx.models.User.deleteOne({ _id: user._id });
  await ctx.models.AuthToken.deleteMany({ userId: user._id });
}
