import { Router } from 'express';
import Joi from 'joi';
import { agreementCalendar, calendarTokenStatus, issueCalendarToken, personalCalendar, revokeCalendarToken } from '../../domain/deadlines/calendar-feeds.js';
import { requireAuth } from '../http/auth.js';
import { objectId, validate } from '../http/validate.js';
import type { AppContext } from '../context.js';

/**
 * Calendar feeds. The personal feed is reached without a bearer token (calendar clients cannot
 * send one): the unguessable token in the URL is the credential, revocable and rotatable.
 */
export function calendarRouter(ctx: AppContext): Router {
  const router = Router();
  const auth = requireAuth(ctx);

  router.get('/calendar/:token.ics', validate({ params: Joi.object({ token: Joi.string().pattern(/^[A-Za-z0-9_-]{20,100}$/).required() }) }), async (req, res) => {
    const ics = await personalCalendar(ctx, req.valid.params.token);
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.type('text/calendar; charset=utf-8').send(ics);
  });

  router.get('/me/calendar-token', auth, async (req, res) => {
    res.json(await calendarTokenStatus(ctx, req.actor));
  });

  router.post('/me/calendar-token', auth, async (req, res) => {
    res.status(201).json(await issueCalendarToken(ctx, req.actor));
  });

  router.delete('/me/calendar-token', auth, async (req, res) => {
    res.json(await revokeCalendarToken(ctx, req.actor));
  });

  router.get('/agreements/:id/calendar.ics', auth, validate({ params: Joi.object({ id: objectId().required() }) }), async (req, res) => {
    const { filename, ics } = await agreementCalendar(ctx, req.actor, req.valid.params.id);
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.type('text/calendar; charset=utf-8').send(ics);
  });

  return router;
}
