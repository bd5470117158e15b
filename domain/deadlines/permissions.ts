import type { Actor } from '../accounts/actor.js';
import { AppError } from '../errors.js';

/** Roles that manage deadlines: the people who run the negotiation, not signatories or auditors. */
export const DEADLINE_EDITORS = ['admin', 'drafter', 'diplomat'] as const;

export function assertMayEditDeadlines(actor: Actor): void {
  if (!(DEADLINE_EDITORS as readonly string[]).includes(actor.role)) {
    throw new AppError('forbidden', `Role '${actor.role}' may not manage deadlines / Peran '${actor.role}' tidak berwenang mengelola tenggat`);
  }
}
