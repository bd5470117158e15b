import { AGREEMENT_LIMITS as LIMITS, CONFIDENTIALITY, ENTRY_INTO_FORCE_BASES, LINK_TYPES, PARTY_KINDS, PARTY_STATUSES, SIGNATURE_METHODS } from '../../models/agreement.js';
import { SORT_FIELDS } from '../../domain/agreements/list-agreements.js';
import { HISTORY_ACTIONS } from '../../domain/history/append-history-event.js';
import { MAX_PERIOD_DAYS } from '../../domain/history/list-period-history.js';
import { INSTRUMENT_TYPES, STAGES } from '../../workflows/index.js';
import { authErrors, bearer, errorResponse, idParam, json, ref, type OpenApiModule } from './types.js';

export const tags = [{ name: 'agreements', description: 'Agreements, their stages, signatures and history' }];

const str = (extra: Record<string, unknown> = {}) => ({ type: 'string', ...extra });
const date = { type: 'string', format: 'date-time' };
const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });
const lang = str({ pattern: '^[a-z]{2,3}$', examples: ['id', 'en', 'ms', 'ar'] });

const signatory = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: str(),
    title: str(),
    email: str({ format: 'email', description: 'a signatory user with this e-mail may record this party’s signature' }),
    timezone: str({ description: 'IANA zone, e.g. Asia/Kuala_Lumpur' }),
    fullPowersRequired: { type: 'boolean' },
  },
};

const partyInput = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'kind'],
  properties: {
    name: str({ maxLength: 300 }),
    officialName: str({ maxLength: 300, description: "the party's official name in its own script (e.g. Arabic); on PATCH, absent keeps it and '' clears it" }),
    kind: { enum: [...PARTY_KINDS] },
    country: str({ pattern: '^[A-Za-z]{2,3}$' }),
    signatory,
    status: { enum: ['pending', 'cleared', 'invited'], description: 'signed and declined have their own routes' },
  },
};

const editable = {
  title: ref('Title'),
  subjects: { type: 'array', items: str(), maxItems: 50 },
  leadUnit: str({ description: 'defaults to the creator’s unit; confidential agreements are visible only to it (and admins)' }),
  confidentiality: { enum: [...CONFIDENTIALITY], default: 'internal' },
  authenticLanguages: { type: 'array', items: lang, default: ['id', 'en'] },
  entryIntoForce: { type: 'object', additionalProperties: false, properties: { date, basis: { enum: [...ENTRY_INTO_FORCE_BASES] } } },
  term: {
    type: 'object',
    additionalProperties: false,
    description:
      'replaced as a whole; expiresAt must fall after the entry into force (or the signing while that is unknown). In force, the expiry and renewal-notice deadlines follow it: open ones for another day are cancelled and new ones opened.',
    properties: { durationMonths: { type: 'integer' }, expiresAt: date, noticePeriodDays: { type: 'integer' } },
  },
  remindersPaused: { type: 'boolean' },
};

/** PATCH takes every editable field but remindersPaused (pause and resume have their own routes). */
const { remindersPaused: _remindersPaused, ...patchable } = editable;

