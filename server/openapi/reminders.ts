import { DEADLINE_KINDS, DEADLINE_STATUSES } from '../../models/deadline.js';
import { DELIVERY_STATUSES } from '../../models/reminder-delivery.js';
import { REMINDER_SCHEDULE_LIMITS as LIMITS } from '../../workflows/reminder-policy.js';
import { authErrors, bearer, errorResponse, idParam, json, ref, type OpenApiModule } from './types.js';

/** The deadlines and reminders area (server/routes/deadlines.ts, reminders.ts, calendar.ts). */
export const tags = [
  { name: 'deadlines', description: 'Deadlines of agreements, in working days (Asia/Jakarta) and mission time zones' },
  { name: 'reminders', description: 'Reminder sweeps, deliveries, pausing, escalation, in-app notifications' },
  { name: 'calendar', description: 'iCalendar feeds' },
];

const date = { type: 'string', format: 'date-time' };
const bilingual = { type: 'object', properties: { id: { type: 'string', description: 'Indonesian' }, en: { type: 'string', description: 'English' } } };
const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });
const tz = { type: 'string', description: 'IANA time zone, e.g. Asia/Jakarta, Asia/Riyadh, Europe/London (Asia/Jakarta when absent)' };
const recipient = { anyOf: [{ type: 'string', format: 'email' }, { type: 'object', required: ['email'], properties: { email: { type: 'string', format: 'email' }, name: { type: 'string' } } }] };
const page = [
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
  { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
];
const validation = errorResponse('Validation failed: details name each bad field (dates outside 1945-01-01..2200-12-31; recipients.N with an account that may not see a confidential agreement)');
const notFound = errorResponse('Unknown id, or an agreement the caller may not see');
const ics = { description: 'iCalendar (RFC 5545)', content: { 'text/calendar': { schema: { type: 'string' } } } };

export const schemas: OpenApiModule['schemas'] = {
  AgreementLabel: {
    type: 'object',
    description: 'The agreement a row belongs to, as people name it (code and title in both languages; null only if the agreement is gone)',
    properties: { id: { type: 'string' }, code: nullable({ type: 'string' }), title: nullable(bilingual), stage: nullable({ type: 'string' }) },
  },
  Deadline: {
    type: 'object',
    required: ['id', 'agreementId', 'kind', 'dueAt', 'timezone', 'status', 'recipients'],
    properties: {
      id: { type: 'string' },
      agreementId: { type: 'string' },
      agreement: ref('AgreementLabel'),
      kind: { type: 'string', enum: [...DEADLINE_KINDS] },
      stage: nullable({ type: 'string' }),
      partyId: nullable({ type: 'string' }),
      partyName: nullable({ type: 'string', description: 'signing_due: the name of the party that must sign, as the agreement names it now' }),
      note: nullable({ type: 'string' }),
      dueAt: date,
      timezone: tz,
      dueLocal: { type: 'string', description: "the due time read in the deadline's zone, e.g. '2026-04-02 09:00 (Europe/London, GMT+1)'" },
      dueJakarta: { type: 'string' },
      recipients: { type: 'array', items: { type: 'object', properties: { email: { type: 'string' }, name: { type: 'string' }, userId: { type: 'string' } } } },
      status: { type: 'string', enum: [...DEADLINE_STATUSES] },
      closedAt: nullable(date),
      nextReminderAt: nullable(date),
      nextSlot: nullable({ type: 'string', description: "e.g. 'before-7', 'on-the-day', 'overdue-2'" }),
      deliveredSlots: { type: 'array', items: { type: 'string' } },
      paused: { type: 'boolean' },
      source: { type: 'string', enum: ['auto', 'manual'] },
      createdAt: date,
      updatedAt: date,
      version: { type: 'integer' },
    },
  },
  DeadlineInput: {
    type: 'object',
    required: ['kind', 'dueAt'],
    properties: {
      kind: { type: 'string', enum: [...DEADLINE_KINDS] },
      dueAt: date,
      timezone: tz,
      recipients: { type: 'array', items: recipient, description: "when empty: the party's signatory (signing_due) or the creator" },
      partyId: { type: 'string', description: 'signing_due: the party that must sign' },
      note: { type: 'string' },
    },
  },
  DeadlinePatch: {
    type: 'object',
    minProperties: 1,
    properties: {
      dueAt: date,
      timezone: tz,
      recipients: { type: 'array', items: recipient },
      status: { type: 'string', enum: [...DEADLINE_STATUSES] },
      note: nullable({ type: 'string' }),
      version: { type: 'integer', description: 'apply only to this version (409 otherwise)' },
    },
  },
  SweepResult: {
    type: 'object',
    properties: {
      ran: { type: 'boolean' },
      skipped: { type: 'string' },
      deadlinesSeen: { type: 'integer' },
      remindersRecorded: { type: 'integer' },
      deliveriesCreated: { type: 'integer' },
      deadlinesFailed: { type: 'integer', description: 'deadlines this sweep could not handle: skipped, listed by GET /api/reminders/deadline-failures' },
      attempted: { type: 'integer' },
      sent: { type: 'integer', description: 'accepted by the SMTP server or the webhook (2xx)' },
      logged: { type: 'integer', description: 'e-mails only written to the log and the in-app list: no SMTP_HOST configured' },
      retrying: { type: 'integer' },
      failed: { type: 'integer' },
      webhookEvents: {
        type: 'object',
        description: 'webhook change events due for a retry, posted by this sweep',
        properties: { attempted: { type: 'integer' }, sent: { type: 'integer' }, retrying: { type: 'integer' }, failed: { type: 'integer' } },
      },
      startedAt: date,
      durationMs: { type: 'integer' },
    },
  },
  ReminderChannels: {
    type: 'object',
    description: "Which reminder channels deliver in this instance. Without SMTP_HOST, e-mail is 'log': reminders are only logged and listed in-app, and their deliveries say 'logged', never 'sent'.",
    properties: {
      email: { type: 'object', properties: { live: { type: 'boolean' }, transport: { type: 'string', enum: ['smtp', 'log'] }, note: bilingual } },
      webhook: { type: 'object', properties: { live: { type: 'boolean' }, note: bilingual } },
      inApp: { type: 'object', properties: { live: { const: true } } },
      sweep: { type: 'object', properties: { scheduled: { type: 'boolean' }, cron: { type: 'string' } } },
    },
  },
  ReminderSchedule: {
    type: 'object',
    description: "When reminders go out: the administrator's setting (PUT /api/reminders/schedule), or the shipped schedule (workflows/reminder-policy.ts) when none was saved. How a failed delivery is retried is not part of it.",
    required: ['daysBefore', 'onTheDay', 'sendAtLocalTime', 'overdueFirstAfterWorkingDays', 'overdueEveryWorkingDays', 'overdueMaxReminders', 'escalateFromOverdueReminder'],
    additionalProperties: false,
    properties: {
      daysBefore: {
        type: 'array', uniqueItems: true, maxItems: LIMITS.daysBefore.maxCount,
        items: { type: 'integer', minimum: LIMITS.daysBefore.min, maximum: LIMITS.daysBefore.max },
        description: 'calendar days before the due time, at the same local time (answered furthest first; empty: no reminder before the due date)',
      },
      onTheDay: { type: 'boolean', description: 'a reminder on the due date itself' },
      sendAtLocalTime: { type: 'string', pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: "HH:MM in the deadline's zone, for the on-the-day and overdue reminders" },
      overdueFirstAfterWorkingDays: { type: 'integer', minimum: LIMITS.overdueFirstAfterWorkingDays.min, maximum: LIMITS.overdueFirstAfterWorkingDays.max },
      overdueEveryWorkingDays: { type: 'integer', minimum: LIMITS.overdueEveryWorkingDays.min, maximum: LIMITS.overdueEveryWorkingDays.max },
      overdueMaxReminders: { type: 'integer', minimum: LIMITS.overdueMaxReminders.min, maximum: LIMITS.overdueMaxReminders.max, description: '0: no overdue reminders' },
      escalateFromOverdueReminder: {
        type: 'integer', minimum: LIMITS.escalateFromOverdueReminder.min, maximum: LIMITS.escalateFromOverdueReminder.max,
        description: "from this overdue reminder on (1-based) the lead unit's escalation addresses, or the active admins, receive it too; 0: no escalation. At most overdueMaxReminders",
      },
    },
  },
  ReminderScheduleChange: {
    type: 'object',
    description: 'One change of the reminder schedule: who, when, the schedule before and after, and how many open deadlines moved onto it',
    properties: {
      at: date,
      by: { type: 'object', properties: { name: { type: 'string' }, email: { type: 'string' } } },
      before: ref('ReminderSchedule'),
      after: ref('ReminderSchedule'),
      changed: { type: 'array', items: { type: 'string' }, description: 'the fields whose value differs (empty: the schedule was already in force, nothing was changed or recorded)' },
      deadlinesRescheduled: { type: 'integer', description: 'open deadlines moved onto this schedule: in the answer of PUT, those its own pass moved; in the list of changes, also those a later sweep moved for it' },
    },
  },
  ReminderDelivery: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      key: { type: 'string', description: 'deadline:dueTime:slot:channel:recipient (unique)' },
      deadlineId: { type: 'string' },
      agreementId: { type: 'string' },
      agreement: ref('AgreementLabel'),
      slot: { type: 'string' },
      channel: { type: 'string', enum: ['email', 'webhook'] },
      recipient: { type: 'string' },
      escalation: { type: 'boolean' },
      status: { type: 'string', enum: [...DELIVERY_STATUSES], description: "'sent' only when a transport accepted it; 'logged' when no SMTP server is configured (nothing was sent)" },
      attempts: { type: 'integer' },
      maxAttempts: { type: 'integer' },
      nextAttemptAt: nullable(date),
      lastError: nullable({ type: 'string' }),
      lastErrorText: nullable({ ...bilingual, description: "lastError in both languages when the service itself gave the reason (a recipient withheld); null for a mail server's or receiver's own words" }),
      sentAt: nullable(date),
      failedAt: nullable(date),
      attemptLog: { type: 'array', items: { type: 'object', properties: { at: date, ok: { type: 'boolean' }, durationMs: { type: 'integer' }, transport: { type: 'string' }, code: nullable({ type: 'integer' }), error: nullable({ type: 'string' }) } } },
      createdAt: date,
    },
  },
  Notification: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      deadlineId: { type: 'string' },
      agreementId: { type: 'string' },
      agreement: ref('AgreementLabel'),
      slot: { type: 'string' },
      escalation: { type: 'boolean' },
      subject: { type: 'string' },
      text: { type: 'string' },
      link: { type: 'string' },
      dueAt: date,
      timezone: { type: 'string' },
      createdAt: date,
      readAt: nullable(date),
    },
  },
  Holiday: {
    type: 'object',
    properties: {
      date: { type: 'string', format: 'date' },
      kind: { type: 'string', enum: ['holiday', 'collective_leave'] },
      name: { type: 'object', properties: { id: { type: 'string' }, en: { type: 'string' } } },
      source: { type: 'string', enum: ['file', 'admin'] },
      provisional: { type: 'boolean' },
    },
  },
};

