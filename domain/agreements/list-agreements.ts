import mongoose from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';
import { STAGES, type InstrumentType, type Stage } from '../../workflows/index.js';
import { anyOf, anyWordStartPattern, escapeRegex, literalPartOf, searchKeyOf } from './derived-fields.js';
import { searchPhrases } from './search-aliases.js';
import { countryNamed } from './country-codes.js';
import { SUMMARY_PROJECTION, toAgreementSummary, type AgreementSummary } from './agreement-view.js';
import { agreementsMatchingTexts, textMatchesFor, type TextMatch } from './text-search.js';

export const SORT_FIELDS = ['updatedAt', 'createdAt', 'code', 'stage', 'type', 'stageEnteredAt', 'stageDueAt', 'title.id', 'title.en'] as const;

export interface ListAgreementsInput {
  stage?: Stage;
  type?: InstrumentType;
  /** a party's full name, its country's code or its country's name in Indonesian or English, case-insensitive */
  party?: string;
  /** ISO country code of a party */
  country?: string;
  subject?: string;
  leadUnit?: string;
  /** true: the current stage has outlived its service-level days; false: it has not */
  overdue?: boolean;
  /** the current stage's due date falls within this many days from now (not yet overdue) */
  dueWithinDays?: number;
  /**
   * free text over code, both titles and party names, case-insensitive: the text must occur there
   * starting at the beginning of a word ('kemenkumham' and 'ahu kemen' find 'Ditjen AHU
   * Kemenkumham', 'menkumham' does not; 'MOU-MY' and 'MY-2022' find 'MOU-MY-2022-01'); an
   * abbreviation of the directorate also finds its spelled-out forms and the other way round
   * ('TPPO' finds 'perdagangan orang': search-aliases.ts)
   */
  q?: string;
  /** a field of SORT_FIELDS, '-' in front for descending */
  sort?: string;
  /** how many matches to skip */
  offset?: number;
  limit?: number;
}

/**
 * Builds the filter from checked input only. Operators are added here on purpose (trusted);
 * anything that came from a request is a plain value and sanitizeFilter keeps it so.
 * The order is the order the database tests a document in: the field conditions that rule most
 * documents out first, then who may see it, then the free-text regexes (the costliest).
 */
export function buildFilter(actor: Actor, input: ListAgreementsInput, now: Date): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (input.stage) filter.stage = input.stage;
  if (input.type) filter.type = input.type;
  if (input.party) {
    // a country's name finds the agreements with a party of that country, as its code does
    const country = countryNamed(input.party);
    const key = input.party.toLowerCase();
    filter.partyKeys = country && country.toLowerCase() !== key ? mongoose.trusted({ $in: [key, country.toLowerCase()] }) : key;
  }
  if (input.country) filter['parties.country'] = input.country.toUpperCase();
  if (input.subject) filter.subjects = input.subject;
  if (input.leadUnit) filter.leadUnit = input.leadUnit;
  if (input.overdue === true) filter.stageDueAt = mongoose.trusted({ $lt: now });
  if (input.overdue === false) filter.stageDueAt = mongoose.trusted({ $not: { $lt: now } });
  if (input.dueWithinDays !== undefined) {
    filter.stageDueAt = mongoose.trusted({ $gte: now, $lte: new Date(now.getTime() + input.dueWithinDays * DAY_MS) });
  }
  const search = input.q ? searchFilter(input.q) : undefined;
  if (search?.key !== undefined) filter.searchTerms = search.key;
  if (actor.role !== 'admin') filter.audience = mongoose.trusted({ $in: ['*', actor.unit] });
  if (search) Object.assign(filter, search.regexes);
  return filter;
}

/**
 * Free text, as typed or in another spelling of its abbreviations (searchPhrases). The regexes
 * over searchText decide what matches (the same on MongoDB and on the embedded server); the
 * `searchTerms` keys only let the database start from the agreements that hold one (see
 * searchKeyOf) instead of reading every agreement, which it must when a phrase has no key.
 */
