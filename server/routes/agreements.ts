import { Router, type Request, type RequestHandler } from 'express';
import Joi from 'joi';
import { AppError } from '../../domain/errors.js';
import { COUNTRY_RULE, countryCode } from '../../domain/agreements/country-codes.js';
import { withStoredSpellings } from '../../domain/agreements/stored-spelling.js';
import { addComment } from '../../domain/agreements/add-comment.js';
import { addLink } from '../../domain/agreements/add-link.js';
import { addRound } from '../../domain/agreements/add-round.js';
import { toAgreementView } from '../../domain/agreements/agreement-view.js';
import { getVisibleAgreementWithLinks, withLinksAsSeenBy, type AgreementWithLinks } from '../../domain/agreements/agreement-links.js';
import { createAgreement } from '../../domain/agreements/create-agreement.js';
import { findSignatoryWarnings, type SignatoryWarning } from '../../domain/agreements/find-signatory-warnings.js';
import { declineSignature } from '../../domain/agreements/decline-signature.js';
import { getAgreementHistory, verifyAgreementHistory } from '../../domain/agreements/get-agreement-history.js';
import { countByStage, listAgreements, SORT_FIELDS, streamAgreements } from '../../domain/agreements/list-agreements.js';
import { sendAgreementsCsv } from '../http/agreements-csv.js';
import { listAwaitingMySignature } from '../../domain/agreements/list-awaiting-my-signature.js';
import { listNextSteps } from '../../domain/agreements/list-next-steps.js';
import { recordSignature } from '../../domain/agreements/record-signature.js';
import { transitionAgreement } from '../../domain/agreements/transition-agreement.js';
import { IMMUTABLE_FIELDS, updateAgreement } from '../../domain/agreements/update-agreement.js';
import { toHistoryEventView } from '../../domain/history/list-history.js';
import {
  AGREEMENT_LIMITS as LIMITS,
  CODE_PATTERN,
  CONFIDENTIALITY,
  LANGUAGE_PATTERN,
  UNIT_PATTERN,
  ENTRY_INTO_FORCE_BASES,
  LINK_TYPES,
  PARTY_KINDS,
  SIGNATURE_METHODS,
  type AgreementRecord,
  RATIFICATION_KINDS,
} from '../../models/agreement.js';
import { INSTRUMENT_TYPES, STAGES } from '../../workflows/index.js';
import { requireAuth, requirePermission } from '../http/auth.js';
import { isoDate, line, objectId, paragraph, readerLanguage, validate } from '../http/validate.js';
import type { AppContext } from '../context.js';

/**
 * A search term. Control characters are refused here, at the edge: no one types them, and a NUL
 * would reach the database inside a regex, which MongoDB refuses (BadValue) instead of searching.
 * Stricter than line() (not even a tab or a line break), so it takes line()'s place.
 */
const searchTerm = (max: number) =>
  Joi.string()
    .trim()
    .min(1)
    .max(max)
    .pattern(/^\P{Cc}*$/u)
    .messages({ 'string.pattern.base': '{#label} must not contain control characters / {#label} tidak boleh memuat karakter kendali' });
const unit = Joi.string().trim().pattern(UNIT_PATTERN);
const language = Joi.string().lowercase().pattern(LANGUAGE_PATTERN);
const country = Joi.string()
  .custom((value: string, helpers) => countryCode(value) ?? helpers.error('any.invalid'))
  .messages({ 'any.invalid': `{#label} ${COUNTRY_RULE.en} / {#label} ${COUNTRY_RULE.id}` });
const timezone = Joi.string().custom((value: string) => {
  Intl.DateTimeFormat('en', { timeZone: value }); // throws RangeError for an unknown zone
  return value;
}, 'IANA time zone');

const signatory = Joi.object({
  name: line(LIMITS.signatoryName).required(),
  title: line(LIMITS.signatoryTitle),
  email: Joi.string().trim().lowercase().max(254).email({ tlds: false }),
  timezone,
  fullPowersRequired: Joi.boolean(),
});

const partyFields = {
  name: line(LIMITS.partyName).required(),
  /** the official name in the party's own script, e.g. Arabic; '' clears it on PATCH */
  officialName: line(LIMITS.partyName).allow(''),
  kind: Joi.string().valid(...PARTY_KINDS).required(),
  country,
  signatory,
  status: Joi.string().valid('pending', 'cleared', 'invited'),
};

