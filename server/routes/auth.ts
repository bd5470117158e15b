import { Router } from 'express';
import Joi from 'joi';
import { logIn } from '../../domain/accounts/log-in.js';
import { logOut } from '../../domain/accounts/log-out.js';
import { getUser } from '../../domain/accounts/get-user.js';
import { updateUser } from '../../domain/accounts/update-user.js';
import { bearerToken, requireAuth } from '../http/auth.js';
import { timeZone, validate } from '../http/validate.js';
import type { AppContext } from '../context.js';

export const loginBody = Joi.object({
  email: Joi.string().trim().max(254).email({ tlds: false }).required(),
  // bounded: scrypt over a megabyte-long "password" is a cheap way to burn CPU
  password: Joi.string().min(1).max(256).required(),
});

/** What a person may change about their own account (the administrator changes the rest). */
export const updateMeBody = Joi.object({ timezone: timeZone().required() });

/** Sign in, sign out, who am I, and my own settings. */
export function authRouter(ctx: AppContext): Router {
  const router = Router();

  router.post('/auth/login', validate({ body: loginBody }), async (req, res) => {
    // req.ip honours exactly config.trustProxy hops of X-Forwarded-For (app 'trust proxy'),
    // so a client cannot pick its own address by sending the header.
    const result = await logIn(ctx, { ...req.valid.body, clientIp: req.ip });
    res.setHeader('Cache-Control', 'no-store');
    res.json(result);
  });

  router.post('/auth/logout', requireAuth(ctx), async (req, res) => {
    await logOut(ctx, bearerToken(req)!);
    res.status(204).end();
  });

  router.get('/me', requireAuth(ctx), async (req, res) => {
    res.json(await getUser(ctx, req.actor.id));
  });

  router.patch('/me', requireAuth(ctx), validate({ body: updateMeBody }), async (req, res) => {
    res.json(await updateUser(ctx, { actor: req.actor, id: req.actor.id, changes: { timezone: req.valid.body.timezone } }));
  });

  return router;
}