function searchFilter(q: string): { key: unknown; regexes: Record<string, unknown> } {
  const phrases = searchPhrases(q);
  const keys = phrases.map(searchKeyOf);
  const distinct = [...new Set(keys)];
  return {
    key: keys.includes(undefined) ? undefined : distinct.length === 1 ? distinct[0] : mongoose.trusted({ $in: distinct }),
    regexes: {
      searchText: mongoose.trusted({ $regex: anyOf(phrases.map((p) => escapeRegex(literalPartOf(p)))) }),
      $and: [{ searchText: mongoose.trusted({ $regex: anyWordStartPattern(phrases) }) }],
    },
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Sort fields whose values are unique need no tie-breaker. */
const UNIQUE_SORT_FIELDS = new Set(['code']);

/**
 * The sort, with `_id` after any field that two agreements may share, so that the order is total
 * and offset pages neither repeat nor skip an agreement (on MongoDB too, where equal keys have
 * no defined order). The indexes in models/agreement.ts end in `_id` to serve it.
 */
export function buildSort(sort = '-updatedAt'): Record<string, 1 | -1> {
  const desc = sort.startsWith('-');
  const field = desc ? sort.slice(1) : sort;
  const dir = desc ? -1 : 1;
  return UNIQUE_SORT_FIELDS.has(field) ? { [field]: dir } : { [field]: dir, _id: dir };
}

/**
 * "Stage due soonest" puts agreements without a stage deadline (in force, expired, a stage with
 * no service level) after every dated one: MongoDB sorts a missing date before any other, which
 * put an agreement in force for years at the top of the list. The two kinds are read as two
 * parts, each through its index: the dated ones by due date, then the others.
 */
const DATED = { stageDueAt: mongoose.trusted({ $ne: null }) };
const UNDATED = { stageDueAt: null };
const duesFirst = (sort: string | undefined) => sort === 'stageDueAt';

/**
 * The list's reads go to the driver, the filter sanitised first as mongoose would (a value from a
 * request is never taken for an operator; the operators built above are trusted). Mongoose's query
 * layer would cast nothing here, since the filters are built from checked values of the schema's
 * own types, and it cost about a tenth of every list request.
 */
function readAgreements(ctx: DomainContext, filter: Record<string, unknown>, sort: string | undefined, options: { skip?: number; limit?: number; batchSize?: number }) {
  return ctx.models.Agreement.collection.find<AgreementRecord>(mongoose.sanitizeFilter(filter), { projection: SUMMARY_PROJECTION, sort: buildSort(sort), ...options });
}

function countAgreements(ctx: DomainContext, filter: Record<string, unknown>, limit?: number): Promise<number> {
  return ctx.models.Agreement.collection.countDocuments(mongoose.sanitizeFilter(filter), limit === undefined ? {} : { limit });
}

/** One page in the list's order: `skip` rows on, at most `limit`. */
async function readPage(ctx: DomainContext, filter: Record<string, unknown>, sort: string | undefined, skip: number, limit: number): Promise<AgreementRecord[]> {
  const read = (f: Record<string, unknown>, s: number, l: number) => readAgreements(ctx, f, sort, { skip: s, limit: l }).toArray();
  if (!duesFirst(sort)) return read(filter, skip, limit);
  const dated = { $and: [filter, DATED] };
  const rows = await read(dated, skip, limit);
  if (rows.length === limit) return rows;
  // the page runs past the dated ones: how many there are says where the others begin
  const datedCount = rows.length > 0 ? skip + rows.length : await countAgreements(ctx, dated);
  return [...rows, ...(await read({ $and: [filter, UNDATED] }, Math.max(0, skip - datedCount), limit - rows.length))];
}

/**
 * Free-text totals are counted up to this many: every match of a search has to be read to be
 * counted (its text is tested), so "more than 1,000" costs as much as the page itself instead of
 * a read of every match. Totals of the field filters come from indexes and are always exact.
 */
export const SEARCH_COUNT_LIMIT = 1000;

export interface AgreementPage {
  /** rows found only by their texts or comments carry `match`: where, and an excerpt */
  items: Array<AgreementSummary & { match?: TextMatch }>;
  total: number;
  /** false: a free-text search matched more than SEARCH_COUNT_LIMIT, and `total` is that limit */
  totalExact: boolean;
}

/**
 * One page of the agreements the actor may see (summary fields only: SUMMARY_PROJECTION), and
 * how many match in all. The page and the count go out together; each is served by an index
 * (see models/agreement.ts).
 */
export async function listAgreements(ctx: DomainContext, actor: Actor, input: ListAgreementsInput): Promise<AgreementPage> {
  const filter = buildFilter(actor, input, ctx.clock.now());
  const [rows, count] = await Promise.all([readPage(ctx, filter, input.sort, input.offset ?? 0, input.limit ?? 20), countOf(ctx, filter, Boolean(input.q))]);
  const fieldPage: AgreementPage = { items: rows.map(toAgreementSummary), ...count };
  // past the count limit, the text matches would come after rows nobody pages to
  return input.q && count.totalExact ? withTextMatches(ctx, actor, input, fieldPage) : fieldPage;
}

/**
 * Free text also finds agreements by the words of their documents' texts and of their comments.
 * Those come after every match in codes, titles and party names (the better evidence), each in
 * the list's order. The agreements are read with the list's own filter (visibility included) and
 * those already matched by their fields left out, so a reader never gets a row, nor an excerpt,
 * of an agreement the list would not show.
 */
async function withTextMatches(ctx: DomainContext, actor: Actor, input: ListAgreementsInput, fields: AgreementPage): Promise<AgreementPage> {
  const phrases = searchPhrases(input.q!);
  const found = await agreementsMatchingTexts(ctx, phrases);
  if (found.ids.length === 0) return fields;
  const filter = textOnlyFilter(actor, input, ctx.clock.now(), found.ids);
  const offset = input.offset ?? 0;
  const limit = input.limit ?? 20;
  const room = limit - fields.items.length;
  const skip = Math.max(0, offset - fields.total);
  const [rows, counted] = await Promise.all([
    room > 0 ? readPage(ctx, filter, input.sort, skip, room) : Promise.resolve([]),
    countAgreements(ctx, filter, SEARCH_COUNT_LIMIT + 1 - fields.total),
  ]);
  const matches = await textMatchesFor(ctx, rows.map((r) => r._id), phrases);
  const total = fields.total + counted;
  const totalExact = found.exact && total <= SEARCH_COUNT_LIMIT;
  return {
    items: [...fields.items, ...rows.map((r) => ({ ...toAgreementSummary(r), ...(matches.has(String(r._id)) ? { match: matches.get(String(r._id))! } : {}) }))],
    total: totalExact ? total : Math.min(total, SEARCH_COUNT_LIMIT),
    totalExact,
  };
}

/**
 * The agreements found by `input.q` only in their texts or comments (`ids`, from
 * agreementsMatchingTexts): the list's other filters and visibility, and not already matched by
 * their code, titles or party names.
 */
function textOnlyFilter(actor: Actor, input: ListAgreementsInput, now: Date, ids: unknown[]): Record<string, unknown> {
  return {
    ...buildFilter(actor, { ...input, q: undefined }, now),
    _id: mongoose.trusted({ $in: ids }),
    $nor: [{ searchText: mongoose.trusted({ $regex: anyWordStartPattern(searchPhrases(input.q!)) }) }],
  };
}

/** How many match, exactly for field filters and up to SEARCH_COUNT_LIMIT for free text. */
async function countOf(ctx: DomainContext, filter: Record<string, unknown>, freeText: boolean): Promise<{ total: number; totalExact: boolean }> {
  const countLimit = freeText ? SEARCH_COUNT_LIMIT + 1 : undefined;
  const counted = await countAgreements(ctx, filter, countLimit);
  const totalExact = countLimit === undefined || counted < countLimit;
  return { total: totalExact ? counted : SEARCH_COUNT_LIMIT, totalExact };
}

export interface StageFacets {
  /** per stage, under every filter of the input except the stage itself; stages with none are left out */
  stage: Partial<Record<Stage, { total: number; totalExact: boolean }>>;
  /** all stages together under the same filters */
  all: { total: number; totalExact: boolean };
}

/**
 * Counts per stage for a board: the same filters (and visibility) as the list, the stage left
 * free. One count per stage, each served by the {stage, audience} index, run side by side in the
 * database rather than as a request per stage from the browser.
 */
export async function countByStage(ctx: DomainContext, actor: Actor, input: ListAgreementsInput): Promise<StageFacets> {
  const now = ctx.clock.now();
  const base = { ...input, stage: undefined };
  const freeText = Boolean(input.q);
  // free text also finds agreements by their texts, as the list does: the counts must add up to its total
  const found = freeText ? await agreementsMatchingTexts(ctx, searchPhrases(input.q!)) : { ids: [], exact: true };
  const countBoth = async (scope: ListAgreementsInput) => {
    const fields = await countOf(ctx, buildFilter(actor, scope, now), freeText);
    if (found.ids.length === 0 || !fields.totalExact) return fields;
    const texts = await countAgreements(ctx, textOnlyFilter(actor, scope, now, found.ids), SEARCH_COUNT_LIMIT + 1 - fields.total);
    const total = fields.total + texts;
    return total <= SEARCH_COUNT_LIMIT && found.exact ? { total, totalExact: true } : { total: Math.min(total, SEARCH_COUNT_LIMIT), totalExact: false };
  };
  const [all, ...perStage] = await Promise.all([countBoth(base), ...STAGES.map((stage) => countBoth({ ...base, stage }))]);
  const stage: StageFacets['stage'] = {};
  STAGES.forEach((s, i) => {
    if (perStage[i].total > 0) stage[s] = perStage[i];
  });
  return { stage, all };
}

/**
 * Every agreement that matches, in the list's order, read through a cursor in batches (an export
 * of 100,000 rows never sits in memory at once).
 */
export async function* streamAgreements(ctx: DomainContext, actor: Actor, input: ListAgreementsInput): AsyncGenerator<AgreementSummary> {
  const now = ctx.clock.now();
  yield* streamFiltered(ctx, buildFilter(actor, input, now), input.sort);
  // the rows the list shows after these: found by free text only in their texts or comments
  if (!input.q) return;
  const found = await agreementsMatchingTexts(ctx, searchPhrases(input.q));
  if (found.ids.length > 0) yield* streamFiltered(ctx, textOnlyFilter(actor, input, now, found.ids), input.sort);
}

async function* streamFiltered(ctx: DomainContext, filter: Record<string, unknown>, sort: string | undefined): AsyncGenerator<AgreementSummary> {
  if (!duesFirst(sort)) return yield* streamCursor(ctx, filter, sort);
  yield* streamCursor(ctx, { $and: [filter, DATED] }, sort);
  yield* streamCursor(ctx, { $and: [filter, UNDATED] }, sort);
}

async function* streamCursor(ctx: DomainContext, filter: Record<string, unknown>, sort: string | undefined): AsyncGenerator<AgreementSummary> {
  const cursor = readAgreements(ctx, filter, sort, { batchSize: 500 });
  try {
    for await (const a of cursor) yield toAgreementSummary(a);
  } finally {
    await cursor.close();
  }
}
