import type { Role } from '../../workflows/permissions.js';

/** Who is acting: what the HTTP edge hands to domain functions after authentication. */
export interface Actor {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** organisational unit, e.g. "PWNI"; confidential agreements are visible only to their lead unit (and admins) */
  unit: string;
}

/** The actor used by start-up jobs (demo data, reminder sweeps) that no person triggers. */
export const SYSTEM_ACTOR: Actor = {
  id: 'system',
  email: 'system@localhost',
  name: 'System',
  role: 'admin',
  unit: 'SYSTEM',
};
