import { Router } from 'express';
import Joi from 'joi';
import { ROLES } from '../../workflows/permissions.js';
import { createUser, MIN_PASSWORD_LENGTH } from '../../domain/accounts/create-user.js';
import { listUsers } from '../../domain/accounts/list-users.js';
import { getUser } from '../../domain/accounts/get-user.js';
import { updateUser } from '../../domain/accounts/update-user.js';
import { deleteUser } from '../../domain/accounts/delete-user.js';
import { requireAuth, requirePermission } from '../http/auth.js';
import { line, objectId, paragraph, timeZone, validate } from '../http/validate.js';
import type { AppContext } from '../context.js';

const email = Joi.string().trim().max(254).email({ tlds: false });
const name = line(200);
const role = Joi.string().valid(...ROLES);
const unit = Joi.string().trim().pattern(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$/);
const password = Joi.string().min(MIN_PASSWORD_LENGTH).max(256);

export const createUserBody = Joi.object({
  email: email.required(),
  name: name.required(),
  password: password.required(),
  role: role.required(),
  unit,
});

export const updateUserBody = Joi.object({ email, name, password, role, unit, disabled: Joi.boolean(), timezone: timeZone() }).min(1);

export const listUsersQuery = Joi.object({
  role,
  unit,
  limit: Joi.number().integer().min(1).max(200).default(50),
  offset: Joi.number().integer().min(0).max(100_000).default(0),
});

const idParams = Joi.object({ id: objectId().required() });
/** Why the account goes (the web page asks for it); optional for other clients. */
const deleteUserBody = Joi.object({ reason: paragraph(500) }).allow(null);

/** User administration: admins only. */
export function usersRouter(ctx: AppContext): Router {
  const router = Router();
  const admin = [requireAuth(ctx), requirePermission('administer')];

  router.get('/users', ...admin, validate({ query: listUsersQuery }), async (req, res) => {
    res.json(await listUsers(ctx, req.valid.query as any));
  });

  router.post('/users', ...admin, validate({ body: createUserBody }), async (req, res) => {
    const user = await createUser(ctx, req.valid.body);
    res.status(201).location(`/api/users/${user.id}`).json(user);
  });

  router.get('/users/:id', ...admin, validate({ params: idParams }), async (req, res) => {
    res.json(await getUser(ctx, req.valid.params.id));
  });

  router.patch('/users/:id', ...admin, validate({ params: idParams, body: updateUserBody }), async (req, res) => {
    res.json(await updateUser(ctx, { actor: req.actor, id: req.valid.params.id, changes: req.valid.body }));
  });

  router.delete('/users/:id', ...admin, validate({ params: idParams, body: deleteUserBody }), async (req, res) => {
    await deleteUser(ctx, { actor: req.actor, id: req.valid.params.id });
    // accounts keep no history of their own: the log is where the reason stays
    ctx.logger.info('user deleted', { by: req.actor.email, userId: req.valid.params.id, reason: req.valid.body?.reason ?? null });
    res.status(204).end();
  });

  return router;
}
