import type { DomainContext } from '../context.js';
import { createUser } from './create-user.js';
import type { UserView } from './user-view.js';

/**
 * Creates the first admin from configuration (ADMIN_EMAIL / ADMIN_PASSWORD) when that account
 * does not exist. An existing account is left alone: its password may have been changed since.
 */
export async function ensureConfiguredAdmin(ctx: DomainContext): Promise<{ created: boolean; user?: UserView }> {
  const { adminEmail, adminPassword } = ctx.config;
  if (!adminEmail || !adminPassword) return { created: false };
  if (await ctx.models.User.exists({ email: adminEmail })) return { created: false };
  try {
    const user = await createUser(ctx, { email: adminEmail, password: adminPassword, name: 'Administrator', role: 'admin' });
    return { created: true, user };
  } catch (err: any) {
    // Two instances starting together: the other one created it.
    if (err?.code === 'duplicate') return { created: false };
    throw err;
  }
}
