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
  const unique = [...new Set([...ids].map(String))];
  if (unique.length === 0) return new Map();
  const rows = await ctx.models.Agreement.find({ _id: mongoose.trusted({ $in: unique.map((id) => new Types.ObjectId(id)) }) }, { code: 1, title: 1, stage: 1 }).lean<
    Array<Pick<AgreementRecord, '_id' | 'code' | 'title' | 'stage'>>
  >();
  return new Map(rows.map((a) => [String(a._id), agreementLabel(a)]));
}

/** A row whose agreement is gone still says which id it had. */
export const labelOrId = (labels: Map<string, AgreementLabel>, id: Types.ObjectId | string): AgreementLabel | { id: string; code: null; title: null; stage: null } =>
  labels.get(String(id)) ?? { id: String(id), code: null, title: null, stage: null };
