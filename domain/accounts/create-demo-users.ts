import type { DomainContext } from '../context.js';
import type { Role } from '../../workflows/permissions.js';
import { createUser } from './create-user.js';
import { verifyPassword } from './password.js';

/**
 * One account per role for the zero-config demo start, and one of another unit. The passwords are
 * public by design, and pass the same password rule as everyone's (domain/accounts/password-policy.ts).
 */
export const DEMO_USERS: ReadonlyArray<{ role: Role; email: string; name: string; unit: string; password: string }> = [
  { role: 'admin', email: 'admin@demo.pwni.local', name: 'Admin Demo', unit: 'PWNI', password: 'pintu-gerbang-pejambon' },
  { role: 'drafter', email: 'drafter@demo.pwni.local', name: 'Perancang Demo', unit: 'PWNI', password: 'naskah-rancangan-bogor' },
  { role: 'diplomat', email: 'diplomat@demo.pwni.local', name: 'Diplomat Demo', unit: 'PWNI', password: 'meja-perundingan-kuala' },
  { role: 'signatory', email: 'signatory@demo.pwni.local', name: 'Penandatangan Demo', unit: 'PWNI', password: 'pena-tinta-basah-2022' },
  { role: 'auditor', email: 'auditor@demo.pwni.local', name: 'Auditor Demo', unit: 'PWNI', password: 'jejak-hash-tak-terputus' },
  // Another unit's drafter: the only demo user besides the admin who sees that unit's confidential agreement.
  { role: 'drafter', email: 'protkons@demo.pwni.local', name: 'Perancang Demo Ditjen Protkons', unit: 'PROTKONS', password: 'lonceng-konsuler-sabang' },
];

/** Creates the demo accounts that are missing (call it only on an empty, zero-config start). */
export async function createDemoUsers(ctx: DomainContext): Promise<void> {
  for (const u of DEMO_USERS) {
    if (await ctx.models.User.exists({ email: u.email })) continue;
    await createUser(ctx, u).catch((err) => {
      if (err?.code !== 'duplicate') throw err;
    });
  }
}

/** The demo accounts that still have their published password, to print at start-up. */
export async function demoLoginsStillValid(ctx: DomainContext): Promise<typeof DEMO_USERS> {
  const valid = [];
  for (const u of DEMO_USERS) {
    const user = await ctx.models.User.findOne({ email: u.email }, { passwordHash: 1, disabled: 1 }).lean();
    if (user && !user.disabled && (await verifyPassword(u.password, user.passwordHash))) valid.push(u);
  }
  return valid;
}
