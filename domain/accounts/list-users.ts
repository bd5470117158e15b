import type { DomainContext } from '../context.js';
import type { Role } from '../../workflows/permissions.js';
import { toUserView, type UserView } from './user-view.js';

export interface ListUsersInput {
  role?: Role;
  unit?: string;
  limit: number;
  offset: number;
}

/** Users sorted by e-mail, one page at a time. */
export async function listUsers(ctx: DomainContext, input: ListUsersInput): Promise<{ items: UserView[]; total: number }> {
  const filter: Record<string, unknown> = {};
  if (input.role) filter.role = input.role;
  if (input.unit) filter.unit = input.unit;
  const [items, total] = await Promise.all([
    ctx.models.User.find(filter).sort({ email: 1 }).skip(input.offset).limit(input.limit).lean(),
    ctx.models.User.countDocuments(filter),
  ]);
  return { items: items.map(toUserView), total };
}
