import fs from 'node:fs';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { getVisibleAgreement } from '../agreements/get-visible-agreement.js';
import { titlesInOrder } from '../agreements/titles.js';
import { longDateTime } from '../reminders/reminder-wording.js';
import { HQ_TIMEZONE, dayInWords } from '../../workflows/business-days.js';
import { atSentenceStart, languageName } from '../../workflows/language-names.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { DocumentRecord } from '../../models/document.js';
import type { PacketSpec, PacketText } from '../../uploads/pdf/signing-packet.js';
import type { FileToSend } from './file-to-send.js';
import { recordDocumentDownload } from './record-document-download.js';
import { assertPdfRoom, runPdfWork } from './run-pdf-work.js';

/** "Bahasa Arab / Arabic" for the cover, named as the pages and the refusals name it. */
function bilingualName(language: string): string {
  const named = languageName(language);
  return `${atSentenceStart(named.id)} / ${named.en}`;
}

const TYPE_LABELS: Record<string, string> = {
  mou: 'Nota Kesepahaman / Memorandum of Understanding',
  agreement: 'Perjanjian / Agreement',
  technical_arrangement: 'Pengaturan Teknis / Technical Arrangement',
  cooperation_agreement: 'Perjanjian Kerja Sama / Cooperation Agreement',
  guideline: 'Pedoman / Guideline',
};

const PARTY_KIND_LABELS: Record<string, string> = { state: 'negara/state', agency: 'instansi/agency', organisation: 'organisasi/organisation' };


/** "11 Agustus 2022 / 11 August 2022" (one form when both read the same). */
export function bilingualDate(isoDate: string): string {
  const id = dayInWords(isoDate, 'id');
  const en = dayInWords(isoDate, 'en');
  return id === en ? id : `${id} / ${en}`;
}

export interface SigningPacketInput {
  /** planned place and date (YYYY-MM-DD) of signing; default: what recorded signatures say */
  place?: string;
  date?: string;
  /** the language of the file's name (default Indonesian); the packet itself is in both languages */
  lang?: 'id' | 'en';
}

/** What the file's name calls the packet: "MOU-KOR-2026-01 paket penandatanganan.pdf". */
const PACKET: Record<'id' | 'en', string> = { id: 'paket penandatanganan', en: 'signing packet' };

/**
 * One PDF for the signing table: cover sheet, the latest final text in each authentic language,
 * a signature page. Refused (422, listing what is missing) until every authentic language has a
 * final text and every party a signatory.
 */
export async function buildSigningPacket(ctx: DomainContext, actor: Actor, agreementId: string, input: SigningPacketInput = {}): Promise<FileToSend> {
  const agreement = await getVisibleAgreement(ctx, actor, agreementId);
  const finals = await latestFinals(ctx, agreement);
  const missing = missingForPacket(agreement, finals);
  if (missing.length > 0) {
    throw new AppError('unprocessable', 'The signing packet needs a final text in every authentic language and a signatory for every party / Paket penandatanganan memerlukan naskah final dalam setiap bahasa otentik dan penanda tangan untuk setiap pihak', { missing });
  }

  // before the final texts are copied out of storage for a packet that would be refused
  assertPdfRoom(ctx, actor);
  const { files, temp, pdf } = ctx.services.documents;
  const copies: Array<{ release(): Promise<void> }> = [];
  const output = temp.path('.pdf');
  let handedOver = false;
  try {
    const texts: PacketText[] = [];
    for (const language of agreement.authenticLanguages) {
      const doc = finals.get(language)!;
      const local = await files.get(doc.storage.driver).localPath(doc.storage.key, () => temp.path('.pdf'));
      copies.push(local);
      texts.push({ language, languageName: bilingualName(language), version: doc.version, sha256: doc.sha256, pages: doc.pages, path: local.path });
    }
    const spec = packetSpec(ctx, agreement, texts, input);
    const result = await runPdfWork(ctx, actor, () => pdf.run({ type: 'packet', output, packet: spec }));
    // made per request (the cover carries the time): kept open and unlinked at once, so the
    // temporary folder is clean before the first byte is sent, even if the process dies mid-send
    const handle = await fs.promises.open(output, 'r');
    await temp.remove(output).catch(async (err: unknown) => {
      await handle.close();
      throw err;
    });
    handedOver = true;
    return {
      fileName: `${agreement.code} ${PACKET[input.lang ?? 'id']}.pdf`,
      contentType: 'application/pdf',
      size: result.size,
      sha256: null,
      // positioned reads (start given), so the handle's own file position never matters
      open: (range) => handle.createReadStream({ autoClose: false, start: range?.start ?? 0, ...(range ? { end: range.end } : {}) }),
      dispose: () => handle.close(),
      recordDownload: async (range) => {
        await recordDocumentDownload(ctx, actor, agreement, { variant: 'signing_packet', documentId: undefined }, range);
      },
    };
  } finally {
    for (const c of copies) await c.release();
    if (!handedOver) await temp.remove(output);
  }
}

