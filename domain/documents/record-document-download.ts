import mongoose from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { appendHistoryEventRetrying, isHistoryBusy } from '../history/append-history-event.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { DocumentRecord } from '../../models/document.js';
import type { ByteRange } from '../../uploads/storage/index.js';

export type DownloadVariant = 'original' | 'stamped' | 'signing_packet';

type Downloaded = { variant: DownloadVariant; documentId?: string; kind?: string; language?: string; version?: number; sha256?: string };

/**
 * How long a reading lasts: a range past the first byte within this time of the reader's last
 * recorded download of the same file belongs to that reading. A viewer asks for its ranges
 * within seconds of opening the file; a reader still scrolling after this is recorded again.
 */
export const READING_MS = 10 * 60_000;

/**
 * Readings being recorded now in this process, by reader and file: ranges of one reading that
 * arrive together wait for the one record instead of each writing their own.
 */
const recording = new Map<string, Promise<boolean>>();

/**
 * Who read a confidential agreement's text is part of its history, recorded before the first
 * byte is sent. One event stands for one reading: whatever parts of the file the reader fetches
 * within READING_MS, not each byte range (a PDF viewer asks for dozens at once, and each write
 * would contend for the same place in the hash chain):
 * - a response from the first byte (the whole file, or a range from byte 0) starts a reading
 *   and is always recorded;
 * - a range further on is part of the reader's reading of that file when one is on record from
 *   the last READING_MS, and is then served without a write; otherwise it starts a reading, and
 *   the event names the range it began with (`firstRange`), never taken for all that was read:
 *   so no byte of the file leaves without a reading on record.
 * Other agreements are not recorded (their downloads would drown the history).
 */
export async function recordDocumentDownload(ctx: DomainContext, actor: Actor, agreement: AgreementRecord, what: Downloaded, range?: ByteRange & { size: number }): Promise<boolean> {
  if (agreement.confidentiality !== 'confidential') return false;
  // a reading that began with a partial response names those bytes (`firstRange: "bytes 1-4095/4096"`)
  const changes = { ...what, ...(range ? { firstRange: `bytes ${range.start}-${range.end}/${range.size}` } : {}) };
  if (!range || range.start === 0) return appendDownload(ctx, actor, agreement, changes);

  const key = [String(agreement._id), actor.id, what.variant, what.documentId ?? ''].join(':');
  let pending = recording.get(key);
  if (!pending) {
    pending = (async () => ((await readingOnRecord(ctx, actor, agreement, what)) ? false : appendDownload(ctx, actor, agreement, changes)))().finally(() => recording.delete(key));
    recording.set(key, pending);
  }
  return pending;
}

/** Through the {action, at} index: only the last minutes' downloads are looked at. */
async function readingOnRecord(ctx: DomainContext, actor: Actor, agreement: AgreementRecord, what: Downloaded): Promise<boolean> {
  const since = new Date(ctx.clock.now().getTime() - READING_MS);
  const found = await ctx.models.HistoryEvent.exists({
    action: 'document_downloaded',
    at: mongoose.trusted({ $gt: since }),
    agreementId: agreement._id,
    'actor.id': actor.id,
    'changes.variant': what.variant,
    ...(what.documentId ? { 'changes.documentId': what.documentId } : {}),
  });
  return found !== null;
}

/**
 * A reader is never refused because others are writing the same history at that moment: when
 * the append still loses after every try, the file is served and the event goes to the error
 * log instead, whole, so the record can be completed from it. Any other failure (the database
 * is gone) refuses the download: one that cannot be recorded does not happen.
 */
async function appendDownload(ctx: DomainContext, actor: Actor, agreement: AgreementRecord, changes: Record<string, unknown>): Promise<boolean> {
  try {
    await appendHistoryEventRetrying(ctx, { agreementId: agreement._id, actor, action: 'document_downloaded', changes });
    return true;
  } catch (err) {
    if (!isHistoryBusy(err)) throw err;
    ctx.logger.error('download served without its history event: the history stayed busy through every try', {
      agreementId: String(agreement._id),
      action: 'document_downloaded',
      at: ctx.clock.now().toISOString(),
      actor: actor.email,
      actorId: actor.id,
      role: actor.role,
      changes,
    });
    return false;
  }
}

/** The recordDownload of a stored document's file (original or stamped copy). */
export function downloadRecorder(ctx: DomainContext, actor: Actor, agreement: AgreementRecord, document: DocumentRecord, variant: DownloadVariant) {
  return async (range?: ByteRange & { size: number }): Promise<void> => {
    await recordDocumentDownload(ctx, actor, agreement, {
      variant,
      documentId: String(document._id),
      kind: document.kind,
      language: document.language,
      version: document.version,
      sha256: document.sha256,
    }, range);
  };
}
