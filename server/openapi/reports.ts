import { INSTRUMENT_TYPES } from '../../workflows/index.js';
import { authErrors, bearer, errorResponse, idParam, json, ref, type OpenApiModule } from './types.js';

/** Performance indices and reports (server/routes/reports.ts). */
export const tags = [
  { name: 'reports', description: 'Performance indices, the period summary and the annual report, computed from the history' },
];

const validation = errorResponse('Validation failed: details name each bad field');
const filters = [
  { name: 'index', in: 'query', schema: { type: 'string' }, description: 'only agreements attributed to this performance index (its code)' },
  { name: 'type', in: 'query', schema: { type: 'string', enum: [...INSTRUMENT_TYPES] } },
  { name: 'leadUnit', in: 'query', schema: { type: 'string' }, description: 'the lead unit, case-insensitive' },
];
const period = [
  { name: 'from', in: 'query', required: true, schema: { type: 'string', format: 'date' }, description: 'first day (Asia/Jakarta)' },
  { name: 'to', in: 'query', required: true, schema: { type: 'string', format: 'date' }, description: 'last day, included' },
];
const name = { type: 'object', required: ['id', 'en'], properties: { id: { type: 'string' }, en: { type: 'string' } } };
const counted = {
  type: 'object',
  properties: {
    total: { type: 'integer' },
    bilateral: { type: 'integer', description: 'international instruments between two states' },
    byType: { type: 'object', additionalProperties: { type: 'integer' } },
    byIndex: { type: 'object', additionalProperties: { type: 'integer' } },
    list: { type: 'array', items: { type: 'object', description: 'id, code, title, type, leadUnit, indices, date, place, bilateral, parties, signatories' } },
  },
};

export const schemas: OpenApiModule['schemas'] = {
  PerformanceIndex: {
    type: 'object',
    properties: {
      code: { type: 'string' },
      names: { type: 'array', items: { type: 'object', properties: { fromYear: { type: 'integer' }, id: { type: 'string' }, en: { type: 'string' } } }, description: 'the name from each year on' },
      fromYear: { type: 'integer' },
      retiredFromYear: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
      position: { type: 'integer' },
      version: { type: 'integer' },
    },
  },
  ReportSummary: {
    type: 'object',
    properties: {
      period: { type: 'object' },
      filters: { type: 'object' },
      signed: counted,
      enteredIntoForce: counted,
      expired: counted,
      terminated: counted,
      abandoned: counted,
      byStage: { type: 'array', items: { type: 'object', properties: { stage: { type: 'string' }, count: { type: 'integer' }, agreements: { type: 'array', items: { type: 'object' } } } }, description: 'what stood at each stage at the end of the period, from the history' },
      stagesOverTime: {
        type: 'array',
        description: 'how many stood at each stage at the end of each quarter in the period (year ends for a period over more than two calendar years, a dozen dates at most), the period’s end last',
        items: { type: 'object', properties: { at: { type: 'string', format: 'date' }, byStage: { type: 'array', items: { type: 'object', properties: { stage: { type: 'string' }, count: { type: 'integer' } } } } } },
      },
      stageDurations: { type: 'array', items: { type: 'object', description: 'type, stage, instances, medianWorkingDays, p90WorkingDays' } },
      stageDeadlines: { type: 'object', description: 'byStage and byLeadUnit: met, missed, onTimeShare' },
      signatures: { type: 'object', description: 'byParty (working days from awaiting signature to signing) and overdueAtEnd' },
      expiring: { type: 'array', items: { type: 'object' }, description: 'terms ending or renewal notices falling within 180 days after the period' },
    },
  },
};