const editable = {
  // id and en always; any other key is the ISO 639-1 code of an authentic language (checked in the domain)
  title: Joi.object({ id: line(LIMITS.title).required(), en: line(LIMITS.title).required() })
    .pattern(/^[a-z]{2}$/, line(LIMITS.title))
    .messages({ 'object.unknown': "{#label} is not a language code: a title's key is a two-letter ISO 639-1 code such as ar or ms / {#label} bukan kode bahasa: kunci judul adalah kode ISO 639-1 dua huruf, misalnya ar atau ms" }),
  subjects: Joi.array().items(line(LIMITS.subject)).max(LIMITS.subjects).unique(),
  leadUnit: unit,
  confidentiality: Joi.string().valid(...CONFIDENTIALITY),
  authenticLanguages: Joi.array().items(language).min(1).max(LIMITS.languages).unique(),
  entryIntoForce: Joi.object({ date: isoDate(), basis: Joi.string().valid(...ENTRY_INTO_FORCE_BASES) }),
  term: Joi.object({
    durationMonths: Joi.number().integer().min(1).max(1200),
    expiresAt: isoDate(),
    noticePeriodDays: Joi.number().integer().min(0).max(LIMITS.noticeDays),
  }),
  remindersPaused: Joi.boolean(),
};

export const createAgreementBody = Joi.object({
  ...editable,
  code: Joi.string().trim().uppercase().pattern(CODE_PATTERN),
  type: Joi.string().valid(...INSTRUMENT_TYPES).required(),
  title: editable.title.required(),
  parties: Joi.array().items(Joi.object(partyFields)).min(1).max(LIMITS.parties).required(),
});

export const updateAgreementBody = Joi.object({
  ...editable,
  // Pausing goes through POST /agreements/:id/reminders/pause|resume, which also reschedules the deadlines.
  remindersPaused: Joi.any()
    .forbidden()
    .messages({ 'any.unknown': '{{#label}} is changed through POST /api/agreements/:id/reminders/pause or /resume' }),
  parties: Joi.array().items(Joi.object({ id: objectId(), ...partyFields })).min(1).max(LIMITS.parties),
  version: Joi.number().integer().min(1),
});

export const listAgreementsQuery = Joi.object({
  stage: Joi.string().valid(...STAGES),
  type: Joi.string().valid(...INSTRUMENT_TYPES),
  party: searchTerm(300),
  country,
  subject: searchTerm(80),
  leadUnit: unit,
  overdue: Joi.boolean(),
  dueWithinDays: Joi.number().integer().min(1).max(366),
  q: searchTerm(200),
  sort: Joi.string().valid(...SORT_FIELDS, ...SORT_FIELDS.map((f) => `-${f}`)).default('-updatedAt'),
  limit: Joi.number().integer().min(1).max(100).default(20),
  offset: Joi.number().integer().min(0).max(1_000_000),
  page: Joi.number().integer().min(1).max(100_000),
  /** `stage`: counts per stage under the other filters, in the same answer */
  facets: Joi.string().valid('stage'),
  /** `csv`: every matching row as a spreadsheet (limit, offset and page do not apply) */
  format: Joi.string().valid('json', 'csv').default('json'),
  /** the language of the CSV: its column names, the names of types, stages and classifications, and its file name */
  lang: readerLanguage(),
})
  .oxor('offset', 'page')
  .oxor('overdue', 'dueWithinDays');

export const transitionBody = Joi.object({
  to: Joi.string().valid(...STAGES).required(),
  note: paragraph(2000).allow(''),
  version: Joi.number().integer().min(1),
  // Only with a move to in_force; otherwise PATCH records it.
  entryIntoForce: Joi.when('to', {
    is: 'in_force',
    then: Joi.object({ date: isoDate().required(), basis: Joi.string().valid(...ENTRY_INTO_FORCE_BASES).required() }),
    otherwise: Joi.forbidden(),
  }),
  // The instrument that ratified it, with the move out of pending_ratification (into force).
  ratification: Joi.when('to', {
    is: 'in_force',
    then: Joi.object({
      kind: Joi.string().valid(...RATIFICATION_KINDS).required(),
      number: line(100).required(),
      date: isoDate().required(),
    }),
    otherwise: Joi.forbidden(),
  }),
});

