import { Router } from 'express';
import Joi from 'joi';
import { DEADLINE_KINDS, DEADLINE_STATUSES } from '../../models/deadline.js';
import { createDeadline } from '../../domain/deadlines/create-deadline.js';
import { listAgreementDeadlines } from '../../domain/deadlines/list-agreement-deadlines.js';
import { listDeadlines } from '../../domain/deadlines/list-deadlines.js';
import { updateDeadline } from '../../domain/deadlines/update-deadline.js';
import { addHoliday, listHolidays, removeHoliday } from '../../domain/deadlines/manage-holidays.js';
import { requireAuth, requirePermission } from '../http/auth.js';
import { calendarDay, isoDate, line, objectId, paragraph, timeZone, validate } from '../http/validate.js';
import type { AppContext } from '../context.js';

const email = Joi.string().trim().lowercase().max(254).email({ tlds: false });
const timezone = timeZone();
const recipient = Joi.alternatives(email, Joi.object({ email: email.required(), name: line(200) }));

/** A comma-separated list of allowed values (`?status=open,missed`). */
const csv = (allowed: readonly string[]) =>
  Joi.string()
    .max(200)
    .custom((v: string, helpers) => {
      const items = v.split(',').map((s) => s.trim()).filter(Boolean);
      const bad = items.find((i) => !allowed.includes(i));
      return bad ? helpers.message({ custom: `{{#label}} has '${bad}'; allowed: ${allowed.join(', ')}` }) : items;
    });

export const createDeadlineBody = Joi.object({
  kind: Joi.string().valid(...DEADLINE_KINDS).required(),
  dueAt: isoDate().required(),
  timezone,
  recipients: Joi.array().items(recipient).max(50),
  partyId: objectId(),
  note: paragraph(500),
});

export const updateDeadlineBody = Joi.object({
  dueAt: isoDate(),
  timezone,
  recipients: Joi.array().items(recipient).min(1).max(50),
  status: Joi.string().valid(...DEADLINE_STATUSES),
  note: paragraph(500).allow(null),
  version: Joi.number().integer().min(1),
})
  .or('dueAt', 'timezone', 'recipients', 'status', 'note')
  .messages({ 'object.missing': 'give at least one of dueAt, timezone, recipients, status, note' });

export const listDeadlinesQuery = Joi.object({
  dueBefore: isoDate(),
  dueAfter: isoDate(),
  status: csv(DEADLINE_STATUSES),
  kind: csv(DEADLINE_KINDS),
  person: email,
  agreementId: objectId(),
  limit: Joi.number().integer().min(1).max(200).default(50),
  offset: Joi.number().integer().min(0).max(100_000).default(0),
});

const holidayBody = Joi.object({
  date: calendarDay().required(),
  kind: Joi.string().valid('holiday', 'collective_leave').default('holiday'),
  name: Joi.object({ id: line(200).required(), en: line(200).required() }).required(),
});

const idParams = Joi.object({ id: objectId().required() });

/** Deadlines of agreements, the cross-agreement deadline list, and the holiday calendar. */
export function deadlinesRouter(ctx: AppContext): Router {
  const router = Router();
  const auth = requireAuth(ctx);

  router.get('/agreements/:id/deadlines', auth, validate({ params: idParams }), async (req, res) => {
    res.json({ items: await listAgreementDeadlines(ctx, req.actor, req.valid.params.id) });
  });

  // A role that may not manage deadlines is told so before its input is checked: answering it with
  // the fields it left out would suggest that filling them in lets it through.
  const manage = [auth, requirePermission('manageDeadlines')];

  router.post('/agreements/:id/deadlines', ...manage, validate({ params: idParams, body: createDeadlineBody }), async (req, res) => {
    const created = await createDeadline(ctx, req.actor, { agreementId: req.valid.params.id, ...req.valid.body });
    res.status(201).location(`/api/deadlines/${created.id}`).json(created);
  });

  router.get('/deadlines', auth, validate({ query: listDeadlinesQuery }), async (req, res) => {
    res.json(await listDeadlines(ctx, req.actor, req.valid.query as any));
  });

  router.patch('/deadlines/:id', ...manage, validate({ params: idParams, body: updateDeadlineBody }), async (req, res) => {
    res.json(await updateDeadline(ctx, req.actor, req.valid.params.id, req.valid.body));
  });

  router.get('/holidays', auth, validate({ query: Joi.object({ year: Joi.number().integer().min(2000).max(2100).required() }) }), async (req, res) => {
    res.json(await listHolidays(ctx, req.valid.query.year));
  });

  router.post('/holidays', auth, requirePermission('administer'), validate({ body: holidayBody }), async (req, res) => {
    res.status(201).json(await addHoliday(ctx, req.actor, req.valid.body));
  });

  router.delete('/holidays/:date', auth, requirePermission('administer'), validate({ params: Joi.object({ date: Joi.string().pattern(/^\d{4}-\d{2}-\d{2}$/).required() }) }), async (req, res) => {
    res.json(await removeHoliday(ctx, req.actor, req.valid.params.date));
  });

  return router;
}