const list = (item: string, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties: { items: { type: 'array', items: ref(item) }, total: { type: 'integer' }, ...extra },
});

export const paths: OpenApiModule['paths'] = {
  '/api/agreements/{id}/deadlines': {
    get: {
      operationId: 'listAgreementDeadlines', tags: ['deadlines'],
      summary: "An agreement's deadlines, soonest first",
      security: bearer,
      parameters: [idParam()],
      responses: { '200': json('Deadlines', { type: 'object', properties: { items: { type: 'array', items: ref('Deadline') } } }), ...authErrors, '404': notFound },
    },
    post: {
      operationId: 'createDeadline', tags: ['deadlines'],
      summary: 'Record a deadline (admin, drafter, diplomat); its first reminder is scheduled',
      security: bearer,
      parameters: [idParam()],
      requestBody: { required: true, content: { 'application/json': { schema: ref('DeadlineInput') } } },
      responses: { '201': json('Created', ref('Deadline')), ...authErrors, '404': notFound, '422': validation },
    },
  },
  '/api/deadlines': {
    get: {
      operationId: 'listDeadlines', tags: ['deadlines'],
      summary: 'Deadlines across agreements (confidential ones of other units left out)',
      security: bearer,
      parameters: [
        { name: 'dueBefore', in: 'query', schema: date },
        { name: 'dueAfter', in: 'query', schema: date },
        { name: 'status', in: 'query', schema: { type: 'string' }, description: `comma-separated: ${DEADLINE_STATUSES.join(', ')}` },
        { name: 'kind', in: 'query', schema: { type: 'string' }, description: `comma-separated: ${DEADLINE_KINDS.join(', ')}` },
        { name: 'person', in: 'query', schema: { type: 'string', format: 'email' }, description: 'a recipient' },
        { name: 'agreementId', in: 'query', schema: { type: 'string' } },
        ...page,
      ],
      responses: {
        '200': json('Deadlines, each with its agreement (id, code, title, stage) for calendars', {
          type: 'object',
          properties: {
            items: {
              type: 'array',
              items: {
                allOf: [
                  ref('Deadline'),
                  { type: 'object', properties: { agreement: { type: 'object', properties: { id: { type: 'string' }, code: { type: 'string' }, title: { type: 'object' }, stage: { type: 'string' } } } } },
                ],
              },
            },
            total: { type: 'integer' },
          },
        }),
        ...authErrors,
        '422': validation,
      },
    },
  },
  '/api/deadlines/{id}': {
    patch: {
      operationId: 'updateDeadline', tags: ['deadlines'],
      summary: 'Move, re-address, close or reopen a deadline (a new due time starts a new reminder ladder)',
      security: bearer,
      parameters: [idParam()],
      requestBody: { required: true, content: { 'application/json': { schema: ref('DeadlinePatch') } } },
      responses: { '200': json('Updated', ref('Deadline')), ...authErrors, '404': notFound, '409': errorResponse('Version conflict'), '422': validation },
    },
  },
  '/api/holidays': {
    get: {
      operationId: 'listHolidays', tags: ['deadlines'],
      summary: 'Non-working days of a year (shipped SKB file merged with admin entries)',
      security: bearer,
      parameters: [{ name: 'year', in: 'query', required: true, schema: { type: 'integer' } }],
      responses: { '200': json('Holidays', { type: 'object', properties: { year: { type: 'integer' }, official: { type: 'boolean' }, source: nullable({ type: 'string' }), days: { type: 'array', items: ref('Holiday') }, removed: { type: 'array', description: 'Shipped days an admin removed (adding one back as shipped restores it)', items: ref('Holiday') } } }), ...authErrors, '422': validation },
    },
    post: {
      operationId: 'putHoliday', tags: ['deadlines'],
      summary: 'Admin: add or replace a holiday or collective leave day',
      security: bearer,
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['date', 'name'], properties: { date: { type: 'string', format: 'date' }, kind: { type: 'string', enum: ['holiday', 'collective_leave'] }, name: { type: 'object', properties: { id: { type: 'string' }, en: { type: 'string' } } } } } } } },
      responses: { '201': json('Added', ref('Holiday')), ...authErrors, '422': validation },
    },
  },
  '/api/holidays/{date}': {
    delete: {
      operationId: 'deleteHoliday', tags: ['deadlines'],
      summary: 'Admin: make a date a working day again',
      security: bearer,
      parameters: [{ name: 'date', in: 'path', required: true, schema: { type: 'string', format: 'date' } }],
      responses: { '200': json('Removed', { type: 'object' }), ...authErrors, '404': errorResponse('No such holiday') },
    },
  },
  '/api/reminders/sweep': {
    post: {
      operationId: 'runReminderSweep', tags: ['reminders'],
      summary: 'Admin: run a reminder sweep now; answers when it is done, with counts',
      security: bearer,
      responses: { '200': json('Sweep finished', ref('SweepResult')), ...authErrors },
    },
  },
  '/api/reminders': {
    get: {
      operationId: 'listDeliveries', tags: ['reminders'],
      summary: 'Admin: deliveries with status, attempts and each attempt (failed ones: ?status=failed)',
      security: bearer,
      parameters: [
        { name: 'status', in: 'query', schema: { type: 'string' }, description: `comma-separated: ${DELIVERY_STATUSES.join(', ')}` },
        { name: 'deadlineId', in: 'query', schema: { type: 'string' } },
        { name: 'agreementId', in: 'query', schema: { type: 'string' } },
        ...page,
      ],
      responses: { '200': json('Deliveries, which channels deliver in this instance, and when reminders go out', list('ReminderDelivery', { channels: ref('ReminderChannels'), schedule: ref('ReminderSchedule') })), ...authErrors, '422': validation },
    },
  },
  '/api/reminders/deadline-failures': {
    get: {
      operationId: 'listDeadlineFailures',
      tags: ['reminders'],
      summary: 'Admin: deadlines a reminder sweep could not handle (e.g. a legacy row with an impossible date): skipped, and no reminder scheduled until edited',
      security: bearer,
      parameters: page,
      responses: {
        '200': json('Failed deadlines, newest failure first', {
          type: 'object',
          properties: {
            total: { type: 'integer' },
            items: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  deadlineId: { type: 'string' }, agreementId: { type: 'string' }, kind: { type: 'string' }, status: { type: 'string' },
                  dueAt: { type: 'string', description: 'as stored, even when it is not a usable date' }, timezone: { type: 'string' },
                  failedAt: date, error: { type: 'string' },
                },
              },
            },
          },
        }),
        ...authErrors,
        '422': validation,
      },
    },
  },
  '/api/reminders/schedule': {
    get: {
      operationId: 'getReminderSchedule', tags: ['reminders'],
      summary: 'Admin: when reminders go out, the shipped schedule, and the latest changes',
      security: bearer,
      responses: {
        '200': json('The schedule in force', {
          type: 'object',
          properties: { schedule: ref('ReminderSchedule'), defaults: ref('ReminderSchedule'), isDefault: { type: 'boolean' }, changes: { type: 'array', items: ref('ReminderScheduleChange'), description: 'newest first, the latest 10' } },
        }),
        ...authErrors,
      },
    },
    put: {
      operationId: 'setReminderSchedule', tags: ['reminders'],
      summary: "Admin: set when reminders go out (every field; the defaults' values restore the defaults). The schedule and its new version are saved in one transaction; then every open, unpaused deadline's next reminder is computed again, in batches (a sweep finishes what an interrupted change left, and plans again any deadline still behind before sending from it); reminders already delivered are not sent again, and rungs the new schedule puts before now count as given",
      security: bearer,
      requestBody: { required: true, content: { 'application/json': { schema: ref('ReminderSchedule') } } },
      responses: { '200': json('What changed', ref('ReminderScheduleChange')), ...authErrors, '422': errorResponse('Validation failed: details name each bad field, in English and Indonesian; nothing is changed') },
    },
  },
  '/api/reminders/escalation': {
    get: {
      operationId: 'listEscalationContacts', tags: ['reminders'],
      summary: 'Admin: where overdue work of each unit escalates to',
      security: bearer,
      responses: { '200': json('Contacts', { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { unit: { type: 'string' }, emails: { type: 'array', items: { type: 'string' } } } } } } }), ...authErrors },
    },
  },
  '/api/reminders/escalation/{unit}': {
    put: {
      operationId: 'setEscalationContacts', tags: ['reminders'],
      summary: "Admin: set the unit head's addresses (empty list: escalate to admins)",
      security: bearer,
      parameters: [{ name: 'unit', in: 'path', required: true, description: "The lead unit; typed in another case ('pwni') it is saved under the spelling its agreements have ('PWNI'), which the answer's unit gives", schema: { type: 'string' } }],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['emails'], properties: { emails: { type: 'array', items: { type: 'string', format: 'email' } } } } } } },
      responses: { '200': json('Saved', { type: 'object' }), ...authErrors, '422': validation },
    },
  },
  '/api/agreements/{id}/reminders/pause': {
    post: {
      operationId: 'pauseReminders', tags: ['reminders'],
      summary: "Pause every reminder of the agreement",
      security: bearer,
      parameters: [idParam()],
      responses: { '200': json('Paused', { type: 'object', properties: { agreementId: { type: 'string' }, remindersPaused: { type: 'boolean' }, deadlines: { type: 'integer' } } }), ...authErrors, '404': notFound },
    },
  },
  '/api/agreements/{id}/reminders/resume': {
    post: {
      operationId: 'resumeReminders', tags: ['reminders'],
      summary: 'Resume reminders (each deadline gets only its latest missed reminder)',
      security: bearer,
      parameters: [idParam()],
      responses: { '200': json('Resumed', { type: 'object' }), ...authErrors, '404': notFound },
    },
  },
  '/api/me/notifications': {
    get: {
      operationId: 'listMyNotifications', tags: ['reminders'],
      summary: "The caller's in-app reminders, newest first (also when no SMTP server is configured)",
      security: bearer,
      parameters: [{ name: 'unread', in: 'query', schema: { type: 'boolean' } }, ...page],
      responses: { '200': json('Notifications', list('Notification', { unread: { type: 'integer' } })), ...authErrors },
    },
  },
  '/api/me/notifications/{id}/read': {
    post: {
      operationId: 'markNotificationRead', tags: ['reminders'],
      summary: 'Mark one of the caller’s notifications read',
      security: bearer,
      parameters: [idParam()],
      responses: { '200': json('Read', { type: 'object' }), ...authErrors, '404': errorResponse('Not found') },
    },
  },
  '/api/me/calendar-token': {
    get: {
      operationId: 'getCalendarTokenStatus', tags: ['calendar'],
      summary: 'Whether the caller has a calendar URL, when it was made and last read (the URL itself is shown only when issued)',
      security: bearer,
      responses: {
        '200': json('Status', { type: 'object', required: ['exists', 'createdAt', 'lastUsedAt'], properties: { exists: { type: 'boolean' }, createdAt: { anyOf: [date, { type: 'null' }] }, lastUsedAt: { anyOf: [date, { type: 'null' }] } } }),
        ...authErrors,
      },
    },
    post: {
      operationId: 'issueCalendarToken', tags: ['calendar'],
      summary: 'Issue or rotate the caller’s secret calendar URL (the old one stops working)',
      security: bearer,
      responses: { '201': json('Issued', { type: 'object', properties: { token: { type: 'string' }, url: { type: 'string' }, createdAt: date } }), ...authErrors },
    },
    delete: {
      operationId: 'revokeCalendarToken', tags: ['calendar'],
      summary: 'Revoke the caller’s calendar URL',
      security: bearer,
      responses: { '200': json('Revoked', { type: 'object', properties: { revoked: { type: 'boolean' } } }), ...authErrors },
    },
  },
  '/api/calendar/{token}.ics': {
    get: {
      operationId: 'getPersonalCalendar', tags: ['calendar'],
      summary: 'Personal deadline feed; the secret token in the URL is the credential (no bearer)',
      security: [],
      parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '200': ics, '404': errorResponse('Unknown or revoked token') },
    },
  },
  '/api/agreements/{id}/calendar.ics': {
    get: {
      operationId: 'getAgreementCalendar', tags: ['calendar'],
      summary: "One agreement's deadlines as iCalendar",
      security: bearer,
      parameters: [idParam()],
      responses: { '200': ics, ...authErrors, '404': notFound },
    },
  },
};