export const schemas: OpenApiModule['schemas'] = {
  Stage: { type: 'string', enum: [...STAGES] },
  InstrumentType: { type: 'string', enum: [...INSTRUMENT_TYPES] },
  Workflow: {
    type: 'string',
    enum: ['international', 'domestic', 'guideline'],
    description: 'the stage path: international when a party is foreign (another state, an international organisation, a party of another country), whatever the type; domestic (no foreign negotiation, no ratification) otherwise; guideline for guidelines',
  },
  Title: {
    type: 'object',
    description:
      "The title in Indonesian and English, and in any other authentic language of the agreement under that language's ISO 639-1 code (ar, ms...). A title in a language that is not in authenticLanguages is refused (400, field title.<code>).",
    required: ['id', 'en'],
    properties: { id: str({ description: 'Indonesian' }), en: str({ description: 'English' }) },
    patternProperties: { '^[a-z]{2}$': str({ maxLength: 500 }) },
    additionalProperties: false,
  },
  Party: {
    type: 'object',
    required: ['id', 'name', 'kind', 'status'],
    properties: {
      id: str(),
      name: str(),
      officialName: nullable(str({ description: "the official name in the party's own script (e.g. Arabic)" })),
      kind: { enum: [...PARTY_KINDS] },
      country: nullable(str()),
      signatory: nullable(signatory),
      status: { enum: [...PARTY_STATUSES] },
      statusAt: nullable(date),
      signature: nullable({ type: 'object', properties: { signedAt: date, place: nullable(str()), method: { enum: [...SIGNATURE_METHODS] }, witnesses: { type: 'array', items: str(), description: 'who witnessed the signing (empty when no one is named)' } } }),
      declineReason: nullable(str()),
    },
  },
  Agreement: {
    type: 'object',
    required: ['id', 'code', 'type', 'title', 'stage', 'version', 'parties'],
    properties: {
      id: str(),
      code: str({ examples: ['MOU-MY-2022-01'] }),
      type: ref('InstrumentType'),
      workflow: ref('Workflow'),
      ...editable,
      parties: { type: 'array', items: ref('Party') },
      stage: ref('Stage'),
      stageEnteredAt: date,
      stageDueAt: nullable({ ...date, description: '17:00 Asia/Jakarta on the n-th working day after stageEnteredAt (n = the stage’s service-level days; the same instant as its stage_due deadline); null when the stage has none' }),
      previousStage: nullable(ref('Stage')),
      rounds: {
        type: 'array',
        items: { type: 'object', properties: { number: { type: 'integer' }, date, venue: str(), outcome: str(), draftIn: str(), draftOut: str() } },
      },
      signedAt: nullable({ ...date, description: 'when the last party signed' }),
      links: {
        type: 'array',
        description: 'what this agreement does to others ("renews TA-SA-2018-01"); a link to an agreement the reader may not see shows only its type and time (restricted true, agreementId and code null)',
        items: { type: 'object', properties: { type: { enum: [...LINK_TYPES] }, agreementId: { type: ['string', 'null'] }, code: { type: ['string', 'null'] }, at: date, restricted: { type: 'boolean' } } },
      },
      ratification: nullable({
        type: 'object',
        description: 'the law or presidential regulation that ratified it (UU 24/2000 art. 9); required to leave pending_ratification',
        properties: { kind: { enum: ['law', 'presidential_regulation'] }, number: str(), date },
      }),
      linkedFrom: {
        type: 'array',
        description: 'the other end: agreements whose links name this one ("renewed by TA-SA-2022-01"); confidential ones the reader may not see are left out',
        items: {
          type: 'object',
          properties: { type: { enum: [...LINK_TYPES] }, agreementId: str(), code: str(), title: { type: 'object', properties: { id: str(), en: str() } }, stage: ref('Stage'), at: nullable(date) },
        },
      },
      version: { type: 'integer', description: 'also sent as ETag; send it back as If-Match or `version`' },
      createdAt: date,
      updatedAt: date,
    },
  },
  SavedAgreement: {
    description: 'The agreement as saved, with what its editor should know though nothing was refused',
    allOf: [
      ref('Agreement'),
      {
        type: 'object',
        properties: {
          warnings: {
            type: 'array',
            minItems: 1,
            description: 'present only when there is something to warn of: a party whose signatory e-mail is an account whose role may not record signatures (a diplomat, an auditor): that person could not sign in the tracker',
            items: {
              type: 'object',
              required: ['field', 'type', 'email', 'role', 'message'],
              properties: {
                field: str({ examples: ['parties.1.signatory.email'] }),
                type: { enum: ['signatory.cannot_sign', 'signatory.cannot_see'] },
                email: str(),
                role: ref('Role'),
                message: { type: 'object', required: ['id', 'en'], properties: { id: str(), en: str() } },
              },
            },
          },
        },
      },
    ],
  },
  CreateAgreementRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'title', 'parties'],
    properties: {
      code: str({ description: 'generated as TYPE-COUNTRY-YEAR-NN when absent' }),
      type: ref('InstrumentType'),
      ...editable,
      parties: { type: 'array', minItems: 1, maxItems: 50, items: partyInput },
    },
  },
  UpdateAgreementRequest: {
    type: 'object',
    additionalProperties: false,
    description:
      'Fields of the text (title, authenticLanguages, party membership) are frozen from text_agreed (move back first) and for good after signing. stage, _id, id, code, type, history, createdAt… answer 400.',
    properties: {
      ...patchable,
      parties: { type: 'array', items: { ...partyInput, properties: { id: str({ description: 'an existing party keeps its status' }), ...partyInput.properties } } },
      version: { type: 'integer', description: 'the version edited (or If-Match)' },
    },
  },
  PartySummary: {
    type: 'object',
    required: ['id', 'name', 'kind', 'status'],
    properties: { id: str(), name: str(), officialName: str({ description: 'only when the party has one' }), kind: { enum: [...PARTY_KINDS] }, country: nullable(str()), status: { enum: [...PARTY_STATUSES] }, statusAt: nullable(date) },
  },
  AgreementSummary: {
    type: 'object',
    description: 'A list row: the agreement without signatory details, rounds, links or term (GET /api/agreements/{id} has them).',
    required: ['id', 'code', 'type', 'title', 'stage', 'version', 'parties'],
    properties: {
      id: str(),
      code: str(),
      type: ref('InstrumentType'),
      workflow: ref('Workflow'),
      title: ref('Title'),
      subjects: { type: 'array', items: str() },
      leadUnit: str(),
      confidentiality: { enum: [...CONFIDENTIALITY] },
      parties: { type: 'array', items: ref('PartySummary') },
      stage: ref('Stage'),
      stageEnteredAt: date,
      stageDueAt: nullable(date),
      previousStage: nullable(ref('Stage')),
      signedAt: nullable(date),
      entryIntoForce: nullable({ type: 'object', properties: { date, basis: str() } }),
      expiresAt: nullable(date),
      version: { type: 'integer' },
      createdAt: date,
      updatedAt: date,
      match: {
        type: 'object',
        description: 'only on rows found by q in a document text or a comment (not in code, titles or party names): where, and the text around the phrase',
        required: ['in', 'excerpt'],
        properties: {
          in: { enum: ['document', 'comment'] },
          document: { type: 'object', properties: { id: str(), kind: ref('DocumentKind'), language: str(), version: { type: 'integer' }, fileName: str() } },
          comment: { type: 'object', properties: { id: str({ description: 'the comment event in the history' }), author: nullable(str()), at: date } },
          excerpt: str(),
        },
      },
    },
  },
  AgreementList: {
    type: 'object',
    required: ['items', 'total', 'totalExact'],
    properties: {
      items: { type: 'array', items: ref('AgreementSummary') },
      total: { type: 'integer', description: 'how many match; for a free-text search (q) counted up to 1,000' },
      totalExact: { type: 'boolean', description: 'false when a free-text search matched more than 1,000: total is then 1,000, a lower bound' },
      limit: { type: 'integer' },
      offset: { type: 'integer' },
      facets: {
        type: 'object',
        description: 'with facets=stage: counts under every filter but the stage (free text counted up to 1,000 like total, agreements found by their texts or comments included)',
        properties: {
          all: ref('Count'),
          stage: { type: 'object', description: 'stage -> count; stages with none left out', additionalProperties: ref('Count') },
        },
      },
    },
  },
  Count: { type: 'object', required: ['total', 'totalExact'], properties: { total: { type: 'integer' }, totalExact: { type: 'boolean' } } },
  AwaitingSignatureList: {
    type: 'object',
    required: ['items', 'total'],
    properties: {
      items: {
        type: 'array',
        items: {
          allOf: [
            ref('AgreementSummary'),
            {
              type: 'object',
              required: ['myParties'],
              properties: {
                myParties: { type: 'array', description: 'the parties the caller signs for', items: { type: 'object', properties: { id: str(), name: str() } } },
              },
            },
          ],
        },
      },
      total: { type: 'integer' },
    },
  },
  TransitionRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['to'],
    properties: {
      to: ref('Stage'),
      note: str({ maxLength: 2000, description: 'kept in the history; required (422) for a move that reopens an agreed text (`reopens` in next steps)' }),
      version: { type: 'integer' },
      entryIntoForce: { type: 'object', required: ['date', 'basis'], properties: { date, basis: { enum: [...ENTRY_INTO_FORCE_BASES] } } },
      ratification: {
        type: 'object',
        description: 'with to=in_force: the law or presidential regulation that ratified it; required when leaving pending_ratification',
        required: ['kind', 'number', 'date'],
        properties: { kind: { enum: ['law', 'presidential_regulation'] }, number: str({ maxLength: 100 }), date },
      },
    },
  },
  UnmetCondition: {
    type: 'object',
    properties: { guard: str({ examples: ['final_texts', 'signatories', 'entry_into_force', 'signed_copy'] }), message: ref('Title'), details: { type: 'object' } },
  },
  NextSteps: {
    type: 'object',
    properties: {
      stage: ref('Stage'),
      previousStage: nullable(ref('Stage')),
      version: { type: 'integer' },
      steps: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            to: ref('Stage'),
            trigger: { enum: ['manual', 'signature', 'link'] },
            allowed: { type: 'boolean' },
            roleAllowed: { type: 'boolean' },
            roles: { type: 'array', items: str() },
            unmet: { type: 'array', items: ref('UnmetCondition') },
            reopens: { type: 'boolean', description: 'the move takes an agreed text back to be changed: the clearances and signatures given for it become void, and the move needs a `note` saying why' },
            entryIntoForceBases: { type: 'array', items: { enum: [...ENTRY_INTO_FORCE_BASES] }, description: 'only on a manual move to in_force: the bases its entryIntoForce may give' },
          },
        },
      },
    },
  },
  SignatureRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['signedAt', 'method'],
    properties: {
      signedAt: date,
      place: str(),
      method: { enum: [...SIGNATURE_METHODS] },
      witnesses: {
        type: 'array',
        maxItems: LIMITS.witnesses,
        uniqueItems: true,
        items: str({ minLength: 1, maxLength: LIMITS.witness }),
        description: 'who witnessed the signing, e.g. "Presiden RI", "Perdana Menteri Malaysia"; a witness written "Indonesian / English" ("Presiden RI / President of the Republic of Indonesia") is named in the English annual report by the part after the slash. The annual report says the signing was witnessed by them',
      },
      version: { type: 'integer' },
      earlierThanSigningConfirmed: {
        type: 'boolean',
        description:
          'A date before the text was put up for signature is refused (422, details[0].type signedAt.beforeSigningOpened) unless this says it is right, as for an agreement entered by hand after its signatures were made.',
      },
    },
  },
  DeclineRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['reason'],
    properties: { reason: str(), outcome: { enum: ['reopen', 'on_hold'], default: 'reopen' }, version: { type: 'integer' } },
  },
  RoundRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['date'],
    properties: { date, venue: str(), outcome: str(), draftIn: str(), draftOut: str(), version: { type: 'integer' } },
  },
  LinkRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'agreementId'],
    properties: { type: { enum: [...LINK_TYPES] }, agreementId: str(), version: { type: 'integer' } },
  },
  CommentRequest: { type: 'object', additionalProperties: false, required: ['text'], properties: { text: str({ maxLength: 5000 }) } },
  HistoryEvent: {
    type: 'object',
    properties: {
      id: str(),
      seq: { type: 'integer' },
      at: date,
      actor: { type: 'object', properties: { id: str(), email: str(), name: str() } },
      role: str(),
      action: { enum: [...HISTORY_ACTIONS] },
      changes: { type: 'object' },
      prevHash: str(),
      hash: str({ description: 'SHA-256 of the canonical JSON of the event including prevHash' }),
    },
  },
  HistoryList: { type: 'object', properties: { items: { type: 'array', items: ref('HistoryEvent') }, total: { type: 'integer' } } },
  HistoryVerification: {
    type: 'object',
    properties: {
      agreementId: str(),
      code: str(),
      valid: { type: 'boolean' },
      events: { type: 'integer' },
      headHash: nullable(str()),
      firstBroken: { type: 'object', properties: { seq: { type: 'integer' }, eventId: str(), reason: { enum: ['hash_mismatch', 'prev_hash_mismatch', 'sequence_gap'] }, message: ref('Title') } },
    },
  },
};

