import type { AgreementFacts, Guard, GuardId, UnmetCondition } from './types.js';
import { dayInWords, hqDay } from './business-days.js';
import { languageWord } from './language-names.js';

const unmet = (guard: GuardId, id: string, en: string, details?: Record<string, unknown>): UnmetCondition => ({
  guard,
  message: { id, en },
  ...(details ? { details } : {}),
});

/** "Indonesia dan Inggris" / "Indonesian and English": people read language names, not ISO codes. */
function languageList(codes: string[], lang: 'id' | 'en'): string {
  return new Intl.ListFormat(lang, { type: 'conjunction' }).format(codes.map((c) => languageWord(c, lang)));
}

const signedCount = (f: AgreementFacts) => f.parties.filter((p) => p.status === 'signed').length;

/** The guards every table may name, by id. */
export const GUARDS: Record<GuardId, Guard> = {
  final_texts: {
    id: 'final_texts',
    check(f) {
      const have = new Set(f.finalTextLanguages);
      const missing = f.authenticLanguages.filter((l) => !have.has(l));
      if (f.authenticLanguages.length === 0) {
        return unmet('final_texts', 'Bahasa naskah otentik belum ditetapkan', 'No authentic language is set');
      }
      if (missing.length === 0) return undefined;
      return unmet(
        'final_texts',
        `Naskah final belum ada dalam bahasa ${languageList(missing, 'id')}`,
        `No final text yet in ${languageList(missing, 'en')}`,
        { missingLanguages: missing },
      );
    },
  },
  signatories: {
    id: 'signatories',
    check(f) {
      if (f.parties.length === 0) return unmet('signatories', 'Belum ada pihak', 'The agreement has no party');
      const missing = f.parties.filter((p) => !p.hasSignatory).map((p) => p.name);
      if (missing.length === 0) return undefined;
      return unmet(
        'signatories',
        `Penanda tangan belum ditunjuk untuk: ${missing.join(', ')}`,
        `No signatory is named for: ${missing.join(', ')}`,
        { parties: missing },
      );
    },
  },
  entry_into_force: {
    id: 'entry_into_force',
    check(f) {
      const missing: string[] = [];
      if (!f.entryIntoForce?.date) missing.push('date');
      if (!f.entryIntoForce?.basis) missing.push('basis');
      if (missing.length > 0) {
        return unmet('entry_into_force', 'Tanggal dan dasar mulai berlaku harus diisi', 'The entry-into-force date and its basis are required', { missing });
      }
      const day = hqDay(f.entryIntoForce!.date!);
      if (!f.signedOn || day >= f.signedOn) return undefined;
      return unmet(
        'entry_into_force',
        `Tanggal mulai berlaku (${dayInWords(day, 'id')}) tidak boleh sebelum tanggal penandatanganan (${dayInWords(f.signedOn, 'id')})`,
        `The entry into force (${dayInWords(day, 'en')}) cannot come before the signing (${dayInWords(f.signedOn, 'en')})`,
        { date: day, signedOn: f.signedOn },
      );
    },
  },
  signed_copy: {
    id: 'signed_copy',
    check(f) {
      if (f.hasSignedCopy) return undefined;
      return unmet(
        'signed_copy',
        'Salinan naskah yang telah ditandatangani harus diunggah terlebih dahulu',
        'A signed copy of the text must be uploaded first',
      );
    },
  },
  some_party_signed: {
    id: 'some_party_signed',
    check(f) {
      const n = signedCount(f);
      if (n > 0 && n < f.parties.length) return undefined;
      return unmet('some_party_signed', 'Sebagian (bukan semua) pihak harus sudah menandatangani', 'Some, but not all, parties must have signed');
    },
  },
  all_parties_signed: {
    id: 'all_parties_signed',
    check(f) {
      const pending = f.parties.filter((p) => p.status !== 'signed').map((p) => p.name);
      if (f.parties.length > 0 && pending.length === 0) return undefined;
      return unmet('all_parties_signed', `Belum ditandatangani oleh: ${pending.join(', ')}`, `Not yet signed by: ${pending.join(', ')}`, {
        parties: pending,
      });
    },
  },
  full_powers: {
    id: 'full_powers',
    check(f) {
      const missing = f.parties.filter((p) => p.fullPowersRequired && !p.hasFullPowers).map((p) => p.name);
      if (missing.length === 0) return undefined;
      return unmet(
        'full_powers',
        `Surat Kuasa (full powers) belum ada untuk penanda tangan: ${missing.join(', ')}`,
        `No full-powers letter (Surat Kuasa) is on file for the signatory of: ${missing.join(', ')}`,
        { parties: missing },
      );
    },
  },
  ratification_instrument: {
    id: 'ratification_instrument',
    check(f) {
      const r = f.ratification;
      const missing = (['kind', 'number', 'date'] as const).filter((k) => !r?.[k]);
      if (missing.length === 0) return undefined;
      return unmet(
        'ratification_instrument',
        'Instrumen pengesahan (jenis undang-undang atau peraturan presiden, nomor dan tanggal) harus dicatat',
        'The instrument of ratification (a law or a presidential regulation, its number and date) must be recorded',
        { missing },
      );
    },
  },
  term_ended: {
    id: 'term_ended',
    check(f) {
      // an agreement with no term recorded may lapse when its people say so; one with a term, from its last day on
      if (!f.termEndsOn || !f.today || f.today >= f.termEndsOn) return undefined;
      return unmet(
        'term_ended',
        `Masa berlaku baru berakhir pada ${dayInWords(f.termEndsOn, 'id')}: untuk mengakhiri perjanjian lebih awal, pindahkan ke tahap “Diakhiri”`,
        `The term runs until ${dayInWords(f.termEndsOn, 'en')}: to end the agreement earlier, move it to “Terminated”`,
        { termEndsOn: f.termEndsOn },
      );
    },
  },
  no_signature_recorded: {
    id: 'no_signature_recorded',
    check(f) {
      if (signedCount(f) === 0) return undefined;
      return unmet(
        'no_signature_recorded',
        'Sudah ada tanda tangan: perjanjian tidak dapat dibatalkan',
        'A signature is already recorded: the agreement can no longer be abandoned',
      );
    },
  },
};

/** The guards that read what the uploads say (finalTextLanguages, hasSignedCopy). */
export const UPLOAD_GUARDS: ReadonlySet<GuardId> = new Set<GuardId>(['final_texts', 'signed_copy', 'full_powers']);

/** Every unmet condition among the named guards, in the order given. */
export function unmetConditions(guardIds: readonly GuardId[], facts: AgreementFacts): UnmetCondition[] {
  return guardIds.map((id) => GUARDS[id].check(facts)).filter((u): u is UnmetCondition => u !== undefined);
}