export const signatureBody = Joi.object({
  signedAt: isoDate().required(),
  place: line(LIMITS.place),
  method: Joi.string().valid(...SIGNATURE_METHODS).required(),
  witnesses: Joi.array().items(line(LIMITS.witness)).max(LIMITS.witnesses).unique(),
  version: Joi.number().integer().min(1),
  /** the date is before the text was put up for signature, and that is right (recordSignature) */
  earlierThanSigningConfirmed: Joi.boolean(),
});

export const declineBody = Joi.object({
  reason: paragraph(2000).min(1).required(),
  outcome: Joi.string().valid('reopen', 'on_hold').default('reopen'),
  version: Joi.number().integer().min(1),
});

export const roundBody = Joi.object({
  date: isoDate().required(),
  venue: line(300),
  outcome: paragraph(2000).min(1),
  draftIn: line(300),
  draftOut: line(300),
  version: Joi.number().integer().min(1),
});

export const linkBody = Joi.object({
  type: Joi.string().valid(...LINK_TYPES).required(),
  agreementId: Joi.string().hex().length(24).required(),
  version: Joi.number().integer().min(1),
});

export const commentBody = Joi.object({ text: paragraph(5000).min(1).required() });

const idParams = Joi.object({ id: objectId().required() });
const partyParams = Joi.object({ id: objectId().required(), partyId: objectId().required() });

/** The version the client edits: If-Match ("3", W/"3" or 3) or a `version` field; both must agree. */
export function expectedVersion(req: Request): number | undefined {
  const header = req.get('if-match');
  const fromBody = req.valid?.body?.version as number | undefined;
  if (header === undefined) return fromBody;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) throw new AppError('bad_request', 'If-Match must carry the version number / If-Match harus berisi nomor versi');
  const version = Number(match[1]);
  if (fromBody !== undefined && fromBody !== version) {
    throw new AppError('bad_request', 'If-Match and version disagree: the version cannot be set / If-Match dan version berbeda');
  }
  return version;
}

/** PATCH may not touch identity, the stage or the history: 400 before any other check. */
const rejectImmutableFields: RequestHandler = (req, _res, next) => {
  const body = req.body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) return next();
  const bad = Object.keys(body).filter((k) => (IMMUTABLE_FIELDS as readonly string[]).includes(k));
  if (bad.length === 0) return next();
  next(
    new AppError('bad_request', `These fields cannot be changed here: ${bad.join(', ')} (the stage moves only through transitions) / Kolom ini tidak dapat diubah: ${bad.join(', ')}`, {
      fields: bad,
    }),
  );
};

/**
 * Every answer that shows an agreement shows its links from both ends, as this reader may see
 * them: links to agreements hidden from them are redacted, links from such agreements left out.
 * After a change the links are read in one aggregate; a read that already has them passes them.
 */
async function sendAgreement(
  ctx: AppContext,
  req: Request,
  res: import('express').Response,
  written: AgreementRecord | AgreementWithLinks,
  status = 200,
  warnings: SignatoryWarning[] = [],
): Promise<void> {
  const { agreement, linkedFrom } = 'linkedFrom' in written ? written : await withLinksAsSeenBy(ctx, req.actor, written);
  res.status(status).setHeader('ETag', `"${agreement.version}"`);
  // only when there is something to say: otherwise the answer is the agreement as GET reads it
  res.json({ ...toAgreementView(agreement, linkedFrom), ...(warnings.length ? { warnings } : {}) });
}

