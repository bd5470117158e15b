import type { DeadlineKind } from '../../models/deadline.js';
import type { Confidentiality } from '../../models/agreement.js';
import type { InstrumentType } from '../../workflows/index.js';

/** Stage names as people read them, Indonesian first. */
export const STAGE_LABELS: Record<string, { id: string; en: string }> = {
  drafting: { id: 'Penyusunan draf', en: 'Drafting' },
  interagency_consultation: { id: 'Konsultasi antarinstansi', en: 'Inter-agency consultation' },
  negotiation: { id: 'Perundingan', en: 'Negotiation' },
  legal_review: { id: 'Telaah hukum', en: 'Legal review' },
  text_agreed: { id: 'Naskah disepakati', en: 'Text agreed' },
  awaiting_signature: { id: 'Menunggu penandatanganan', en: 'Awaiting signature' },
  partially_signed: { id: 'Ditandatangani sebagian', en: 'Partially signed' },
  signed: { id: 'Ditandatangani', en: 'Signed' },
  pending_ratification: { id: 'Menunggu pengesahan', en: 'Pending ratification' },
  in_force: { id: 'Berlaku', en: 'In force' },
  expired: { id: 'Berakhir', en: 'Expired' },
  terminated: { id: 'Diakhiri', en: 'Terminated' },
  superseded: { id: 'Digantikan', en: 'Superseded' },
  on_hold: { id: 'Ditangguhkan', en: 'On hold' },
  abandoned: { id: 'Dibatalkan', en: 'Abandoned' },
};

/**
 * Instrument types as the interface names them (web/i18n/common.js `type.*`; the domain cannot
 * import the browser's files), for exports and messages that should read like the screen.
 */
export const TYPE_LABELS: Record<InstrumentType, { id: string; en: string }> = {
  mou: { id: 'Nota Kesepahaman (MoU)', en: 'Memorandum of Understanding (MoU)' },
  agreement: { id: 'Persetujuan', en: 'Agreement' },
  technical_arrangement: { id: 'Pengaturan Teknis', en: 'Technical Arrangement' },
  cooperation_agreement: { id: 'Perjanjian Kerja Sama (PKS)', en: 'Cooperation Agreement (PKS)' },
  guideline: { id: 'Pedoman', en: 'Guideline (Pedoman)' },
};

/** Classifications as the interface names them (web/i18n/common.js `conf.*`), for exports. */
export const CONFIDENTIALITY_LABELS: Record<Confidentiality, { id: string; en: string }> = {
  public: { id: 'Terbuka', en: 'Public' },
  internal: { id: 'Internal', en: 'Internal' },
  confidential: { id: 'Rahasia', en: 'Confidential' },
};

export const stageLabel = (stage: string | null | undefined) => STAGE_LABELS[stage ?? ''] ?? { id: stage ?? '-', en: stage ?? '-' };

/**
 * What is due, in both languages, for calendar entries and reminders. The web interface names a
 * deadline with its own copy (web/i18n/common.js `dl.*`, the browser cannot import this file):
 * test/integration/deadline-labels.test.ts holds the two to the same words.
 */
export function whatIsDue(d: { kind: DeadlineKind; stage?: string | null; note?: string | null }, partyName?: string): { id: string; en: string } {
  switch (d.kind) {
    case 'stage_due': {
      const s = stageLabel(d.stage);
      return { id: `Tenggat tahap “${s.id}”`, en: `Deadline for the stage “${s.en}”` };
    }
    case 'signing_due':
      return partyName ? { id: `Penandatanganan oleh ${partyName}`, en: `Signature by ${partyName}` } : { id: 'Penandatanganan', en: 'Signature' };
    case 'ratification_due':
      return { id: 'Pengesahan (ratifikasi)', en: 'Ratification' };
    case 'expiry':
      return { id: 'Berakhirnya masa berlaku perjanjian', en: 'Expiry of the agreement' };
    case 'renewal_notice':
      return { id: 'Batas akhir pemberitahuan perpanjangan atau pengakhiran', en: 'Last day to give notice of renewal or termination' };
    default:
      return { id: d.note || 'Tenggat lain', en: d.note || 'Other deadline' };
  }
}
