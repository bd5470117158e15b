import mongoose, { type Types } from 'mongoose';
import type { DomainContext } from '../context.js';
import type { DocumentRecord } from '../../models/document.js';
import type { HistoryEventRecord } from '../../models/history-event.js';
import { extractText, textFacts } from '../documents/upload-document.js';
import { recordEarlierDocumentText, textFields } from './text-search.js';

/** Marks that the versions and comments stored before text search have been made searchable. */
export const AGREEMENT_TEXTS_MARKER = 'agreement-texts:v1';
/** Versions read per batch: each is one PDF worker task, run one after another. */
const DOCUMENT_BATCH = 20;
/** Comments written per batch (one bulk write). */
const COMMENT_BATCH = 500;

export interface TextBackfillResult {
  documents: number;
  comments: number;
  /** versions whose text could not be read (marked with textError, like a failed upload extraction) */
  failed: number;
}

/**
 * Makes searchable what was stored before text search existed: each PDF version without text
 * facts has its text extracted (in the PDF worker, under the upload's limits, one version at a
 * time so uploads keep the other workers) and each comment without a search entry gets one.
 * Runs in the background after start-up, once per database (a marker records it); a run cut
 * short (stop, crash) leaves the marker unset and the next start goes on where it stopped,
 * since done versions carry their facts and done comments their entry. Two instances starting
 * together may read the same version twice; the writes are conditional, so nothing doubles.
 */
export async function backfillAgreementTexts(ctx: DomainContext, options: { stopped?: () => boolean } = {}): Promise<TextBackfillResult | null> {
  const { Counter } = ctx.models;
  const stopped = options.stopped ?? (() => false);
  if (await Counter.exists({ _id: AGREEMENT_TEXTS_MARKER })) return null;
  const result: TextBackfillResult = { documents: 0, comments: 0, failed: 0 };
  if (!(await backfillDocuments(ctx, result, stopped))) return result;
  if (!(await backfillComments(ctx, result, stopped))) return result;
  await Counter.updateOne({ _id: AGREEMENT_TEXTS_MARKER }, { $set: { seq: 1, at: ctx.clock.now() } }, { upsert: true });
  return result;
}

/** Versions with neither text facts nor a recorded failure: stored by a build before text search. */
const WITHOUT_TEXT = { textLayer: mongoose.trusted({ $exists: false }), textError: mongoose.trusted({ $exists: false }) };

async function backfillDocuments(ctx: DomainContext, result: TextBackfillResult, stopped: () => boolean): Promise<boolean> {
  const { Document } = ctx.models;
  const { files, temp } = ctx.services.documents;
  let after: Types.ObjectId | undefined;
  for (;;) {
    if (stopped()) return false;
    const batch = await Document.find({ ...WITHOUT_TEXT, ...(after ? { _id: mongoose.trusted({ $gt: after }) } : {}) })
      .sort({ _id: 1 })
      .limit(DOCUMENT_BATCH)
      .lean<DocumentRecord[]>();
    if (batch.length === 0) return true;
    after = batch[batch.length - 1]!._id;
    for (const doc of batch) {
      if (stopped()) return false;
      const store = files.get(doc.storage.driver);
      let facts: ReturnType<typeof textFacts>;
      if (!(await store.stat(doc.storage.key))) {
        // the stored file is gone (GET /verify says so too): nothing to read, and no reason to try at every start
        facts = { textError: 'file_missing' };
      } else {
        const source = await store.localPath(doc.storage.key, () => temp.path('.pdf'));
        try {
          const text = await extractText(ctx, source.path);
          if ('text' in text && text.textLayer) await recordEarlierDocumentText(ctx, doc, text.text);
          facts = textFacts(text);
        } finally {
          await source.release();
        }
      }
      await Document.updateOne({ _id: doc._id, ...WITHOUT_TEXT }, { $set: facts });
      if (facts.textError) result.failed++;
      else result.documents++;
    }
    ctx.logger.info('text search backfill: document versions read', { documents: result.documents, failed: result.failed });
  }
}

async function backfillComments(ctx: DomainContext, result: TextBackfillResult, stopped: () => boolean): Promise<boolean> {
  const { HistoryEvent, AgreementText } = ctx.models;
  // through the {action, at} index: every comment, newest first
  const cursor = HistoryEvent.find({ action: 'comment' }, { agreementId: 1, actor: 1, at: 1, changes: 1 })
    .sort({ action: 1, at: -1 })
    .lean<Array<Pick<HistoryEventRecord, '_id' | 'agreementId' | 'actor' | 'at' | 'changes'>>>()
    .cursor({ batchSize: COMMENT_BATCH });
  let batch: Array<Pick<HistoryEventRecord, '_id' | 'agreementId' | 'actor' | 'at' | 'changes'>> = [];
  const flush = async () => {
    const known = new Set((await AgreementText.find({ _id: mongoose.trusted({ $in: batch.map((e) => e._id) }) }, { _id: 1 }).lean()).map((e) => String(e._id)));
    const missing = batch.filter((e) => !known.has(String(e._id)) && typeof e.changes?.text === 'string' && e.changes.text.trim());
    if (missing.length > 0) {
      await AgreementText.bulkWrite(
        missing.map((e) => ({
          updateOne: {
            filter: { _id: e._id },
            update: { $setOnInsert: { agreementId: e.agreementId, source: 'comment', author: e.actor.name ?? null, at: e.at, ...textFields(e.changes.text as string) } },
            upsert: true,
          },
        })),
        { ordered: false },
      );
      result.comments += missing.length;
      ctx.logger.info('text search backfill: comments indexed', { comments: result.comments });
    }
    batch = [];
  };
  try {
    for await (const event of cursor) {
      if (stopped()) return false;
      batch.push(event);
      if (batch.length >= COMMENT_BATCH) await flush();
    }
    if (batch.length > 0) await flush();
    return true;
  } finally {
    await cursor.close();
  }
}