/** Agreements: registry, stage moves, signatures, rounds, links, comments and history. */
export function agreementsRouter(ctx: AppContext): Router {
  const router = Router();
  const auth = requireAuth(ctx);
  const edit = [auth, requirePermission('editAgreement')];

  router.get('/agreements', auth, validate({ query: listAgreementsQuery }), async (req, res) => {
    const q = req.valid.query;
    const offset = q.page ? (q.page - 1) * q.limit : (q.offset ?? 0);
    const { page: _page, facets: wantFacets, format, lang, ...typed } = q;
    const filters = await withStoredSpellings(ctx, req.actor, typed);
    if (format === 'csv') {
      const { limit: _limit, offset: _offset, ...all } = filters;
      return sendAgreementsCsv(res, streamAgreements(ctx, req.actor, all), lang, ctx.clock.now());
    }
    const [{ items, total, totalExact }, facets] = await Promise.all([
      listAgreements(ctx, req.actor, { ...filters, offset }),
      wantFacets === 'stage' ? countByStage(ctx, req.actor, filters) : undefined,
    ]);
    res.json({ items, total, totalExact, limit: q.limit, offset, ...(facets ? { facets } : {}) });
  });

  router.get('/me/signatures', auth, async (req, res) => {
    res.json(await listAwaitingMySignature(ctx, req.actor));
  });

  router.post('/agreements', ...edit, validate({ body: createAgreementBody }), async (req, res) => {
    const agreement = await createAgreement(ctx, req.actor, req.valid.body);
    res.location(`/api/agreements/${agreement._id}`);
    await sendAgreement(ctx, req, res, agreement, 201, await findSignatoryWarnings(ctx, agreement));
  });

  router.get('/agreements/:id', auth, validate({ params: idParams }), async (req, res) => {
    await sendAgreement(ctx, req, res, await getVisibleAgreementWithLinks(ctx, req.actor, req.valid.params.id));
  });

  router.patch('/agreements/:id', ...edit, rejectImmutableFields, validate({ params: idParams, body: updateAgreementBody }), async (req, res) => {
    const { version: _version, ...changes } = req.valid.body;
    const agreement = await updateAgreement(ctx, { id: req.valid.params.id, actor: req.actor, expectedVersion: expectedVersion(req), changes });
    await sendAgreement(ctx, req, res, agreement, 200, await findSignatoryWarnings(ctx, agreement));
  });

  router.get('/agreements/:id/transitions', auth, validate({ params: idParams }), async (req, res) => {
    res.json(await listNextSteps(ctx, req.actor, req.valid.params.id));
  });

  router.post('/agreements/:id/transitions', auth, requirePermission('moveStage'), validate({ params: idParams, body: transitionBody }), async (req, res) => {
    const { to, note, entryIntoForce, ratification } = req.valid.body;
    await sendAgreement(ctx, req, res, await transitionAgreement(ctx, { id: req.valid.params.id, actor: req.actor, to, note, entryIntoForce, ratification, expectedVersion: expectedVersion(req) }));
  });

  router.post('/agreements/:id/parties/:partyId/signature', auth, requirePermission('recordSignature'), validate({ params: partyParams, body: signatureBody }), async (req, res) => {
    const { signedAt, place, method, witnesses, earlierThanSigningConfirmed } = req.valid.body;
    const { id, partyId } = req.valid.params;
    await sendAgreement(ctx, req, res, await recordSignature(ctx, { id, partyId, actor: req.actor, signedAt, place, method, witnesses, earlierThanSigningConfirmed, expectedVersion: expectedVersion(req) }));
  });

  router.post('/agreements/:id/parties/:partyId/decline', auth, requirePermission('recordSignature'), validate({ params: partyParams, body: declineBody }), async (req, res) => {
    const { reason, outcome } = req.valid.body;
    const { id, partyId } = req.valid.params;
    await sendAgreement(ctx, req, res, await declineSignature(ctx, { id, partyId, actor: req.actor, reason, outcome, expectedVersion: expectedVersion(req) }));
  });

  router.post('/agreements/:id/rounds', ...edit, validate({ params: idParams, body: roundBody }), async (req, res) => {
    const { version: _v, ...round } = req.valid.body;
    await sendAgreement(ctx, req, res, await addRound(ctx, { id: req.valid.params.id, actor: req.actor, round, expectedVersion: expectedVersion(req) }), 201);
  });

  router.post('/agreements/:id/links', ...edit, validate({ params: idParams, body: linkBody }), async (req, res) => {
    const { type, agreementId } = req.valid.body;
    await sendAgreement(ctx, req, res, await addLink(ctx, { id: req.valid.params.id, actor: req.actor, type, agreementId, expectedVersion: expectedVersion(req) }), 201);
  });

  router.post('/agreements/:id/comments', auth, requirePermission('comment'), validate({ params: idParams, body: commentBody }), async (req, res) => {
    const event = await addComment(ctx, req.actor, req.valid.params.id, req.valid.body.text);
    res.status(201).json(toHistoryEventView(event));
  });

  router.get('/agreements/:id/history', auth, validate({ params: idParams }), async (req, res) => {
    res.json(await getAgreementHistory(ctx, req.actor, req.valid.params.id));
  });

  router.get('/agreements/:id/history/verify', auth, validate({ params: idParams }), async (req, res) => {
    res.json(await verifyAgreementHistory(ctx, req.actor, req.valid.params.id));
  });

  return router;
}