async function latestFinals(ctx: DomainContext, agreement: AgreementRecord): Promise<Map<string, DocumentRecord>> {
  const docs = await ctx.models.Document.find({ agreementId: agreement._id, kind: 'final' }).sort({ version: -1 }).lean<DocumentRecord[]>();
  const latest = new Map<string, DocumentRecord>();
  for (const d of docs) if (!latest.has(d.language)) latest.set(d.language, d);
  return latest;
}

export function missingForPacket(agreement: AgreementRecord, finals: Map<string, unknown>) {
  const missing: Array<{ what: 'authentic_languages' | 'final_text' | 'parties' | 'signatory'; language?: string; partyId?: string; party?: string; message: string }> = [];
  if (!agreement.authenticLanguages?.length) {
    missing.push({ what: 'authentic_languages', message: 'No authentic language is set / Belum ada bahasa otentik' });
  }
  for (const language of agreement.authenticLanguages ?? []) {
    if (!finals.has(language)) {
      const named = languageName(language);
      missing.push({ what: 'final_text', language, message: `No final text in ${named.en} / Belum ada naskah final dalam ${named.id}` });
    }
  }
  if (!agreement.parties?.length) missing.push({ what: 'parties', message: 'No party is recorded / Belum ada pihak' });
  for (const party of agreement.parties ?? []) {
    if (!party.signatory?.name) {
      missing.push({ what: 'signatory', partyId: String(party._id), party: party.name, message: `No signatory for ${party.name} / Belum ada penanda tangan untuk ${party.name}` });
    }
  }
  return missing;
}

function packetSpec(ctx: DomainContext, agreement: AgreementRecord, texts: PacketText[], input: SigningPacketInput): PacketSpec {
  // recorded signatures tell where and when it was signed, unless the caller plans it
  const signed = agreement.parties.map((p) => p.signature).find((s) => s?.signedAt);
  const place = input.place ?? signed?.place ?? undefined;
  const date = input.date ?? (signed?.signedAt ? new Date(signed.signedAt).toISOString().slice(0, 10) : undefined);
  const generated = longDateTime(ctx.clock.now(), HQ_TIMEZONE);
  return {
    code: agreement.code,
    titles: titlesInOrder(agreement.title).map(([language, text]) => ({ language, text })),
    typeLabel: TYPE_LABELS[agreement.type] ?? agreement.type,
    parties: agreement.parties.map((p) => ({
      name: p.name,
      ...(p.officialName ? { officialName: p.officialName } : {}),
      kindLabel: PARTY_KIND_LABELS[p.kind] ?? p.kind,
      country: p.country ?? undefined,
      signatory: p.signatory?.name ? { name: p.signatory.name, title: p.signatory.title ?? '' } : undefined,
    })),
    place,
    date: date ? bilingualDate(date) : undefined,
    texts,
    signatories: agreement.parties.map((p) => ({ partyName: p.name, ...(p.officialName ? { partyOfficialName: p.officialName } : {}), name: p.signatory!.name, title: p.signatory!.title ?? '' })),
    // as read at headquarters, like every time on screen: "Senin, 7 Desember 2026 pukul 20.27 WIB / Monday 7 December 2026, 20:27 WIB"
    generatedAt: `${generated.id} / ${generated.en}`,
  };
}
