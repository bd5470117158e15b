import crypto from 'node:crypto';
import request from 'supertest';
import type { Role } from '../../workflows/permissions.js';
import { createUser as createUserInDomain } from '../../domain/accounts/create-user.js';
import type { UserView } from '../../domain/accounts/user-view.js';
import type { TestApp } from './app.js';

export interface TestUserOptions {
  role: Role;
  unit?: string;
  email?: string;
  password?: string;
  name?: string;
}

export interface TestUser extends UserView {
  /** the plain password, so the test can log in */
  password: string;
}

export const TEST_PASSWORD = 'correct-horse-battery';

/** Creates a user straight through the domain (no HTTP, no admin needed). */
export async function createUser(t: TestApp, options: TestUserOptions): Promise<TestUser> {
  const suffix = crypto.randomBytes(4).toString('hex');
  const password = options.password ?? TEST_PASSWORD;
  const user = await createUserInDomain(t.ctx, {
    email: options.email ?? `${options.role}.${suffix}@test.pwni.local`,
    name: options.name ?? `Test ${options.role} ${suffix}`,
    password,
    role: options.role,
    unit: options.unit,
  });
  return { ...user, password };
}

/**
 * Creates a user with the role (unless `opts.user` is given) and logs in through
 * `POST /api/auth/login`, as a client would.
 */
export async function loginAs(
  t: TestApp,
  role: Role,
  opts: Omit<TestUserOptions, 'role'> & { user?: TestUser } = {},
): Promise<{ token: string; user: TestUser }> {
  const user = opts.user ?? (await createUser(t, { role, ...opts }));
  const res = await request(t.app).post('/api/auth/login').send({ email: user.email, password: user.password });
  if (res.status !== 200 || typeof res.body?.token !== 'string') {
    throw new Error(`loginAs(${role}) failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { token: res.body.token, user };
}
