import mongoose from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { InstrumentType, Stage } from '../../workflows/index.js';

export const SORT_FIELDS = ['updatedAt', 'createdAt', 'code', 'stage', 'type', 'stageEnteredAt', 'stageDueAt', 'title.id', 'title.en'] as const;

export interface ListAgreementsInput {
  stage?: Stage;
  type?: InstrumentType;
  /** a party's name or country, exact and case-insensitive */
  party?: string;
  /** ISO country code of a party */
  country?: string;
  subject?: string;
  leadUnit?: string;
  /** true: the current stage has outlived its service-level days; false: it has not */
  overdue?: boolean;
  /** free text over code, both titles and party names (substring, case-insensitive) */
  q?: string;
  /** a field of SORT_FIELDS, '-' in front for descending */
  sort?: string;
  /** how many matches to skip */
  offset?: number;
  limit?: number;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Builds the filter from checked input only. Operators are added here on purpose (trusted);
 * anything that came from a request is a plain value and sanitizeFilter keeps it so.
 */
export function buildFilter(actor: Actor, input: ListAgreementsInput, now: Date): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (actor.role !== 'admin') filter.audience = mongoose.trusted({ $in: ['*', actor.unit] });
  if (input.stage) filter.stage = input.stage;
  if (input.type) filter.type = input.type;
  if (input.party) filter.partyKeys = input.party.toLowerCase();
  if (input.country) filter['parties.country'] = input.country.toUpperCase();
  if (input.subject) filter.subjects = input.subject;
  if (input.leadUnit) filter.leadUnit = input.leadUnit;
  if (input.overdue === true) filter.stageDueAt = mongoose.trusted({ $lt: now });
  if (input.overdue === false) filter.stageDueAt = mongoose.trusted({ $not: { $lt: now } });
  if (input.q) filter.searchText = mongoose.trusted({ $regex: escapeRegex(input.q.toLowerCase()) });
  return filter;
}

export function buildSort(sort = '-updatedAt'): Record<string, 1 | -1> {
  const desc = sort.startsWith('-');
  return { [desc ? sort.slice(1) : sort]: desc ? -1 : 1 };
}

const HIDDEN = { searchText: 0, partyKeys: 0, audience: 0 };
/** Free-text matches counted by collecting their ids, up to this many; beyond it a separate count is cheaper. */
const SEARCH_ID_CAP = 2000;

/** One page of the agreements the actor may see, and how many match in all. */
export async function listAgreements(ctx: DomainContext, actor: Actor, input: ListAgreementsInput): Promise<{ items: AgreementRecord[]; total: number }> {
  const filter = buildFilter(actor, input, ctx.clock.now());
  const page = { sort: buildSort(input.sort), skip: input.offset ?? 0, limit: input.limit ?? 20 };
  if (input.q) {
    const found = await searchInOneScan(ctx, filter, page);
    if (found) return found;
  }
  const [items, total] = await Promise.all([
    ctx.models.Agreement.find(filter, HIDDEN).sort(page.sort).skip(page.skip).limit(page.limit).lean<AgreementRecord[]>(),
    ctx.models.Agreement.countDocuments(filter),
  ]);
  return { items, total };
}

/**
 * A regex over searchText can use no index, so the matches are found in one pass (ids only)
 * that gives both the total and the page, instead of one pass to count and another to page.
 * Undefined when the matches are too many to collect: then the ordinary count runs.
 */
async function searchInOneScan(
  ctx: DomainContext,
  filter: Record<string, unknown>,
  page: { sort: Record<string, 1 | -1>; skip: number; limit: number },
): Promise<{ items: AgreementRecord[]; total: number } | undefined> {
  const { Agreement } = ctx.models;
  const ids = await Agreement.find(filter, { _id: 1 }).sort(page.sort).limit(SEARCH_ID_CAP + 1).lean<Array<{ _id: unknown }>>();
  if (ids.length > SEARCH_ID_CAP) return undefined;
  const pageIds = ids.slice(page.skip, page.skip + page.limit).map((d) => d._id);
  if (pageIds.length === 0) return { items: [], total: ids.length };
  const byIds: Record<string, unknown> = { _id: mongoose.trusted({ $in: pageIds }) };
  const docs = await Agreement.find(byIds, HIDDEN).lean<AgreementRecord[]>();
  const byId = new Map(docs.map((d) => [String(d._id), d]));
  const items = pageIds.map((id) => byId.get(String(id))).filter((d): d is AgreementRecord => d !== undefined);
  return { items, total: ids.length };
}
