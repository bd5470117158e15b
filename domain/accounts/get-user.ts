import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { toUserView, type UserView } from './user-view.js';

export async function getUser(ctx: DomainContext, id: string): Promise<UserView> {
  const user = await ctx.models.User.findById(id).lean();
  if (!user) throw new AppError('not_found', 'User not found / Pengguna tidak ditemukan');
  return toUserView(user);
}
