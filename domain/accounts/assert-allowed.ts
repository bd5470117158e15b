import { AppError } from '../errors.js';
import { isAllowed, PERMISSIONS, ROLE_NAMES, type Action } from '../../workflows/permissions.js';
import type { Actor } from './actor.js';

/** Refuses (403) unless the actor's role may do the action (workflows/permissions.ts). */
export function assertAllowed(actor: Actor, action: Action): void {
  if (isAllowed(actor.role, action)) return;
  const { what } = PERMISSIONS[action];
  // the role as the pages name it; `details.action` keeps the key for clients
  const role = ROLE_NAMES[actor.role];
  throw new AppError('forbidden', `The role “${role.en}” may not ${what.en} / Peran “${role.id}” tidak berwenang ${what.id}`, { action });
}
