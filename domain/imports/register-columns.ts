/**
 * The columns of an existing register as the import reads it (one agreement a row), each with
 * what it means in both languages and an example: the template and its guide sheet are built
 * from this list, and the import checks every row against it.
 */
export interface RegisterColumn {
  key: string;
  required: boolean;
  id: string;
  en: string;
  example: string;
}

export const REGISTER_COLUMNS: readonly RegisterColumn[] = [
  { key: 'code', required: true, id: 'Kode perjanjian yang sudah dipakai (dipertahankan apa adanya)', en: 'The agreement code already in use (kept as it is)', example: 'MOU-MY-2019-02' },
  { key: 'type', required: true, id: 'Jenis: mou, agreement, technical_arrangement, cooperation_agreement, guideline', en: 'Type: mou, agreement, technical_arrangement, cooperation_agreement, guideline', example: 'mou' },
  { key: 'title_id', required: true, id: 'Judul dalam bahasa Indonesia', en: 'Title in Indonesian', example: 'Nota Kesepahaman tentang Kerja Sama Ketenagakerjaan' },
  { key: 'title_en', required: true, id: 'Judul dalam bahasa Inggris', en: 'Title in English', example: 'MoU on Labour Cooperation' },
  { key: 'lead_unit', required: true, id: 'Unit penanggung jawab, mis. PWNI', en: 'Lead unit, e.g. PWNI', example: 'PWNI' },
  { key: 'stage', required: true, id: 'Tahap saat ini, mis. drafting, negotiation, awaiting_signature, signed, in_force, expired', en: 'Current stage, e.g. drafting, negotiation, awaiting_signature, signed, in_force, expired', example: 'in_force' },
  { key: 'stage_since', required: true, id: 'Tanggal mulai tahap saat ini (YYYY-MM-DD, tidak di masa depan)', en: 'Date the current stage began (YYYY-MM-DD, not in the future)', example: '2019-11-20' },
  { key: 'parties', required: true, id: 'Para pihak dipisah titik koma; tiap pihak "Nama [jenis, negara]", jenis: state, agency, organisation', en: 'Parties separated by semicolons; each "Name [kind, country]", kind: state, agency, organisation', example: 'Republik Indonesia [state, ID]; Malaysia [state, MY]' },
  { key: 'signatories', required: false, id: 'Penanda tangan tiap pihak, urutan sama dengan para pihak, dipisah titik koma; "Nama, Jabatan"', en: 'Signatory of each party in the same order, separated by semicolons; "Name, Title"', example: 'Menteri Ketenagakerjaan, Menteri; Minister of Human Resources, Minister' },
  { key: 'signed_on', required: false, id: 'Tanggal penandatanganan (YYYY-MM-DD); wajib untuk tahap sesudah penandatanganan', en: 'Date of signing (YYYY-MM-DD); required for stages after signing', example: '2019-11-20' },
  { key: 'signed_at_place', required: false, id: 'Tempat penandatanganan', en: 'Place of signing', example: 'Kuala Lumpur' },
  { key: 'in_force_on', required: false, id: 'Tanggal mulai berlaku (YYYY-MM-DD); wajib untuk tahap in_force', en: 'Date of entry into force (YYYY-MM-DD); required for in_force', example: '2019-11-20' },
  { key: 'in_force_basis', required: false, id: 'Dasar berlaku: on_signature, ratification_law, ratification_presidential_regulation, exchange_of_notes', en: 'Basis of entry into force: on_signature, ratification_law, ratification_presidential_regulation, exchange_of_notes', example: 'on_signature' },
  { key: 'expires_on', required: false, id: 'Tanggal berakhir (YYYY-MM-DD)', en: 'Date the term ends (YYYY-MM-DD)', example: '2024-11-19' },
  { key: 'notice_days', required: false, id: 'Jangka waktu pemberitahuan pembaruan dalam hari', en: 'Renewal notice period in days', example: '90' },
  { key: 'indices', required: false, id: 'Kode indeks kinerja dipisah titik koma', en: 'Performance index codes separated by semicolons', example: 'protection_diplomacy' },
  { key: 'confidentiality', required: false, id: 'public, internal (bawaan) atau confidential', en: 'public, internal (default) or confidential', example: 'internal' },
  { key: 'subjects', required: false, id: 'Pokok bahasan dipisah titik koma', en: 'Subjects separated by semicolons', example: 'pekerja-migran; pelindungan' },
  { key: 'languages', required: false, id: 'Bahasa naskah otentik (kode ISO) dipisah titik koma', en: 'Authentic languages (ISO codes) separated by semicolons', example: 'id; ms; en' },
];