export const paths: OpenApiModule['paths'] = {
  '/api/indices': {
    get: { operationId: 'listIndices', tags: ['reports'], summary: 'The performance indices, with their names per year', security: bearer, responses: { '200': json('Indices', { type: 'object', properties: { items: { type: 'array', items: ref('PerformanceIndex') } } }), ...authErrors } },
    post: {
      operationId: 'createIndex', tags: ['reports'],
      summary: 'Add an index (admin)',
      security: bearer,
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['code', 'name', 'fromYear'], properties: { code: { type: 'string' }, name, fromYear: { type: 'integer' }, position: { type: 'integer' } } } } } },
      responses: { '201': json('Created', ref('PerformanceIndex')), '409': errorResponse('The code is taken'), '422': validation, ...authErrors },
    },
  },
  '/api/indices/order': {
    put: {
      operationId: 'reorderIndices', tags: ['reports'],
      summary: 'Put the indices in an order, first to last: the order of the annual report\'s sections and of every list of indices (admin)',
      security: bearer,
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { type: 'object', required: ['codes'], properties: { codes: { type: 'array', items: { type: 'string' }, uniqueItems: true, description: 'every index\'s code, once' } } } } },
      },
      responses: {
        '200': json('The indices in their new order', { type: 'object', properties: { items: { type: 'array', items: ref('PerformanceIndex') } } }),
        '409': errorResponse('The codes do not name every index once (one was added or removed since the list was read)'),
        '422': validation,
        ...authErrors,
      },
    },
  },
  '/api/indices/{code}': {
    patch: {
      operationId: 'updateIndex', tags: ['reports'],
      summary: 'Rename an index from a year on, retire it from a year on, or reorder it (admin)',
      security: bearer,
      parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { type: 'object', required: ['version'], properties: { version: { type: 'integer' }, rename: { type: 'object', properties: { fromYear: { type: 'integer' }, id: { type: 'string' }, en: { type: 'string' } } }, retiredFromYear: { anyOf: [{ type: 'integer' }, { type: 'null' }] }, position: { type: 'integer' } } } } },
      },
      responses: { '200': json('Updated', ref('PerformanceIndex')), '404': errorResponse('No such index'), '409': errorResponse('Stale version'), '422': validation, ...authErrors },
    },
  },
  '/api/agreements/{id}/indices': {
    put: {
      operationId: 'setAgreementIndices', tags: ['reports'],
      summary: 'Attribute an agreement to performance indices (replaces the earlier attribution; recorded in the history)',
      security: bearer,
      parameters: [idParam()],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['indices'], properties: { indices: { type: 'array', items: { type: 'string' } }, version: { type: 'integer' } } } } } },
      responses: { '200': json('The agreement', ref('Agreement')), '404': errorResponse('Unknown agreement'), '409': errorResponse('Stale version'), '422': validation, ...authErrors },
    },
  },
  '/api/reports/annual': {
    get: { operationId: 'getAnnualReport',
      tags: ['reports'],
      summary: "The agreements part of the year's performance report, in the report's own manner (Indonesian; English with lang=en)",
      security: bearer,
      parameters: [
        { name: 'year', in: 'query', required: true, schema: { type: 'integer' } },
        { name: 'format', in: 'query', schema: { type: 'string', enum: ['pdf', 'docx', 'md', 'csv', 'xlsx'], default: 'pdf' } },
        { name: 'lang', in: 'query', schema: { type: 'string', enum: ['id', 'en'], default: 'id' } },
      ],
      responses: {
        '200': {
          description: 'The report as a file (Content-Disposition: attachment)',
          content: Object.fromEntries(['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'text/markdown', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'].map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
        },
        '422': validation,
        ...authErrors,
      },
    },
  },
  '/api/reports/annual.json': {
    get: { operationId: 'getAnnualReportSections',
      tags: ['reports'],
      summary: "The annual report's sections and sentences as JSON (each run of text may link to an agreement), with the year's figures and charts under `figures` (as GET /api/reports/figures answers for that year without filters, from the same pass over the history)",
      security: bearer,
      parameters: [{ name: 'year', in: 'query', required: true, schema: { type: 'integer' } }, { name: 'lang', in: 'query', schema: { type: 'string', enum: ['id', 'en'] } }],
      responses: { '200': json('Sections', { type: 'object' }), '422': validation, ...authErrors },
    },
  },
  '/api/reports/figures': {
    get: { operationId: 'getReportFigures',
      tags: ['reports'],
      summary: 'The figures of a period with the agreements each counts, and its charts as server-drawn SVG with their data',
      security: bearer,
      parameters: [...period, ...filters, { name: 'lang', in: 'query', schema: { type: 'string', enum: ['id', 'en'] } }],
      responses: { '200': json('Figures and charts', { type: 'object' }), '422': validation, ...authErrors },
    },
  },
  '/api/imports/template.csv': {
    get: { operationId: 'getImportTemplateCsv', tags: ['reports'], parameters: [{ name: 'lang', in: 'query', description: 'the language of the file name (templat-impor-perjanjian or agreement-import-template)', schema: { type: 'string', enum: ['id', 'en'], default: 'id' } }], summary: 'The import template: the columns with an example row (CSV, UTF-8 with BOM)', security: bearer, responses: { '200': { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } }, ...authErrors } },
  },
  '/api/imports/template.xlsx': {
    get: { operationId: 'getImportTemplateXlsx', tags: ['reports'], parameters: [{ name: 'lang', in: 'query', description: 'the language of the file name (templat-impor-perjanjian or agreement-import-template)', schema: { type: 'string', enum: ['id', 'en'], default: 'id' } }], summary: 'The import template as XLSX, with a sheet explaining each column in Indonesian and English', security: bearer, responses: { '200': { description: 'XLSX', content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } } } }, ...authErrors } },
  },
  '/api/imports': {
    post: { operationId: 'importRegister',
      tags: ['reports'],
      summary: 'Import an existing register (CSV or XLSX). A dry run by default: checks every row and lists each problem (row, column, why, in both languages); dates as 2022-04-01, day first (01/04/2022, 1-4-2022) or with the month named in Indonesian or English (1 April 2022, 11 Agustus 2022, 1 Des 2022), or as XLSX date cells; with dryRun=false creates all agreements in one transaction or none',
      security: bearer,
      parameters: [
        { name: 'dryRun', in: 'query', schema: { type: 'boolean', default: true } },
        { name: 'async', in: 'query', schema: { type: 'boolean', default: false }, description: 'run as a job to poll (files over 256 KB always do)' },
      ],
      requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } } } },
      responses: {
        '200': json('Dry run: what would be created and every problem', { type: 'object' }),
        '201': json('Created: every agreement, each with an imported history event naming the file and its SHA-256', { type: 'object' }),
        '202': json('Started as a job: poll GET /api/imports/jobs/{id} (also in Location)', { type: 'object', properties: { jobId: { type: 'string' }, status: { type: 'string' }, poll: { type: 'string' } } }),
        '413': errorResponse('The file is larger than IMPORT_MAX_BYTES'),
        '422': errorResponse('Problems in the rows (details.problems); unknown, repeated or missing headers; more than 20,000 rows (details.reason too_many_rows); an XLSX that would inflate too far (inflates_too_much); a file that needs more memory to read than IMPORT_READ_MEMORY_MB (too_complex) or more than two minutes (too_slow); a file that is not a CSV or XLSX register at all, such as a PDF, an image or a Word document, whatever its name (not_a_register, with details.kind); or an unreadable file. Nothing was imported'),
        ...authErrors,
      },
    },
  },
  '/api/imports/jobs/{id}': {
    get: { operationId: 'getImportJob',
      tags: ['reports'],
      summary: "An import job's progress (phase, processed of total) and, once finished, its result or its error",
      security: bearer,
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      responses: { '200': json('The job', { type: 'object' }), '404': errorResponse('No such job, or another person’s'), ...authErrors },
    },
  },
  '/api/reports/summary': {
    get: {
      operationId: 'getReportSummary', tags: ['reports'],
      summary: 'The figures of a period, computed in the database from the dated history',
      security: bearer,
      parameters: [...period, ...filters, { name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'csv', 'xlsx', 'pdf'], default: 'json' } }, { name: 'lang', in: 'query', schema: { type: 'string', enum: ['id', 'en'] }, description: 'language of the exported files' }],
      responses: { '200': { description: 'Summary (JSON), or the export as a file', content: { 'application/json': { schema: ref('ReportSummary') }, 'text/csv': { schema: { type: 'string' } }, 'application/pdf': { schema: { type: 'string', format: 'binary' } }, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } } } }, '422': validation, ...authErrors },
    },
  },
};
