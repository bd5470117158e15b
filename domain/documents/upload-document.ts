import { inTransaction } from '../../lib/transaction.js';
import { dispatchWebhookEvents } from '../webhooks/dispatch-webhook-events.js';
import { recordWebhookEvent } from '../webhooks/record-webhook-event.js';
import { Types } from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { assertAllowed } from '../accounts/assert-allowed.js';
import { getVisibleAgreement, notFound } from '../agreements/get-visible-agreement.js';
import { reopenForTextChange } from '../agreements/reopen-for-text-change.js';
import { isDuplicateKey } from '../../lib/transaction.js';
import { appendHistoryEvent } from '../history/append-history-event.js';
import { languageName } from '../../workflows/language-names.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { DocumentKind, DocumentRecord } from '../../models/document.js';
import { sanitizeFileName } from '../../uploads/file-name.js';
import { toDocumentView, type DocumentView } from './document-view.js';
import { planUpload } from './upload-rules.js';
import { recordDocumentText } from '../agreements/text-search.js';
import { PdfRejection } from '../../uploads/pdf/rejection.js';
import { MAX_TEXT_CHARS, type PdfText } from '../../uploads/pdf/extract-text.js';
import { assertPdfRoom, runPdfWork } from './run-pdf-work.js';

/**
 * Before a byte of the file is read: the role may upload, the agreement exists and is visible,
 * and the PDF workers would take the file now (the user's places, the line). The agreement as
 * read here (outside any transaction) goes to uploadDocument; the transaction reads it once more.
 */
export async function prepareUpload(ctx: DomainContext, actor: Actor, agreementId: string): Promise<AgreementRecord> {
  assertAllowed(actor, 'uploadDocument');
  const agreement = await getVisibleAgreement(ctx, actor, agreementId);
  assertPdfRoom(ctx, actor);
  return agreement;
}

export interface UploadDocumentInput {
  actor: Actor;
  /** from prepareUpload */
  agreement: AgreementRecord;
  kind: DocumentKind;
  language: string;
  /** after text_agreed, a new final text must ask for the reopening explicitly */
  reopen?: boolean;
  reason?: string;
  /** required for kind full_powers, refused for any other kind */
  fullPowers?: { partyId: string; issuedBy: string; issuedAt: Date };
  /** the received file: a flushed temporary file, already hashed while it streamed in */
  file: { path: string; size: number; sha256: string; originalName?: string };
}

/**
 * A full-powers letter (Surat Kuasa) names the party whose signatory it empowers, who issued it
 * and when; no other kind carries those facts.
 */
function checkFullPowers(agreement: AgreementRecord, input: UploadDocumentInput): void {
  if (input.kind !== 'full_powers') {
    if (input.fullPowers) {
      throw new AppError('validation_failed', 'Only a full-powers letter names a party, an issuer and an issue date / Hanya Surat Kuasa yang mencantumkan pihak, penerbit dan tanggal terbit', [
        { field: 'partyId', message: "'partyId', 'issuedBy' and 'issuedAt' are only for kind 'full_powers' / 'partyId', 'issuedBy' dan 'issuedAt' hanya untuk jenis 'full_powers'", type: 'any.unknown' },
      ]);
    }
    return;
  }
  const missing = (['partyId', 'issuedBy', 'issuedAt'] as const).filter((field) => !input.fullPowers?.[field]);
  if (missing.length > 0) {
    throw new AppError('validation_failed', 'A full-powers letter needs the party, who issued it and when / Surat Kuasa wajib mencantumkan pihak, penerbit dan tanggal terbit', missing.map((field) => ({ field, message: `'${field}' is required / '${field}' wajib diisi`, type: 'any.required' })));
  }
  if (!agreement.parties.some((p) => String(p._id) === input.fullPowers!.partyId)) {
    throw new AppError('validation_failed', 'The full-powers letter names no party of this agreement / Surat Kuasa tidak menyebut pihak dalam perjanjian ini', [
      { field: 'partyId', message: "'partyId' is not a party of this agreement / 'partyId' bukan pihak dalam perjanjian ini", type: 'any.only' },
    ]);
  }
}

/** Concurrent uploads of one kind and language race for the next version number; losers retry. */
const MAX_ATTEMPTS = 25;

/**
 * The very file that is already the latest version would only add a version that changes
 * nothing, and a reader would take it for a revision. An older version's file may come back as
 * the newest (going back to an earlier text), so only the latest is compared.
 */
