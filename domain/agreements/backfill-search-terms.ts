import mongoose, { type Types } from 'mongoose';
import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';
import { derivedFields } from './derived-fields.js';

/** Marks that every agreement stored before `searchTerms` existed has been given them. */
export const SEARCH_TERMS_MARKER = 'search-terms:v1';
const BATCH = 500;

/**
 * Gives agreements written before free-text search used `searchTerms` their search fields, so
 * that the index finds them. Runs at start-up, once per database (a marker records it); writes
 * only the derived fields, never the version or updatedAt, since nothing a person sees changed.
 */
export async function backfillSearchTerms(ctx: DomainContext): Promise<number> {
  const { Agreement, Counter } = ctx.models;
  if (await Counter.exists({ _id: SEARCH_TERMS_MARKER })) return 0;
  let updated = 0;
  let after: Types.ObjectId | undefined;
  // Walked in _id order (an index), so each batch costs its own size, not a scan of the collection.
  for (;;) {
    const from: Record<string, unknown> = after ? { _id: mongoose.trusted({ $gt: after }) } : {};
    const batch = await Agreement.find(from, { code: 1, title: 1, parties: 1, confidentiality: 1, leadUnit: 1, searchTerms: 1 })
      .sort({ _id: 1 })
      .limit(BATCH)
      .lean<Array<Pick<AgreementRecord, '_id' | 'code' | 'title' | 'parties' | 'confidentiality' | 'leadUnit'> & { searchTerms?: string[] }>>();
    if (batch.length === 0) break;
    after = batch[batch.length - 1]!._id;
    const missing = batch.filter((a) => a.searchTerms === undefined);
    if (missing.length === 0) continue;
    await Agreement.bulkWrite(
      missing.map((a) => {
        const { searchText, searchTerms } = derivedFields(a);
        return { updateOne: { filter: { _id: a._id }, update: { $set: { searchText, searchTerms } } } };
      }),
    );
    updated += missing.length;
  }
  await Counter.updateOne({ _id: SEARCH_TERMS_MARKER }, { $set: { seq: 1, at: ctx.clock.now() } }, { upsert: true });
  return updated;
}
