import { Router } from 'express';
import Joi from 'joi';
import { logIn } from '../../domain/accounts/log-in.js';
import { logOut } from '../../domain/accounts/log-out.js';
import { getUser } from '../../domain/accounts/get-user.js';
import { updateUser } from '../../domain/accounts/update-user.js';
import { changeOwnPassword } from '../../domain/accounts/change-own-password.js';
import { MAX_PASSWORD_LENGTH } from '../../domain/accounts/password-policy.js';
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

/**
 * My own new password, with the current one. The new one's length and strength are the password
 * rule's to judge (password-policy.ts), which says why in both languages; Joi only bounds the work
 * scrypt may be asked to do.
 */
export const changeMyPasswordBody = Joi.object({
  currentPassword: Joi.string().max(256).required(),
  newPassword: Joi.string().max(MAX_PASSWORD_LENGTH).required(),
});

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

  router.post('/me/password', requireAuth(ctx), validate({ body: changeMyPasswordBody }), async (req, res) => {
    const result = await changeOwnPassword(ctx, { actor: req.actor, ...req.valid.body, keepToken: bearerToken(req)!, clientIp: req.ip });
    // accounts keep no history of their own: the log is where an account change stays (as a deletion's reason does)
    ctx.logger.info('password changed by its owner', { by: req.actor.email, userId: req.actor.id, otherSessionsEnded: result.otherSessionsEnded, calendarFeedRevoked: result.calendarFeedRevoked });
    res.setHeader('Cache-Control', 'no-store');
    res.json(result);
  });

  return router;
}