async function checkNotSameAsLatest(ctx: DomainContext, input: UploadDocumentInput): Promise<void> {
  const latest = await ctx.models.Document.findOne({ agreementId: input.agreement._id, kind: input.kind, language: input.language }, { version: 1, sha256: 1 })
    .sort({ version: -1 })
    .lean<Pick<DocumentRecord, 'version' | 'sha256'>>();
  if (latest?.sha256 === input.file.sha256) throw sameAsLatest(latest);
}

function sameAsLatest(latest: Pick<DocumentRecord, 'version' | 'sha256'>): AppError {
  return new AppError(
    'duplicate',
    `This file is already version ${latest.version} of this document (the same SHA-256): there is nothing new to upload / Berkas ini sudah menjadi versi ${latest.version} dokumen ini (SHA-256 yang sama): tidak ada yang baru untuk diunggah`,
    { fields: ['file'], version: latest.version, sha256: latest.sha256 },
  );
}

/**
 * Accepts one PDF version. Order matters for "no orphan, no dangling record":
 * 1. check the file in a worker thread (memory cap, time limit) while it is still temporary, on
 *    one of the uploader's places in the shared workers (refused with 429 when they have none);
 * 2. move it into storage (durable when this returns);
 * 3. in one transaction: re-check the stage, reopen if asked, insert the record with the next
 *    version, append the history event with the file's SHA-256;
 * 4. if 3 fails, delete the stored file. A crash between 2 and 3 can leave a file without a
 *    record (never listed or served: it only takes space), never a record without its file.
 * The temporary file is gone when this returns, whatever happened.
 */
export async function uploadDocument(ctx: DomainContext, input: UploadDocumentInput): Promise<DocumentView> {
  const { documents } = ctx.services;
  try {
    const { agreement } = input;
    // fail fast on the stage rules before spending a worker on the file; re-checked in the transaction
    planUpload(agreement, input.kind, input.language, Boolean(input.reopen));
    checkFullPowers(agreement, input);
    await checkNotSameAsLatest(ctx, input);

    const { facts, text } = await runPdfWork(ctx, input.actor, async () => ({
      facts: await documents.pdf.run({ type: 'inspect', path: input.file.path, maxPages: ctx.config.uploads.maxPages, trustedRoots: ctx.config.signatures.trustedRoots }),
      text: await extractText(ctx, input.file.path),
    }));

    const id = new Types.ObjectId();
    const store = documents.files.primary;
    const key = `documents/${String(agreement._id)}/${id.toHexString()}.pdf`;
    await store.putFile(key, input.file.path);
    try {
      const record = await insertNextVersion(ctx, {
        _id: id,
        agreementId: agreement._id,
        kind: input.kind,
        language: input.language,
        ...(input.fullPowers ? { fullPowers: { ...input.fullPowers, partyId: new Types.ObjectId(input.fullPowers.partyId) } } : {}),
        fileName: sanitizeFileName(input.file.originalName),
        contentType: 'application/pdf',
        size: input.file.size,
        sha256: input.file.sha256,
        pages: facts.pages,
        pdfVersion: facts.pdfVersion,
        ...textFacts(text),
        signatures: facts.signatures,
        signaturesCheckedAt: ctx.clock.now(),
        storage: { driver: store.driver, key },
        uploadedBy: { id: input.actor.id, email: input.actor.email, name: input.actor.name, role: input.actor.role },
        renditions: [],
        reopen: Boolean(input.reopen),
        reason: input.reason,
        actor: input.actor,
        text: 'text' in text && text.textLayer ? text.text : '',
      });
      dispatchWebhookEvents(ctx);
      return toDocumentView(record);
    } catch (err) {
      await store.delete(key).catch((cleanupErr) => ctx.logger.error('could not remove stored file after a failed upload', { key, err: String(cleanupErr) }));
      throw err;
    }
  } finally {
    await documents.temp.remove(input.file.path);
  }
}

/**
 * The version's text, read in a PDF worker under the same limits as the checks. A file that
 * passed the checks is accepted even if its text cannot be read in time or memory: the version
 * is stored and marked (textError), it is just not found by search. Never refused for a full
 * line (alwaysQueue): it follows checks the line already took, or is the backfill's one task.
 */
export async function extractText(ctx: DomainContext, path: string): Promise<PdfText | { error: string }> {
  try {
    return await ctx.services.documents.pdf.run({ type: 'text', path, maxChars: MAX_TEXT_CHARS }, { alwaysQueue: true });
  } catch (err) {
    if (err instanceof PdfRejection) return { error: err.reason };
    ctx.logger.error('text extraction failed', { err: String(err) });
    return { error: 'failed' };
  }
}

