import { Router } from 'express';
import Joi from 'joi';
import { DELIVERY_STATUSES } from '../../models/reminder-delivery.js';
import { WEBHOOK_EVENT_STATUSES } from '../../models/webhook-event.js';
import { listWebhookEvents } from '../../domain/webhooks/list-webhook-events.js';
import { sweepReminders } from '../../domain/reminders/sweep-reminders.js';
import { listDeliveries } from '../../domain/reminders/list-deliveries.js';
import { listDeadlineFailures } from '../../domain/reminders/list-deadline-failures.js';
import { reminderChannels } from '../../domain/reminders/reminder-channels.js';
import { getReminderScheduleSettings, setReminderSchedule } from '../../domain/reminders/reminder-schedule.js';
import { loadReminderPolicy, reminderSchedule } from '../../domain/deadlines/schedule.js';
import { REMINDER_SCHEDULE_LIMITS as LIMITS } from '../../workflows/reminder-policy.js';
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

/** A whole number of working days within its limits, said in both languages whatever was wrong with it. */
const workingDays = ({ min, max }: { min: number; max: number }) =>
  Joi.number()
    .integer()
    .min(min)
    .max(max)
    .required()
    .messages({ '*': `{{#label}} must be a whole number of working days from ${min} to ${max} / {{#label}} harus berupa jumlah hari kerja yang bulat, dari ${min} sampai ${max}` });

/** When reminders go out, as an administrator sets it (PUT /api/reminders/schedule): every field, each checked on its own. */
export const reminderScheduleBody = Joi.object({
  daysBefore: Joi.array()
    .items(
      Joi.number()
        .integer()
        .min(LIMITS.daysBefore.min)
        .max(LIMITS.daysBefore.max)
        .messages({ '*': `{{#label}} must be a whole number of days from ${LIMITS.daysBefore.min} to ${LIMITS.daysBefore.max} / {{#label}} harus berupa jumlah hari yang bulat, dari ${LIMITS.daysBefore.min} sampai ${LIMITS.daysBefore.max}` }),
    )
    .unique()
    .max(LIMITS.daysBefore.maxCount)
    .required()
    .messages({
      'array.base': '{{#label}} must be a list of days, e.g. [14, 7, 3, 1] / {{#label}} harus berupa daftar hari, misalnya [14, 7, 3, 1]',
      'array.unique': '{{#label}} names the same day more than once / {{#label}} menyebut hari yang sama lebih dari sekali',
      'array.max': `{{#label}} may name at most ${LIMITS.daysBefore.maxCount} days / {{#label}} paling banyak berisi ${LIMITS.daysBefore.maxCount} hari`,
      'any.required': '{{#label}} is required (an empty list sends no reminder before the due date) / {{#label}} wajib diisi (daftar kosong berarti tidak ada pengingat sebelum tanggal tenggat)',
    }),
  onTheDay: Joi.boolean()
    .strict()
    .required()
    .messages({ '*': '{{#label}} must be true or false: whether a reminder goes out on the due date / {{#label}} harus true atau false: apakah pengingat dikirim pada hari tenggat' }),
  sendAtLocalTime: Joi.string()
    .pattern(/^([01]\d|2[0-3]):[0-5]\d$/)
    .required()
    .messages({ '*': '{{#label}} must be a time of day written HH:MM, from 00:00 to 23:59 / {{#label}} harus berupa jam yang ditulis JJ:MM, dari 00:00 sampai 23:59' }),
  overdueFirstAfterWorkingDays: workingDays(LIMITS.overdueFirstAfterWorkingDays),
  overdueEveryWorkingDays: workingDays(LIMITS.overdueEveryWorkingDays),
  overdueMaxReminders: Joi.number()
    .integer()
    .min(LIMITS.overdueMaxReminders.min)
    .max(LIMITS.overdueMaxReminders.max)
    .required()
    .messages({
      '*': `{{#label}} must be a whole number from ${LIMITS.overdueMaxReminders.min} (no overdue reminders) to ${LIMITS.overdueMaxReminders.max} / {{#label}} harus berupa bilangan bulat dari ${LIMITS.overdueMaxReminders.min} (tanpa pengingat keterlambatan) sampai ${LIMITS.overdueMaxReminders.max}`,
    }),
  // Escalating from a reminder that never goes out would read as escalation switched on while it is not.
  escalateFromOverdueReminder: Joi.number()
    .integer()
    .min(LIMITS.escalateFromOverdueReminder.min)
    .max(Joi.ref('overdueMaxReminders'))
    .required()
    .messages({
      '*': '{{#label}} must be 0 (never escalate) or the number of an overdue reminder that goes out, at most overdueMaxReminders / {{#label}} harus 0 (tanpa eskalasi) atau urutan pengingat keterlambatan yang memang dikirim, paling besar overdueMaxReminders',
    }),
})
  .required()
  .messages({ 'object.unknown': '{{#label}} is not part of the reminder schedule / {{#label}} bukan bagian dari jadwal pengingat' });

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
    const [policy, deliveries] = await Promise.all([loadReminderPolicy(ctx), listDeliveries(ctx, req.valid.query as any)]);
    res.json({ channels: reminderChannels(ctx), schedule: reminderSchedule(policy), ...deliveries });
  });

  router.get('/reminders/schedule', ...admin, async (_req, res) => {
    res.json(await getReminderScheduleSettings(ctx));
  });

  // Open deadlines move onto the new schedule in the same transaction; the answer says what changed.
  router.put('/reminders/schedule', ...admin, validate({ body: reminderScheduleBody }), async (req, res) => {
    res.json(await setReminderSchedule(ctx, req.actor, req.valid.body));
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
