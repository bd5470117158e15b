import mongoose, { Types } from 'mongoose';
import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';

/** How a row that belongs to an agreement names it: people read codes and titles, not ids. */
export interface AgreementLabel {
  id: string;
  code: string;
  title: { id: string; en: string };
  /** where it stands now (calendars and lists show it beside the code) */
  stage: string;
}

export const agreementLabel = (a: Pick<AgreementRecord, '_id' | 'code' | 'title' | 'stage'>): AgreementLabel => ({
  id: String(a._id),
  code: a.code,
  title: { id: a.title.id, en: a.title.en },
  stage: a.stage,
});

/**
 * The labels of the agreements a page of rows refers to, in one read by _id. Callers have already
 * decided the reader may see these rows (audience filters, admin-only lists, own notifications).
 */
export async function loadAgreementLabels(ctx: DomainContext, ids: Iterable<Types.ObjectId | string>): Promise<Map<string, AgreementLabel>> {
  const rows = await readLabelled(ctx, ids, { code: 1, title: 1, stage: 1 });
  return new Map(rows.map((a) => [String(a._id), agreementLabel(a)]));
}

/**
 * The labels as loadAgreementLabels reads them, and the names of those agreements' parties by the
 * party's id, in the same read: a signing deadline is read as "Signature by Malaysia", not as
 * "Signature" three times on one day.
 */
export async function loadAgreementLabelsAndParties(
  ctx: DomainContext,
  ids: Iterable<Types.ObjectId | string>,
): Promise<{ labels: Map<string, AgreementLabel>; partyNames: Map<string, string> }> {
  const rows = await readLabelled(ctx, ids, { code: 1, title: 1, stage: 1, 'parties._id': 1, 'parties.name': 1 });
  const partyNames = new Map<string, string>();
  for (const a of rows) for (const p of a.parties ?? []) partyNames.set(String(p._id), p.name);
  return { labels: new Map(rows.map((a) => [String(a._id), agreementLabel(a)])), partyNames };
}

type Labelled = Pick<AgreementRecord, '_id' | 'code' | 'title' | 'stage'> & { parties?: Array<Pick<AgreementRecord['parties'][number], '_id' | 'name'>> };

async function readLabelled(ctx: DomainContext, ids: Iterable<Types.ObjectId | string>, projection: Record<string, 1>): Promise<Labelled[]> {
  const unique = [...new Set([...ids].map(String))];
  if (unique.length === 0) return [];
  return ctx.models.Agreement.find({ _id: mongoose.trusted({ $in: unique.map((id) => new Types.ObjectId(id)) }) }, projection).lean<Labelled[]>();
}

/** A row whose agreement is gone still says which id it had. */
export const labelOrId = (labels: Map<string, AgreementLabel>, id: Types.ObjectId | string): AgreementLabel | { id: string; code: null; title: null; stage: null } =>
  labels.get(String(id)) ?? { id: String(id), code: null, title: null, stage: null };