export function textFacts(text: PdfText | { error: string }): Pick<DocumentRecord, 'textLayer' | 'textChars' | 'textTruncated' | 'textError'> {
  if ('error' in text) return { textError: text.error };
  return { textLayer: text.textLayer, textChars: text.text.length, textTruncated: text.truncated };
}

/** The history's reason for a reopening nobody explained: which text came, its language in words. */
function finalTextReason(language: string): string {
  const named = languageName(language);
  return `New final text in ${named.en} uploaded / Naskah final baru dalam ${named.id} diunggah`;
}

type NewRecord = Omit<DocumentRecord, 'version' | 'stageAtUpload' | 'createdAt'> & { reopen: boolean; reason?: string; actor: Actor; text: string };

async function insertNextVersion(ctx: DomainContext, draft: NewRecord): Promise<DocumentRecord> {
  const { reopen, reason, actor, text, ...fields } = draft;
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(ctx, async (session) => {
        const agreement = await ctx.models.Agreement.findById(fields.agreementId, null, { session }).lean<AgreementRecord>();
        if (!agreement) throw notFound();
        const plan = planUpload(agreement, fields.kind, fields.language, reopen);
        const stageAtUpload = agreement.stage;
        if (plan.reopen) {
          await reopenForTextChange(
            ctx,
            {
              agreement,
              actor,
              reason: reason?.trim() || finalTextReason(fields.language),
            },
            session,
          );
        }
        const last = await ctx.models.Document.findOne({ agreementId: fields.agreementId, kind: fields.kind, language: fields.language }, { version: 1, sha256: 1 }, { session })
          .sort({ version: -1 })
          .lean<Pick<DocumentRecord, 'version' | 'sha256'>>();
        // checked again here: the same file sent twice at once passes the first check both times
        if (last?.sha256 === fields.sha256) throw sameAsLatest(last);
        const version = (last?.version ?? 0) + 1;
        const createdAt = ctx.clock.now();
        const [doc] = await ctx.models.Document.create([{ ...fields, version, stageAtUpload, createdAt }], { session });
        await recordDocumentText(ctx, { ...fields, version, createdAt }, text, session);
        await appendHistoryEvent(
          ctx,
          {
            agreementId: fields.agreementId,
            actor,
            action: 'document_uploaded',
            changes: {
              documentId: fields._id.toHexString(),
              kind: fields.kind,
              language: fields.language,
              version,
              sha256: fields.sha256,
              size: fields.size,
              pages: fields.pages,
              fileName: fields.fileName,
              stage: stageAtUpload,
              ...(fields.fullPowers ? { fullPowers: { partyId: String(fields.fullPowers.partyId), issuedBy: fields.fullPowers.issuedBy, issuedAt: fields.fullPowers.issuedAt } } : {}),
              ...(plan.reopen ? { reopened: true } : {}),
              // a signed copy whose signature does not hold is on the record, not only in the file's details
              ...(fields.signatures?.length ? { signatures: fields.signatures.map((sig) => ({ signer: sig.signer?.commonName ?? null, status: sig.status })) } : {}),
            },
          },
          session,
        );
        const after = plan.reopen ? await ctx.models.Agreement.findById(fields.agreementId, { code: 1, title: 1, stage: 1, version: 1 }, { session }).lean<AgreementRecord>() : agreement;
        await recordWebhookEvent(
          ctx,
          {
            type: 'document.version_added',
            agreement: after ?? agreement,
            actor,
            at: createdAt,
            data: {
              document: { id: fields._id.toHexString(), kind: fields.kind, language: fields.language, version, fileName: fields.fileName, sha256: fields.sha256, size: fields.size, pages: fields.pages },
              reopened: plan.reopen,
            },
          },
          session,
        );
        return doc.toObject() as DocumentRecord;
      });
    } catch (err) {
      // the version number (or the history sequence) was taken by a concurrent upload: next one
      if (isDuplicateKey(err) && attempt < MAX_ATTEMPTS) {
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 10 * attempt)));
        continue;
      }
      if (isDuplicateKey(err)) {
        throw new AppError('version_conflict', 'Too many simultaneous uploads; try again / Terlalu banyak unggahan bersamaan; coba lagi');
      }
      throw err;
    }
  }
}
