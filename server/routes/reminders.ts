import { Router } from 'express';
import Joi from 'joi';
import { DELIVERY_STATUSES } from '../../models/reminder-delivery.js';
import { WEBHOOK_EVENT_STATUSES } from '../../models/webhook-event.js';
import { listWebhookEvents } from '../../domain/webhooks/list-webhook-events.js';
import { sweepReminders } from '../../domain/reminders/sweep-reminders.js';
import { listDeliveries } from '../../domain/reminders/list-deliveries.js';
import { listDeadlineFailures } from '../../domain/reminders/list-deadline-failures.js';
import { reminderChannels } from '../../domain/reminders/reminder-channels.js';
import { reminderSchedule } from '../../domain/deadlines/schedule.js';
import { setRemindersPaused } from '../../domain/reminders/set-reminders-paused.js';
import { listNotifications, markNotificationRead } from '../../domain/reminders/list-notifications.js';
import { listEscalationContacts, setEscalationContacts } from '../../domain/reminders/escalation-contacts.js';
import { requireAuth, requirePermission } from '../http/auth.js';
import { objectId, validate } from '../http/validate.js';
import type { AppContext } from '../context.js';

const idParams = Joi.object({ id: objectId().required() });
const page = {
  limit: Joi.number().integer().min(1).max(200).default(50),
  offset: Joi.number().integer().min(0).max(100_000).default(0),
};

/** A comma-separated list of allowed values (`?status=failed,sending`). */
const statusList = (allowed: readonly string[]) =>
  Joi.string()
    .max(100)
    .custom((v: string, helpers) => {
      const items = v.split(',').map((s) => s.trim()).filter(Boolean);
      const bad = items.find((i) => !allowed.includes(i));
      return bad ? helpers.message({ custom: `{{#label}} has '${bad}'; allowed: ${allowed.join(', ')}` }) : items;
    });

export const listDeliveriesQuery = Joi.object({ status: statusList(DELIVERY_STATUSES), deadlineId: objectId(), agreementId: objectId(), ...page });

export const listWebhookEventsQuery = Joi.object({ status: statusList(WEBHOOK_EVENT_STATUSES), ...page });

/** Reminder administration, the webhook outbox, pausing per agreement, and each user's in-app notifications. */
export function remindersRouter(ctx: AppContext): Router {
  const router = Router();
  const auth = requireAuth(ctx);
  const admin = [auth, requirePermission('administer')];

  // Runs a sweep now and answers when it is done (waiting for another instance's sweep if one is running).
  router.post('/reminders/sweep', ...admin, async (_req, res) => {
    res.json(await sweepReminders(ctx, { wait: true }));
  });

  router.get('/reminders', ...admin, validate({ query: listDeliveriesQuery }), async (req, res) => {
    res.json({ channels: reminderChannels(ctx), schedule: reminderSchedule(), ...(await listDeliveries(ctx, req.valid.query as any)) });
  });

  router.get('/webhooks/events', ...admin, validate({ query: listWebhookEventsQuery }), async (req, res) => {
    res.json(await listWebhookEvents(ctx, req.valid.query as any));
  });

  router.get('/reminders/deadline-failures', ...admin, validate({ query: Joi.object(page) }), async (req, res) => {
    res.json(await listDeadlineFailures(ctx, req.valid.query as { limit: number; offset: number }));
  });

  router.get('/reminders/escalation', ...admin, async (_req, res) => {
    res.json({ items: await listEscalationContacts(ctx) });
  });

  router.put(
    '/reminders/escalation/:unit',
    ...admin,
    validate({
      params: Joi.object({ unit: Joi.string().trim().pattern(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$/).required() }),
      body: Joi.object({ emails: Joi.array().items(Joi.string().trim().lowercase().email({ tlds: false }).max(254)).max(20).required() }),
    }),
    async (req, res) => {
      res.json(await setEscalationContacts(ctx, req.actor, req.valid.params.unit, req.valid.body.emails));
    },
  );

  router.post('/agreements/:id/reminders/pause', auth, validate({ params: idParams }), async (req, res) => {
    res.json(await setRemindersPaused(ctx, req.actor, req.valid.params.id, true));
  });

  router.post('/agreements/:id/reminders/resume', auth, validate({ params: idParams }), async (req, res) => {
    res.json(await setRemindersPaused(ctx, req.actor, req.valid.params.id, false));
  });

  router.get('/me/notifications', auth, validate({ query: Joi.object({ unread: Joi.boolean(), ...page }) }), async (req, res) => {
    res.json(await listNotifications(ctx, req.actor, { unreadOnly: req.valid.query.unread, limit: req.valid.query.limit, offset: req.valid.query.offset }));
  });

  router.post('/me/notifications/:id/read', auth, validate({ params: idParams }), async (req, res) => {
    res.json(await markNotificationRead(ctx, req.actor, req.valid.params.id));
  });

  return router;
}
