import { json, type OpenApiModule } from './types.js';

/** Shapes shared by every area, and the health endpoints. */
export const schemas: OpenApiModule['schemas'] = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: {
            type: 'string',
            enum: [
              'bad_request', 'validation_failed', 'unauthenticated', 'forbidden', 'not_found', 'version_conflict', 'invalid_state',
              'duplicate', 'unprocessable', 'payload_too_large', 'unsupported_media_type', 'too_many_requests',
              'range_not_satisfiable', 'headers_too_large', 'request_timeout', 'unavailable', 'internal',
            ],
          },
          message: { type: 'string', description: 'English / Indonesian' },
          details: {
            description: 'for validation_failed: a list of { field, message, type }; for other codes an object saying more (e.g. currentVersion, unmet)',
            anyOf: [{ type: 'array', items: { $ref: '#/components/schemas/ValidationDetail' } }, { type: 'object' }],
          },
        },
      },
    },
  },
  ValidationDetail: {
    type: 'object',
    properties: {
      field: { type: 'string', description: 'dotted path of the field, e.g. title.id or parties.1.name; file for an upload\'s file name' },
      message: { type: 'string', description: "English / Indonesian, e.g. 'year' must be less than or equal to 2100 / 'year' harus kurang dari atau sama dengan 2100" },
      type: { type: 'string', description: 'e.g. any.required, string.unicode (not well-formed text), string.pattern.invert.name (control characters), string.bidiOverride (U+202D or U+202E, which show a text differently from what is stored), date.min / date.max (outside 1945-01-01..2200-12-31)' },
    },
  },
};

/** Every request passes the JSON body parser first, so even a GET can be answered 400 (or 413) for its body. */
const malformed = json('A body that is not valid JSON (or not the encoding it claims)', { $ref: '#/components/schemas/Error' });

export const paths: OpenApiModule['paths'] = {
  '/healthz': {
    get: { operationId: 'getLiveness', tags: ['meta'], summary: 'Liveness: the process is up', security: [], responses: { '200': json('Up', { type: 'object' }), '400': malformed } },
  },
  '/readyz': {
    get: {
      operationId: 'getReadiness', tags: ['meta'],
      summary: 'Readiness: the database answers (and which backend it is), and which reminder channels deliver',
      security: [],
      responses: {
        '200': json('Ready', {
          type: 'object',
          properties: {
            status: { const: 'ready' },
            database: { type: 'object', properties: { backend: { type: 'string' }, name: { type: 'string' }, pingMs: { type: 'number' } } },
            reminders: {
              type: 'object',
              description: "which reminder channels deliver: email 'smtp' (sent) or 'log' (no SMTP_HOST: only logged and listed in-app)",
              properties: { email: { type: 'string', enum: ['smtp', 'log'] }, webhook: { type: 'boolean' }, inApp: { type: 'boolean' }, sweepScheduled: { type: 'boolean' } },
            },
          },
        }),
        '400': malformed,
        '503': json('Database not answering', { $ref: '#/components/schemas/Error' }),
      },
    },
  },
  '/api/openapi.json': {
    get: {
      operationId: 'getOpenApiDocument', tags: ['meta'],
      summary: 'This document',
      security: [],
      responses: { '200': json('OpenAPI 3.1 document', { type: 'object' }), '400': malformed },
    },
  },
};

export const tags = [{ name: 'meta', description: 'The API description itself' }];

