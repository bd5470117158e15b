import { AppError } from '../errors.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { DocumentKind } from '../../models/document.js';
import { atSentenceStart, canRecordSignature, isTextLocked, languageName, languageNames, needsReopenForTextChange } from '../../workflows/index.js';

/** Kinds that are (part of) the text: frozen for good once signed. */
const TEXT_KINDS: readonly DocumentKind[] = ['draft', 'final', 'annex'];

export type UploadPlan = { reopen: boolean };

/**
 * What an upload of this kind means at the agreement's stage (pure; read inside the upload's
 * transaction so a racing transition cannot slip between check and write):
 * - a final text must be in one of the authentic languages;
 * - after signing, the text never changes (drafts, finals and annexes are refused);
 * - a new final text after `text_agreed` reopens the negotiation, only when asked for;
 * - a signed copy comes once signing has started;
 * - while on hold, the stage left decides, and a reopen must wait for the resumption.
 */
export function planUpload(agreement: AgreementRecord, kind: DocumentKind, language: string, reopenRequested: boolean): UploadPlan {
  const onHold = agreement.stage === 'on_hold';
  const stage = onHold ? (agreement.previousStage ?? agreement.stage) : agreement.stage;
  if (kind === 'final' && !(agreement.authenticLanguages ?? []).includes(language)) {
    const authentic = agreement.authenticLanguages ?? [];
    const allowed = languageNames(authentic, 'or');
    const named = languageName(language);
    throw new AppError(
      'validation_failed',
      authentic.length
        ? `A final text must be in an authentic language of this agreement: ${allowed.en} / Naskah final harus dalam bahasa otentik perjanjian ini: ${allowed.id}`
        : 'A final text must be in an authentic language of this agreement, and none is set yet: add one to the agreement first / Naskah final harus dalam bahasa otentik perjanjian ini, dan belum ada yang ditetapkan: tambahkan dahulu pada perjanjian',
      [{ field: 'language', message: `${atSentenceStart(named.en)} is not an authentic language of this agreement / ${atSentenceStart(named.id)} bukan bahasa otentik perjanjian ini`, type: 'any.only' }],
    );
  }
  if (TEXT_KINDS.includes(kind) && isTextLocked(agreement, stage)) {
    throw new AppError(
      'invalid_state',
      'The text is final once signed: record an amendment or renewal as a new agreement linked to this one / Naskah tidak dapat diubah setelah ditandatangani: buat perjanjian baru yang ditautkan',
      { currentStage: agreement.stage, kind },
    );
  }
  if (kind === 'final' && needsReopenForTextChange(agreement, stage)) {
    if (onHold) {
      throw new AppError('invalid_state', 'Resume the agreement before changing its agreed text / Lanjutkan perjanjian sebelum mengubah naskah yang telah disepakati', {
        currentStage: agreement.stage,
        previousStage: stage,
      });
    }
    if (!reopenRequested) {
      throw new AppError(
        'invalid_state',
        'The text has been agreed: a new final text reopens the negotiation; send reopen=true to do so / Naskah telah disepakati: naskah final baru membuka kembali perundingan; kirim reopen=true untuk melakukannya',
        { currentStage: agreement.stage, reopenRequired: true },
      );
    }
    return { reopen: true };
  }
  if (kind === 'signed' && !canRecordSignature(agreement, stage) && !isTextLocked(agreement, stage)) {
    throw new AppError('invalid_state', 'A signed copy can be uploaded once the agreement awaits signature / Salinan bertanda tangan dapat diunggah setelah perjanjian menunggu penandatanganan', {
      currentStage: agreement.stage,
    });
  }
  return { reopen: false };
}
