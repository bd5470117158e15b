import type { Actor } from './actor.js';
import type { Role } from '../../workflows/permissions.js';
import { DEFAULT_USER_TIMEZONE } from '../../models/user.js';

/** A user as the API shows it: never the password hash. */
export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  unit: string;
  disabled: boolean;
  /** the IANA zone the person reads times in */
  timezone: string;
  createdAt?: Date;
  updatedAt?: Date;
}

export function toUserView(u: Record<string, any>): UserView {
  return {
    id: String(u._id),
    email: u.email,
    name: u.name,
    role: u.role,
    unit: u.unit,
    disabled: Boolean(u.disabled),
    // accounts made before the zone was kept read in the ministry's
    timezone: u.timezone ?? DEFAULT_USER_TIMEZONE,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
}

export function toActor(u: Record<string, any>): Actor {
  return { id: String(u._id), email: u.email, name: u.name, role: u.role, unit: u.unit };
}
