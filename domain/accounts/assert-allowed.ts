import { AppError } from '../errors.js';
import { isAllowed, PERMISSIONS, type Action } from '../../workflows/permissions.js';
import type { Actor } from './actor.js';

/** Refuses (403) unless the actor's role may do the action (workflows/permissions.ts). */
export function assertAllowed(actor: Actor, action: Action): void {
  if (isAllowed(actor.role, action)) return;
  const { what } = PERMISSIONS[action];
  throw new AppError('forbidden', `Role '${actor.role}' may not ${what.en} / Peran '${actor.role}' tidak berwenang ${what.id}`, { action });
}
