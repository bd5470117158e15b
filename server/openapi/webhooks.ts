import { STAGES } from '../../workflows/index.js';
import { WEBHOOK_EVENT_STATUSES } from '../../models/webhook-event.js';
import { authErrors, bearer, json, ref, type OpenApiModule } from './types.js';

/** Webhooks the tracker posts to WEBHOOK_URL (OpenAPI 3.1 `webhooks`), and the admins' view of the outbox. */
export const tags = [{ name: 'webhooks', description: 'Signed events for integrators: stage changes, signatures, declines, new document versions, reminders' }];

const date = { type: 'string', format: 'date-time' };
const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });
const party = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'string' }, name: { type: 'string' } } };

/** The envelope every change event shares; `data` differs per type. */
const envelope = (type: string, data: Record<string, unknown>) => ({
  type: 'object',
  required: ['id', 'type', 'occurredAt', 'agreement', 'actor', 'data'],
  properties: {
    id: { type: 'string', format: 'uuid', description: 'the event id, also sent as X-Delivery-Id and the same on every retry: receivers drop repeats by it' },
    type: { const: type },
    occurredAt: date,
    agreement: ref('WebhookAgreement'),
    actor: { type: 'object', properties: { name: { type: 'string' }, role: { type: 'string' } } },
    data,
  },
});

export const schemas: OpenApiModule['schemas'] = {
  WebhookAgreement: {
    type: 'object',
    description: 'the agreement after the change',
    properties: {
      id: { type: 'string' },
      code: { type: 'string' },
      title: { type: 'object', properties: { id: { type: 'string' }, en: { type: 'string' } } },
      stage: { type: 'string', enum: [...STAGES] },
      version: { type: 'integer' },
    },
  },
  StageChangedEvent: envelope('agreement.stage_changed', {
    type: 'object',
    properties: {
      from: { type: 'string', enum: [...STAGES] },
      to: { type: 'string', enum: [...STAGES] },
      trigger: { type: 'string', description: "'manual', 'signature', 'link', …" },
      note: nullable({ type: 'string' }),
    },
  }),
  SignatureRecordedEvent: envelope('agreement.signature_recorded', {
    type: 'object',
    properties: {
      party,
      signedAt: date,
      place: nullable({ type: 'string' }),
      method: { type: 'string', enum: ['wet_ink', 'electronic'] },
      witnesses: { type: 'array', items: { type: 'string' } },
      onBehalf: { type: 'boolean' },
      allSigned: { type: 'boolean', description: 'the last signature: the agreement is signed (a stage_changed event follows)' },
    },
  }),
  SignatureDeclinedEvent: envelope('agreement.signature_declined', {
    type: 'object',
    properties: { party, reason: { type: 'string' }, outcome: { type: 'string', enum: ['reopen', 'on_hold'] } },
  }),
  DocumentVersionAddedEvent: envelope('document.version_added', {
    type: 'object',
    properties: {
      document: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          kind: { type: 'string' },
          language: { type: 'string' },
          version: { type: 'integer' },
          fileName: { type: 'string' },
          sha256: { type: 'string' },
          size: { type: 'integer' },
          pages: { type: 'integer' },
        },
      },
      reopened: { type: 'boolean', description: 'the upload moved the agreement back to change its text (a stage_changed event precedes it)' },
    },
  }),
  DeadlineReminderEvent: {
    type: 'object',
    required: ['event', 'slot', 'deadline', 'agreement', 'subject', 'deliveryKey'],
    properties: {
      event: { const: 'deadline.reminder' },
      slot: { type: 'string', description: "'before-7', 'on-the-day', 'overdue-2', …" },
      escalation: { type: 'boolean' },
      deadline: { type: 'object' },
      agreement: { type: 'object' },
      subject: { type: 'string' },
      link: { type: 'string' },
      deliveryKey: { type: 'string', description: 'also X-Delivery-Id; the same on every retry' },
      recipients: { type: 'array', items: { type: 'string' } },
    },
  },
  WebhookEvent: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      eventId: { type: 'string' },
      type: { type: 'string' },
      agreement: ref('AgreementLabel'),
      status: { type: 'string', enum: [...WEBHOOK_EVENT_STATUSES] },
      attempts: { type: 'integer' },
      maxAttempts: { type: 'integer' },
      nextAttemptAt: nullable(date),
      lastError: nullable({ type: 'string' }),
      sentAt: nullable(date),
      failedAt: nullable(date),
      attemptLog: { type: 'array', items: { type: 'object' } },
      createdAt: date,
    },
  },
};

const signed = {
  parameters: [
    { name: 'X-Signature-SHA256', in: 'header', required: true, description: '`sha256=<hex HMAC-SHA256 of the raw body with WEBHOOK_SECRET>`', schema: { type: 'string' } },
    { name: 'X-Delivery-Id', in: 'header', required: true, description: 'the event id (or the reminder delivery key): the same on every retry', schema: { type: 'string' } },
  ],
  responses: { '2XX': { description: 'Received. Anything else (or no answer within 10 s) is retried after 1, 2, 4 and 8 minutes; after the fifth attempt the event is failed and listed for admins.' } },
};
const hook = (operationId: string, summary: string, schema: string) => ({
  post: { operationId, tags: ['webhooks'], summary, requestBody: { required: true, content: { 'application/json': { schema: ref(schema) } } }, ...signed },
});

/** OpenAPI 3.1 `webhooks`: what the tracker posts to WEBHOOK_URL. */
export const webhooks: Record<string, unknown> = {
  'agreement.stage_changed': hook('onAgreementStageChanged', 'An agreement changed stage (by hand, by a signature, by a link or an upload that reopened its text)', 'StageChangedEvent'),
  'agreement.signature_recorded': hook('onSignatureRecorded', "A party's signature was recorded", 'SignatureRecordedEvent'),
  'agreement.signature_declined': hook('onSignatureDeclined', 'A party declined to sign', 'SignatureDeclinedEvent'),
  'document.version_added': hook('onDocumentVersionAdded', 'A new version of a document was uploaded', 'DocumentVersionAddedEvent'),
  'deadline.reminder': hook('onDeadlineReminder', 'A deadline reminder (each rung of the ladder, as the e-mail)', 'DeadlineReminderEvent'),
};

export const paths: OpenApiModule['paths'] = {
  '/api/webhooks/events': {
    get: {
      operationId: 'listWebhookEvents',
      tags: ['webhooks'],
      summary: 'Admin: the webhook outbox (change events), newest first, with each attempt (?status=failed)',
      security: bearer,
      parameters: [
        { name: 'status', in: 'query', schema: { type: 'string' }, description: `comma-separated: ${WEBHOOK_EVENT_STATUSES.join(', ')}` },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
      ],
      responses: {
        '200': json('Events', { type: 'object', properties: { configured: { type: 'boolean' }, items: { type: 'array', items: ref('WebhookEvent') }, total: { type: 'integer' } } }),
        ...authErrors,
        '422': json('Validation failed', ref('Error')),
      },
    },
  },
};