const body = (name: string) => ({ required: true, content: { 'application/json': { schema: ref(name) } } });
const ifMatch = { name: 'If-Match', in: 'header', required: false, description: 'the version edited ("3"); or send `version` in the body', schema: { type: 'string' } };
const notFound = errorResponse('Unknown or malformed id, or a confidential agreement of another unit');
const invalid = errorResponse('Invalid body; details name each bad field (unknown fields are rejected)');
const conflict = errorResponse('Stale version (details.currentVersion) or a move not allowed from the current stage');
const op = (operationId: string, summary: string, extra: Record<string, unknown>) => ({ operationId, tags: ['agreements'], summary, security: bearer, ...extra });
const agreementOk = json('The agreement after the change', ref('Agreement'));
const query = (name: string, schema: Record<string, unknown>, description?: string) => ({ name, in: 'query', required: false, schema, ...(description ? { description } : {}) });

export const paths: OpenApiModule['paths'] = {
  '/api/agreements': {
    get: op('listAgreements', 'List and search agreements the caller may see', {
      parameters: [
        query('stage', ref('Stage')),
        query('type', ref('InstrumentType')),
        query('party', str(), 'a party’s full name, its country’s ISO code, or its country’s name in Indonesian or English; case-insensitive'),
        query('country', str(), 'ISO 3166-1 code of a party’s country (alpha-2, or alpha-3 taken as its alpha-2)'),
        query('subject', str(), 'one subject, case-insensitive'),
        query('leadUnit', str(), 'the lead unit, case-insensitive'),
        query('overdue', { type: 'boolean' }, 'the current stage outlived its service-level days'),
        query('dueWithinDays', { type: 'integer', minimum: 1, maximum: 366 }, 'the current stage is due within this many days (not yet overdue); not with overdue'),
        query('q', str(), 'free text over code, the titles in every language and party names (official names in other scripts too), from the start of a word, an abbreviation of the directorate also finding its spelled-out forms and the other way round (TPPO, perdagangan orang); then over the texts of uploaded PDF versions and comments (such rows come after, with `match`)'),
        query('sort', { enum: [...SORT_FIELDS, ...SORT_FIELDS.map((f) => `-${f}`)], default: '-updatedAt' }),
        query('limit', { type: 'integer', minimum: 1, maximum: 100, default: 20 }),
        query('offset', { type: 'integer', minimum: 0 }),
        query('page', { type: 'integer', minimum: 1 }, 'alternative to offset'),
        query('facets', { enum: ['stage'] }, '`stage`: the answer also carries `facets`, the counts per stage under every other filter'),
        query('format', { enum: ['json', 'csv'], default: 'json' }, '`csv`: every matching row (limit, offset and page do not apply), UTF-8 with BOM, streamed'),
        query('lang', { enum: ['id', 'en'], default: 'id' }, 'the language of the CSV: column names, types, stages, classifications and yes/no as the interface names them (agreement codes stay as they are), and the file name (perjanjian-YYYY-MM-DD.csv / agreements-YYYY-MM-DD.csv, dated in Jakarta)'),
      ],
      responses: {
        '200': {
          description: 'One page and the total (JSON), or every matching row (CSV)',
          content: { 'application/json': { schema: ref('AgreementList') }, 'text/csv': { schema: { type: 'string' } } },
        }, '400': errorResponse('A parameter repeated'), '422': invalid, ...authErrors },
    }),
    post: op('createAgreement', 'Register an agreement (drafter, admin); it starts in drafting', {
      requestBody: body('CreateAgreementRequest'),
      responses: { '201': json('Created', ref('SavedAgreement')), '409': errorResponse('Code already used'), '422': invalid, ...authErrors, '403': errorResponse('The role may not do this, or a non-admin asked for another unit as lead unit') },
    }),
  },
  '/api/me/signatures': {
    get: op('listMySignatures', 'Agreements waiting for the caller’s own signature: in a signing stage, a party whose signatory has the caller’s e-mail and has neither signed nor declined', {
      responses: { '200': json('Summary rows, each with myParties', ref('AwaitingSignatureList')), ...authErrors },
    }),
  },
  '/api/agreements/{id}': {
    get: op('getAgreement', 'One agreement', { parameters: [idParam()], responses: { '200': json('The agreement (ETag: its version)', ref('Agreement')), '404': notFound, ...authErrors } }),
    patch: op('updateAgreement', 'Edit fields other than the stage (drafter, admin)', {
      parameters: [idParam(), ifMatch],
      requestBody: body('UpdateAgreementRequest'),
      responses: {
        '200': json('The agreement after the change', ref('SavedAgreement')),
        '400': errorResponse('A field that cannot be set (stage, _id, version…)'),
        '404': notFound,
        '409': conflict,
        '422': invalid,
        ...authErrors,
        '403': errorResponse('The role may not do this; or a non-admin moved the agreement to another unit, or changed the confidentiality of another unit’s agreement'),
      },
    }),
  },
  '/api/agreements/{id}/transitions': {
    get: op('listNextSteps', 'What the caller may do next and what is missing', { parameters: [idParam()], responses: { '200': json('Next steps', ref('NextSteps')), '404': notFound, ...authErrors } }),
    post: op('transitionAgreement', 'Move the agreement to another stage (drafter, admin)', {
      parameters: [idParam(), ifMatch],
      requestBody: body('TransitionRequest'),
      responses: { '200': agreementOk, '404': notFound, '409': conflict, '422': errorResponse('Guards unmet: details.unmet lists them (or an invalid body)'), ...authErrors },
    }),
  },
  '/api/agreements/{id}/parties/{partyId}/signature': {
    post: op('recordSignature', 'Record a party’s signature: its own signatory, or a drafter/admin on its behalf; the first makes it partially_signed, the last signed', {
      parameters: [idParam(), idParam('partyId'), ifMatch],
      requestBody: body('SignatureRequest'),
      responses: { '200': agreementOk, '404': notFound, '409': conflict, '422': invalid, ...authErrors },
    }),
  },
  '/api/agreements/{id}/parties/{partyId}/decline': {
    post: op('declineSignature', 'A party declines to sign: back to negotiation (drafting where there is none) or on hold', {
      parameters: [idParam(), idParam('partyId'), ifMatch],
      requestBody: body('DeclineRequest'),
      responses: { '200': agreementOk, '404': notFound, '409': conflict, '422': invalid, ...authErrors },
    }),
  },
  '/api/agreements/{id}/rounds': {
    post: op('addRound', 'Record a negotiation round (drafter, admin)', {
      parameters: [idParam(), ifMatch],
      requestBody: body('RoundRequest'),
      responses: { '201': agreementOk, '404': notFound, '409': conflict, '422': invalid, ...authErrors },
    }),
  },
  '/api/agreements/{id}/links': {
    post: op('addLink', 'Link to another instrument; a renewed or superseded one becomes superseded when this one enters into force', {
      parameters: [idParam(), ifMatch],
      requestBody: body('LinkRequest'),
      responses: { '201': agreementOk, '404': notFound, '409': errorResponse('Link exists, or stale version'), '422': invalid, ...authErrors },
    }),
  },
  '/api/agreements/{id}/comments': {
    post: op('addComment', 'Comment (admin, drafter, diplomat, signatory); recorded in the history', {
      parameters: [idParam()],
      requestBody: body('CommentRequest'),
      responses: { '201': json('The history event', ref('HistoryEvent')), '404': notFound, '409': errorResponse('The history is busy recording other changes: try again'), '422': invalid, ...authErrors },
    }),
  },
  '/api/agreements/{id}/history': {
    get: op('getHistory', 'The hash-chained history, oldest first', { parameters: [idParam()], responses: { '200': json('Events', ref('HistoryList')), '404': notFound, ...authErrors } }),
  },
  '/api/agreements/{id}/history/verify': {
    get: op('verifyHistory', 'Recompute the chain and name the first broken link', {
      parameters: [idParam()],
      responses: { '200': json('Verification', ref('HistoryVerification')), '404': notFound, ...authErrors },
    }),
  },
  '/api/history': {
    get: op('listPeriodHistory', 'What happened across agreements in a period (admin, auditor): every event of the Jakarta days from..to, by time then sequence, one page and the total', {
      description:
        'Events of the agreements the caller may see, exactly as each agreement’s own history shows them: another unit’s confidential agreements are left out for everyone but an admin, and a link to one is shown restricted. ' +
        `A period covers at most ${MAX_PERIOD_DAYS} days.`,
      parameters: [
        { ...query('from', str({ format: 'date' }), 'first day, on Jakarta’s calendar'), required: true },
        { ...query('to', str({ format: 'date' }), 'last day (included); not before `from`'), required: true },
        query('action', { enum: [...HISTORY_ACTIONS] }, 'only events of this action; another value answers 422 naming the allowed ones'),
        query('leadUnit', str({ maxLength: 60 }), 'only agreements of this lead unit (any case)'),
        query('limit', { type: 'integer', minimum: 1, maximum: 200, default: 50 }),
        query('offset', { type: 'integer', minimum: 0, default: 0 }),
      ],
      responses: {
        '200': json('One page of events and how many match in all', {
          type: 'object',
          required: ['items', 'total', 'limit', 'offset'],
          properties: {
            items: {
              type: 'array',
              items: {
                allOf: [
                  ref('HistoryEvent'),
                  { type: 'object', properties: { agreement: { type: 'object', properties: { id: str(), code: nullable(str()), title: nullable(ref('Title')) } } } },
                ],
              },
            },
            total: { type: 'integer' },
            limit: { type: 'integer' },
            offset: { type: 'integer' },
          },
        }),
        '422': errorResponse('A missing or unreal day, `to` before `from`, a period over a year, or an unknown action: details name each'),
        ...authErrors,
      },
    }),
  },
  '/api/history/verify': {
    get: op('verifyAllHistories', 'Recompute every history chain the caller may see (admin, auditor) and list the broken ones', {
      responses: {
        '200': json('Every chain checked', {
          type: 'object',
          required: ['scope', 'agreements', 'events', 'valid', 'broken'],
          properties: {
            scope: { enum: ['all', 'visible'], description: "'all' for an admin; 'visible': other units' confidential agreements were left out" },
            agreements: { type: 'integer' },
            events: { type: 'integer' },
            valid: { type: 'boolean' },
            broken: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  agreementId: str(),
                  code: str(),
                  title: ref('Title'),
                  events: { type: 'integer' },
                  seq: { type: 'integer', description: 'the first event that does not hold' },
                  eventId: str(),
                  reason: { enum: ['hash_mismatch', 'prev_hash_mismatch', 'sequence_gap'] },
                  message: ref('Title'),
                },
              },
            },
            startedAt: date,
            finishedAt: date,
          },
        }),
        ...authErrors,
      },
    }),
  },
  '/api/events': {
    get: op('streamEvents', 'Live changes as server-sent events: a `change` event (id, agreementId, code, stage, version, action, seq, at) for each change to an agreement the caller may read; `ready` once changes are watched', {
      responses: {
        '200': { description: 'An endless text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
        '401': authErrors['401'],
      },
    }),
  },
};
