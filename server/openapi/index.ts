import type { Config } from '../../lib/config.js';
import { errorResponse, type OpenApiModule } from './types.js';

const TEXT_REFUSED = 'A query parameter or body field is not well-formed Unicode (a lone surrogate, or bytes that are not UTF-8): details name it';
import * as common from './common.js';
import * as accounts from './accounts.js';
import * as agreements from './agreements.js';
import * as reminders from './reminders.js';
import * as documents from './documents.js';
import * as reports from './reports.js';
import * as webhooks from './webhooks.js';

/**
 * One module per area; adding an area is one import and one entry here. A test walks the
 * Express router and fails when a route under /api is missing from the merged paths.
 */
const modules: Record<string, OpenApiModule> = { common, accounts, agreements, reminders, documents, reports, webhooks };

/** Assembles the OpenAPI 3.1 document. Two modules declaring the same path or schema is a mistake, so it throws. */
export function buildOpenApiDocument(config: Pick<Config, 'publicUrl'>): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = {};
  const tags: Array<{ name: string; description?: string }> = [];
  for (const [area, mod] of Object.entries(modules)) {
    for (const [p, item] of Object.entries(mod.paths)) {
      for (const method of Object.keys(item)) {
        if (paths[p]?.[method]) throw new Error(`OpenAPI: ${method.toUpperCase()} ${p} declared twice (area ${area})`);
      }
      paths[p] = { ...paths[p], ...item };
    }
    for (const [name, schema] of Object.entries(mod.schemas)) {
      if (name in schemas) throw new Error(`OpenAPI: schema ${name} declared twice (area ${area})`);
      schemas[name] = schema;
    }
    for (const tag of mod.tags ?? []) if (!tags.some((t) => t.name === tag.name)) tags.push(tag);
  }
  // The edge checks the text of every request (server/http/text-input.ts), so any operation can answer it.
  for (const item of Object.values(paths)) {
    for (const operation of Object.values(item) as Array<{ responses?: Record<string, unknown> }>) {
      if (operation.responses && !operation.responses['422']) operation.responses['422'] = errorResponse(TEXT_REFUSED);
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'PWNI agreement tracker API',
      version: '0.1.0',
      description:
        'Agreements and MoUs of the Directorate for the Protection of Citizens Abroad: registry, stage workflow, ' +
        'per-party signing, tamper-evident history. Errors answer `{ error: { code, message, details } }`.\n\n' +
        'Refused with 422 `validation_failed`, each field named in `details`: text that is not well-formed Unicode ' +
        '(lone UTF-16 surrogates, bytes that are not UTF-8) in any body field, query parameter, form field or file name ' +
        '(`type: string.unicode`); control characters other than tab and newline in one-line fields: codes, titles, names, ' +
        'units, places, file names, search terms (`type: string.pattern.invert.name`); a bidirectional override (U+202D, U+202E) ' +
        'in any text a person types (`type: string.bidiOverride`); dates outside 1945-01-01..2200-12-31 ' +
        '(`type: date.min` / `date.max`). Text is stored in Unicode NFC.',
      contact: { name: 'Direktorat Pelindungan WNI, Kementerian Luar Negeri', url: config.publicUrl },
      // not open source: an SPDX LicenseRef names a licence of our own
      license: { name: 'Proprietary: Kementerian Luar Negeri Republik Indonesia', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: config.publicUrl }],
    tags,
    security: [{ bearerAuth: [] }],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    webhooks: webhooks.webhooks,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'The token from POST /api/auth/login' },
      },
      schemas,
    },
  };
}
