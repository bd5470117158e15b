// Texts of the agreement form (web/pages/agreement-form.js), Indonesian first. Texts more than one page shows
// are in common.js, the header's and the sign-in page's in shell.js.
import { translator } from '../i18n.js';
import { COMMON } from './common.js';
import { SHELL } from './shell.js';

export { roleLabel, stageLabel, typeLabel } from './common.js';

export const FORM = {
  id: {
    'form.newTitle': 'Perjanjian baru',
    'form.editTitle': 'Ubah data perjanjian',
    'form.backToAgreement': 'Kembali ke perjanjian',
    'form.about': 'Tentang perjanjian',
    'form.typeFixed': 'Jenis tidak dapat diubah setelah perjanjian dibuat.',
    'form.titleId': 'Judul dalam bahasa Indonesia',
    'form.titleEn': 'Judul dalam bahasa Inggris',
    'form.titleIn': ({ language }) => `Judul dalam bahasa ${language}`,
    'form.officialName': 'Nama resmi dalam aksara sendiri',
    'form.leadUnitHint': 'Singkatan unit, misalnya PWNI.',
    'form.confidentialityHint': 'Perjanjian rahasia hanya terlihat oleh unit penanggung jawab (dan administrator).',
    'form.otherLanguages': 'Bahasa otentik lain',
    'form.otherLanguagesHint': 'Kode ISO dipisah koma, misalnya th, vi.',
    'form.subjectsHint': 'Dipisah koma, misalnya pelindungan, pekerja migran.',
    'form.partiesHint': 'Setiap pihak perlu penanda tangan sebelum tahap penandatanganan. Dengan e-mail penanda tangan, orang itu dapat mencatat tanda tangannya sendiri.',
    'form.partyName': 'Nama pihak',
    'form.partyCountry': 'Negara (kode ISO)',
    'form.signatoryName': 'Nama penanda tangan',
    'form.signatoryTitle': 'Jabatan',
    'form.signatoryEmail': 'E-mail penanda tangan',
    'form.partySigned': 'Pihak ini sudah menandatangani; datanya tidak dapat diubah.',
    'form.addParty': 'Tambah pihak',
    'form.removeParty': 'Hapus pihak',
    'form.removePartyN': ({ n }) => `Hapus pihak ${n}`,
    'form.partyRemoved': 'Pihak dihapus dari formulir.',
    'form.create': 'Buat perjanjian',
    'form.save': 'Simpan perubahan',
    'form.saving': 'Menyimpan…',
    'form.cancel': 'Batal',
    'form.created': ({ code }) => `Perjanjian dibuat: ${code}. Langkah berikutnya: unggah rancangan.`,
    'form.saved': 'Perubahan disimpan.',
  },
  en: {
    'form.newTitle': 'New agreement',
    'form.editTitle': 'Edit the agreement',
    'form.backToAgreement': 'Back to the agreement',
    'form.about': 'About the agreement',
    'form.typeFixed': 'The type cannot be changed once the agreement exists.',
    'form.titleId': 'Title in Indonesian',
    'form.titleEn': 'Title in English',
    'form.titleIn': ({ language }) => `Title in ${language}`,
    'form.officialName': 'Official name in its own script',
    'form.leadUnitHint': 'The unit’s short name, e.g. PWNI.',
    'form.confidentialityHint': 'A confidential agreement is seen only by its lead unit (and administrators).',
    'form.otherLanguages': 'Other authentic languages',
    'form.otherLanguagesHint': 'ISO codes separated by commas, e.g. th, vi.',
    'form.subjectsHint': 'Separated by commas, e.g. protection, migrant workers.',
    'form.partiesHint': 'Every party needs a signatory before signing. With the signatory’s e-mail, that person can record their own signature.',
    'form.partyName': 'Party’s name',
    'form.partyCountry': 'Country (ISO code)',
    'form.signatoryName': 'Signatory’s name',
    'form.signatoryTitle': 'Title',
    'form.signatoryEmail': 'Signatory’s e-mail',
    'form.partySigned': 'This party has signed; its details cannot be changed.',
    'form.addParty': 'Add a party',
    'form.removeParty': 'Remove party',
    'form.removePartyN': ({ n }) => `Remove party ${n}`,
    'form.partyRemoved': 'Party removed from the form.',
    'form.create': 'Create the agreement',
    'form.save': 'Save changes',
    'form.saving': 'Saving…',
    'form.cancel': 'Cancel',
    'form.created': ({ code }) => `Agreement created: ${code}. Next: upload the draft.`,
    'form.saved': 'Changes saved.',
  },
};

/** Looks a key up here, then in common.js, then in shell.js. */
export const { t, tOr, has } = translator(FORM, COMMON, SHELL);
