import { DATE_HINT } from './register-dates.js';

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
  /** a date, written in one of the forms of register-dates.ts */
  date?: true;
}

export const REGISTER_COLUMNS: readonly RegisterColumn[] = [
  { key: 'code', required: true, id: 'Kode perjanjian yang sudah dipakai (dipertahankan apa adanya)', en: 'The agreement code already in use (kept as it is)', example: 'MOU-MY-2019-02' },
  { key: 'type', required: true, id: 'Jenis: mou, agreement, technical_arrangement, cooperation_agreement, guideline', en: 'Type: mou, agreement, technical_arrangement, cooperation_agreement, guideline', example: 'mou' },
  { key: 'title_id', required: true, id: 'Judul dalam bahasa Indonesia', en: 'Title in Indonesian', example: 'Nota Kesepahaman tentang Kerja Sama Ketenagakerjaan' },
  { key: 'title_en', required: true, id: 'Judul dalam bahasa Inggris', en: 'Title in English', example: 'MoU on Labour Cooperation' },
  { key: 'lead_unit', required: true, id: 'Unit penanggung jawab, mis. PWNI', en: 'Lead unit, e.g. PWNI', example: 'PWNI' },
  {
    key: 'stage',
    required: true,
    id: 'Tahap saat ini: kodenya atau namanya seperti di aplikasi, dalam bahasa Indonesia atau Inggris (mis. in_force, "Berlaku" atau "In force"); daftar tahap ada di bawah',
    en: 'Current stage: its code or its name as the application shows it, in Indonesian or English (e.g. in_force, "Berlaku" or "In force"); the stages are listed below',
    example: 'in_force',
  },
  {
    key: 'stage_since',
    date: true,
    required: true,
    id: `Tanggal mulai tahap saat ini (${DATE_HINT.id}), tidak di masa depan. Tenggat tahap dihitung dari tanggal ini dengan hari kerja yang sama seperti perpindahan tahap, jadi tahap yang sudah lama berjalan langsung tampil terlambat`,
    en: `Date the current stage began (${DATE_HINT.en}), not in the future. The stage deadline is counted from this date in working days, as for a stage move, so a stage begun long ago shows as overdue at once`,
    example: '2019-11-20',
  },
  {
    key: 'held_from',
    required: false,
    id: 'Hanya untuk tahap on_hold (Ditangguhkan): tahap saat perjanjian ditangguhkan, kode atau namanya (mis. negotiation atau "Perundingan"). Dari tahap inilah perjanjian dilanjutkan. Wajib jika tahapnya on_hold, kosongkan untuk tahap lain',
    en: 'Only for the stage on_hold (On hold): the stage the agreement was put on hold at, its code or its name (e.g. negotiation or "Negotiation"). Resuming takes it back there. Required when the stage is on_hold; leave it empty otherwise',
    example: '',
  },
  { key: 'parties', required: true, id: 'Para pihak dipisah titik koma; tiap pihak "Nama [jenis, negara]", jenis: state, agency, organisation', en: 'Parties separated by semicolons; each "Name [kind, country]", kind: state, agency, organisation', example: 'Republik Indonesia [state, ID]; Malaysia [state, MY]' },
  {
    key: 'signatories',
    required: false,
    id: 'Penanda tangan tiap pihak, dalam urutan yang sama dengan kolom parties, dipisah titik koma. Tiap penanda tangan ditulis "Nama, Jabatan": nama orangnya, lalu jabatan lengkapnya (mis. "Ida Fauziyah, Menteri Ketenagakerjaan", bukan "Menteri Ketenagakerjaan, Menteri"). Laporan tahunan menyebut penanda tangan dengan jabatan ini. Agar laporan tahunan berbahasa Inggris menyebutnya dalam bahasa Inggris, tulis jabatannya dalam dua bahasa sebagai "jabatan bahasa Indonesia / jabatan bahasa Inggris", dengan spasi sebelum dan sesudah garis miring (mis. "Menteri Luar Negeri / Minister for Foreign Affairs"): laporan berbahasa Indonesia memakai bagian sebelum garis miring, laporan berbahasa Inggris bagian sesudahnya; jabatan yang hanya ditulis dalam bahasa Indonesia tetap berbahasa Indonesia di kedua laporan. Wajib untuk setiap pihak mulai tahap awaiting_signature (Menunggu penandatanganan)',
    en: 'Signatory of each party, in the same order as the parties column, separated by semicolons. Write each as "Name, Title": the person\'s name, then their full office (e.g. "Ida Fauziyah, Menteri Ketenagakerjaan", not "Menteri Ketenagakerjaan, Menteri"). The annual report names each signatory by that office. For the English annual report to name it in English, write the office in both languages as "Indonesian office / English office", with a space either side of the slash (e.g. "Menteri Luar Negeri / Minister for Foreign Affairs"): the Indonesian report takes the part before the slash, the English report the part after it; an office written in Indonesian only stays in Indonesian in both. Required for every party from the stage awaiting_signature (Awaiting signature) on',
    example: 'Ida Fauziyah, Menteri Ketenagakerjaan / Minister of Manpower; M. Kulasegaran, Menteri Sumber Manusia / Minister of Human Resources',
  },
  { key: 'signed_on', date: true, required: false, id: `Tanggal penandatanganan (${DATE_HINT.id}); wajib untuk tahap sesudah penandatanganan`, en: `Date of signing (${DATE_HINT.en}); required for stages after signing`, example: '2019-11-20' },
  { key: 'signed_at_place', required: false, id: 'Tempat penandatanganan', en: 'Place of signing', example: 'Kuala Lumpur' },
  {
    key: 'signed_witnesses',
    required: false,
    id: 'Yang menyaksikan penandatanganan, jika ada, dipisah titik koma (mis. "Presiden RI; Perdana Menteri Malaysia"). Laporan tahunan menyebut mereka. Agar laporan berbahasa Inggris menyebutnya dalam bahasa Inggris, tulis "Presiden RI / President of the Republic of Indonesia". Hanya untuk perjanjian yang sudah (sebagian) ditandatangani',
    en: 'Who witnessed the signing, if anyone, separated by semicolons (e.g. "Presiden RI; Perdana Menteri Malaysia"). The annual report names them. For the English report to name them in English, write "Presiden RI / President of the Republic of Indonesia". Only for an agreement (partially) signed',
    example: '',
  },
  {
    key: 'signed_by',
    required: false,
    id: 'Hanya untuk tahap partially_signed (Ditandatangani sebagian): pihak yang sudah menandatangani, ditulis seperti di kolom parties tanpa [jenis, negara], dipisah titik koma; signed_on adalah tanggal penandatanganannya. Kosongkan untuk tahap lain: mulai tahap signed semua pihak dianggap sudah menandatangani',
    en: 'Only for the stage partially_signed (Partially signed): the parties that have signed, named as in the parties column without [kind, country], separated by semicolons; signed_on is the date they signed. Leave it empty for other stages: from signed on, every party counts as signed',
    example: '',
  },
  {
    key: 'in_force_on',
    date: true,
    required: false,
    id: `Tanggal mulai berlaku (${DATE_HINT.id}), tidak sebelum tanggal penandatanganan; wajib untuk tahap in_force dan sesudahnya (expired, terminated, superseded)`,
    en: `Date of entry into force (${DATE_HINT.en}), not before the signing; required for in_force and the stages after it (expired, terminated, superseded)`,
    example: '2019-11-20',
  },
  { key: 'in_force_basis', required: false, id: 'Dasar berlaku: on_signature, ratification_law, ratification_presidential_regulation, exchange_of_notes', en: 'Basis of entry into force: on_signature, ratification_law, ratification_presidential_regulation, exchange_of_notes', example: 'on_signature' },
  {
    key: 'expires_on',
    date: true,
    required: false,
    id: `Tanggal berakhir (${DATE_HINT.id}), sesudah tanggal mulai berlaku. Perjanjian yang masa berlakunya sudah lewat ditulis dengan tahap expired, bukan in_force`,
    en: `Date the term ends (${DATE_HINT.en}), after the entry into force. An agreement whose term has passed is written with the stage expired, not in_force`,
    example: '2029-11-19',
  },
  { key: 'notice_days', required: false, id: 'Jangka waktu pemberitahuan pembaruan dalam hari', en: 'Renewal notice period in days', example: '90' },
  { key: 'indices', required: false, id: 'Kode indeks kinerja dipisah titik koma; daftar kode ada di bawah', en: 'Performance index codes separated by semicolons; the codes are listed below', example: 'protection_diplomacy' },
  { key: 'confidentiality', required: false, id: 'public, internal (bawaan) atau confidential', en: 'public, internal (default) or confidential', example: 'internal' },
  { key: 'subjects', required: false, id: 'Pokok bahasan dipisah titik koma', en: 'Subjects separated by semicolons', example: 'pekerja-migran; pelindungan' },
  {
    key: 'languages',
    required: false,
    id: 'Bahasa naskah otentik, kode ISO 639-1 dipisah titik koma (mis. id = Indonesia, en = Inggris, ms = Melayu, ar = Arab); bawaan: id',
    en: 'Authentic languages, ISO 639-1 codes separated by semicolons (e.g. id = Indonesian, en = English, ms = Malay, ar = Arabic); default: id',
    example: 'id; ms; en',
  },
];
