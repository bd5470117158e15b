import crypto from 'node:crypto';
import fs from 'node:fs';
import mongoose from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { DocumentRecord, RenditionRecord } from '../../models/document.js';
import type { StampSpec } from '../../uploads/pdf/stamp.js';
import type { FileToSend } from './file-to-send.js';
import { getVisibleDocument } from './get-visible-document.js';
import { downloadRecorder } from './record-document-download.js';
import { runPdfWork } from './run-pdf-work.js';
import { STAGE_LABELS } from '../deadlines/labels.js';
import { languageName } from '../../workflows/language-names.js';

/** Bump when the stamp's layout changes, so earlier stamped copies are regenerated. */
const STAMP_LAYOUT = 1;

const KIND_LABELS: Record<string, string> = {
  draft: 'rancangan/draft',
  final: 'final',
  signed: 'ditandatangani/signed',
  annex: 'lampiran/annex',
  minutes: 'risalah/minutes',
  full_powers: 'surat kuasa/full powers',
  note: 'nota/note',
};

/**
 * The stamp for a document as its agreement stands now (the stage is part of it). A signed
 * original's stamped copy no longer carries valid signatures (stamping rewrites the file), so
 * its footer says the original does and where they are checked.
 */
function stampFor(document: DocumentRecord, agreement: AgreementRecord, publicUrl: string): StampSpec {
  const language = languageName(document.language);
  const footer = [
    agreement.code,
    // the language named as the pages name it: a reader of the printout does not know 'ar'
    `${KIND_LABELS[document.kind] ?? document.kind} (${language.id}/${language.en})`,
    `v${document.version}`,
    // the stage in words too, for the same reason
    `${STAGE_LABELS[agreement.stage].id.toLowerCase()}/${STAGE_LABELS[agreement.stage].en.toLowerCase()}`,
    `SHA-256 ${document.sha256.slice(0, 12)}`,
  ].join(' · ');
  const notice = document.signatures?.length ? signedOriginalNotice(document, publicUrl) : undefined;
  return { footer, ...(document.kind === 'draft' ? { watermark: 'RANCANGAN / DRAFT' } : {}), ...(notice ? { notice } : {}) };
}

function signedOriginalNotice(document: DocumentRecord, publicUrl: string): string[] {
  const where = `${publicUrl.replace(/\/+$/, '')}/api/documents/${String(document._id)}/signatures`;
  return [
    `Berkas asli memuat tanda tangan elektronik; salinan berstempel ini tidak. Periksa tanda tangannya pada berkas asli di ${where}`,
    `The original file carries electronic signatures; this stamped copy does not. Verify them on the original at ${where}`,
  ];
}

export function stampHash(spec: StampSpec): string {
  // the notice enters the hash only when there is one: stamps of unsigned files keep their hash
  const content = { layout: STAMP_LAYOUT, footer: spec.footer, watermark: spec.watermark ?? null, ...(spec.notice ? { notice: spec.notice } : {}) };
  return crypto.createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** What the copy's file name calls it, in the reader's language: "naskah (MOU-KOR-2026-01 v1 berstempel).pdf". */
const STAMPED: Record<'id' | 'en', string> = { id: 'berstempel', en: 'stamped' };

/** One generation at a time per (document, stamp) in this process; others wait for it. */
const inFlight = new Map<string, Promise<RenditionRecord>>();

/**
 * The stamped copy: generated in a worker thread the first time a (document, stamp) pair is
 * asked for, stored like any file, recorded on the document, then served from storage. `lang`
 * names the file for its reader; the copy itself is the same in both (its stamp is bilingual).
 */
export async function getStampedCopy(ctx: DomainContext, actor: Actor, documentId: string, lang: 'id' | 'en'): Promise<FileToSend> {
  const { document, agreement } = await getVisibleDocument(ctx, actor, documentId);
  const spec = stampFor(document, agreement, ctx.config.publicUrl);
  const hash = stampHash(spec);
  const rendition = await ensureRendition(ctx, actor, document, spec, hash);
  const store = ctx.services.documents.files.get(rendition.driver);
  const base = document.fileName.replace(/\.pdf$/i, '');
  return {
    fileName: `${base} (${agreement.code} v${document.version} ${STAMPED[lang]}).pdf`,
    contentType: 'application/pdf',
    size: rendition.size,
    sha256: rendition.sha256,
    open: (range) => store.read(rendition.key, range),
    recordDownload: downloadRecorder(ctx, actor, agreement, document, 'stamped'),
  };
}

async function ensureRendition(ctx: DomainContext, actor: Actor, document: DocumentRecord, spec: StampSpec, hash: string): Promise<RenditionRecord> {
  const { files } = ctx.services.documents;
  const existing = document.renditions?.find((r) => r.stampHash === hash);
  if (existing) {
    if (await files.get(existing.driver).stat(existing.key)) return existing;
    // the stored copy went missing: forget it and make it again
    await ctx.models.Document.updateOne({ _id: document._id }, { $pull: { renditions: { stampHash: hash } } });
  }
  const flightKey = `${String(document._id)}:${hash}`;
  let flight = inFlight.get(flightKey);
  if (!flight) {
    // on a place of whoever asks first; those who join wait for it and take none
    flight = runPdfWork(ctx, actor, () => generate(ctx, document, spec, hash)).finally(() => inFlight.delete(flightKey));
    inFlight.set(flightKey, flight);
  }
  return flight;
}

async function generate(ctx: DomainContext, document: DocumentRecord, spec: StampSpec, hash: string): Promise<RenditionRecord> {
  const { files, temp, pdf } = ctx.services.documents;
  const source = await files.get(document.storage.driver).localPath(document.storage.key, () => temp.path('.pdf'));
  const output = temp.path('.pdf');
  const store = files.primary;
  const key = `stamped/${String(document.agreementId)}/${String(document._id)}-${hash.slice(0, 16)}-${crypto.randomBytes(4).toString('hex')}.pdf`;
  try {
    const result = await pdf.run({ type: 'stamp', input: source.path, output, stamp: spec });
    const sha256 = await hashFile(output);
    await store.putFile(key, output);
    const rendition: RenditionRecord = { stampHash: hash, key, driver: store.driver, size: result.size, sha256, createdAt: ctx.clock.now() };
    const added = await ctx.models.Document.updateOne(
      { _id: document._id, 'renditions.stampHash': mongoose.trusted({ $ne: hash }) },
      { $push: { renditions: rendition } },
    ).catch(async (err: unknown) => {
      await store.delete(key).catch(() => {});
      throw err;
    });
    if (added.modifiedCount === 1) return rendition;
    // another instance recorded the same stamp first: use theirs, drop ours
    await store.delete(key);
    const current = await ctx.models.Document.findById(document._id, { renditions: 1 }).lean<Pick<DocumentRecord, 'renditions'>>();
    const theirs = current?.renditions.find((r) => r.stampHash === hash);
    if (!theirs) throw new Error('stamped copy vanished while being recorded');
    return theirs;
  } finally {
    await source.release();
    await temp.remove(output);
  }
}

async function hashFile(path: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
