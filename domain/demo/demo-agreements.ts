import type { Actor } from '../accounts/actor.js';
import type { PartyInput } from '../agreements/party-input.js';
import { DemoScript } from './demo-script.js';

const d = (iso: string) => new Date(iso);

const KEMLU: PartyInput = {
  name: 'Kementerian Luar Negeri (Direktorat PWNI)',
  kind: 'agency',
  country: 'ID',
  signatory: { name: 'Direktur Pelindungan WNI', title: 'Direktur PWNI', email: 'direktur.pwni@demo.pwni.local', timezone: 'Asia/Jakarta' },
};

/** The minister signs the guidelines: the demo signatory account is that signatory, so it can sign them. */
const MINISTER: PartyInput = {
  name: 'Kementerian Luar Negeri',
  kind: 'agency',
  country: 'ID',
  signatory: { name: 'Menteri Luar Negeri', title: 'Menteri Luar Negeri / Minister for Foreign Affairs', email: 'signatory@demo.pwni.local', timezone: 'Asia/Jakarta' },
};

const A_DIPLOMAT: Actor = { id: 'demo-diplomat', email: 'diplomat@demo.pwni.local', name: 'Diplomat Demo', role: 'diplomat', unit: 'PWNI' };

/** The Malay title of the Malaysia MoU, for its Malay authentic text. */
const MY_MOU_TITLES = { ms: 'Memorandum Persefahaman mengenai Pengambilan dan Perlindungan Pekerja Migran Indonesia dalam Sektor Domestik di Malaysia' };

/**
 * Both texts say five years from signature, and either party must give six months' written notice
 * (Article 6): the term ends on the fifth anniversary, and the renewal decision is due six months
 * before, so the tracker opens an expiry and a renewal-notice deadline on entry into force.
 */
function fiveYearsFrom(signed: string) {
  const expiresAt = d(signed);
  expiresAt.setUTCFullYear(expiresAt.getUTCFullYear() + 5);
  return { durationMonths: 60, expiresAt, noticePeriodDays: 182 };
}

/** MoU with Malaysia on domestic workers: draft sent 2016, stalled until 2021, text accepted January 2022, signed 1 April 2022 in Bogor. */
export async function malaysiaMou(s: DemoScript) {
  let a = await s.at('2016-02-15T02:00:00Z').create({
    code: 'MOU-MY-2022-01',
    type: 'mou',
    title: {
      id: 'Nota Kesepahaman tentang Penempatan dan Pelindungan Pekerja Migran Indonesia Sektor Domestik di Malaysia',
      en: 'MoU on the Placement and Protection of Indonesian Migrant Workers in the Domestic Sector in Malaysia',
      ms: MY_MOU_TITLES.ms,
    },
    subjects: ['pekerja-migran', 'sektor-domestik', 'pelindungan'],
    leadUnit: 'PWNI',
    confidentiality: 'internal',
    authenticLanguages: ['id', 'ms', 'en'],
    parties: [
      { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Ida Fauziyah', title: 'Menteri Ketenagakerjaan / Minister of Manpower', email: 'menaker@demo.pwni.local', timezone: 'Asia/Jakarta' } },
      { name: 'Malaysia', kind: 'state', country: 'MY', signatory: { name: 'M. Saravanan', title: 'Menteri Sumber Manusia / Minister of Human Resources', email: 'hr.minister@demo.gov.my', timezone: 'Asia/Kuala_Lumpur', fullPowersRequired: false } },
    ],
    term: fiveYearsFrom('2022-04-01'),
  });
  await s.at('2016-03-20T03:00:00Z').move(a, 'interagency_consultation', 'Konsultasi dengan Kemnaker dan BP2MI');
  await s.at('2016-05-10T03:00:00Z').move(a, 'negotiation', 'Draf dikirim ke pihak Malaysia / Draft sent to Malaysia');
  await s.at('2016-09-14T03:00:00Z').round(a, { date: d('2016-09-13'), venue: 'Kuala Lumpur', outcome: 'Pembahasan awal draf; Malaysia meminta waktu untuk konsultasi internal' });
  await s.at('2017-06-01T03:00:00Z').move(a, 'on_hold', 'Perundingan terhenti: belum ada tanggapan Malaysia / Negotiation stalled: no reply from Malaysia');
  await s.at('2019-11-05T03:00:00Z').comment(a, 'Perwakilan RI Kuala Lumpur menanyakan kembali status draf; belum ada jawaban.', A_DIPLOMAT);
  await s.at('2021-05-17T03:00:00Z').move(a, 'negotiation', 'Perundingan dilanjutkan / Negotiation resumed');
  await s.at('2021-09-22T03:00:00Z').round(a, { date: d('2021-09-21'), venue: 'Daring (virtual)', outcome: 'Kesepakatan prinsip SPSK dan upah minimum' });
  await s.at('2021-12-09T03:00:00Z').round(a, { date: d('2021-12-08'), venue: 'Jakarta', outcome: 'Pasal-pasal tersisa disepakati' });
  await s.at('2022-01-10T03:00:00Z').move(a, 'legal_review', 'Naskah diterima para pihak / Text accepted');
  await s.at('2022-01-24T03:00:00Z').finalTexts(a, MY_MOU_TITLES);
  await s.at('2022-01-26T03:00:00Z').move(a, 'text_agreed', 'Naskah disepakati Januari 2022 / Text agreed January 2022');
  await s.at('2022-03-14T03:00:00Z').move(a, 'awaiting_signature', 'Penandatanganan dijadwalkan di Bogor');
  // one ceremony: both signatures were witnessed by the two heads of government
  const ceremony = {
    signedAt: d('2022-04-01T04:00:00Z'),
    place: 'Bogor',
    method: 'wet_ink' as const,
    witnesses: ['Presiden RI / President of the Republic of Indonesia', 'Perdana Menteri Malaysia / Prime Minister of Malaysia'],
  };
  await s.at('2022-04-01T06:00:00Z').sign(a, 'Republik Indonesia', ceremony);
  a = await s.at('2022-04-01T06:05:00Z').sign(a, 'Malaysia', ceremony);
  await s.at('2022-04-01T09:00:00Z').signedCopy(a, { place: 'Bogor', date: '2022-04-01' }, MY_MOU_TITLES);
  return s.at('2022-04-04T03:00:00Z').move(a, 'in_force', 'Berlaku sejak penandatanganan', { date: d('2022-04-01'), basis: 'on_signature' });
}

/**
 * "Al-Mamlakah al-ʿArabiyyah as-Saʿūdiyyah", the kingdom's official name in Arabic. The Arabic
 * titles below are plain Arabic renderings of the English titles made for the demo, not the
 * official Arabic titles of the instruments (those texts are not published).
 */
const SAUDI_OFFICIAL_NAME = 'المملكة العربية السعودية';

const SAUDI_PARTIES: PartyInput[] = [
  { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Menteri Ketenagakerjaan', title: 'Menteri Ketenagakerjaan / Minister of Manpower', email: 'menaker@demo.pwni.local', timezone: 'Asia/Jakarta' } },
  { name: 'Kerajaan Arab Saudi', officialName: SAUDI_OFFICIAL_NAME, kind: 'state', country: 'SA', signatory: { name: 'Minister of Human Resources and Social Development', title: 'Menteri Sumber Daya Manusia dan Pembangunan Sosial / Minister of Human Resources and Social Development', email: 'hrsd.minister@demo.gov.sa', timezone: 'Asia/Riyadh' } },
];

/** The earlier SPSK arrangement (illustrative dates) that lapsed in 2022. */
export async function saudiTaLapsed(s: DemoScript) {
  const a = await s.at('2018-08-01T03:00:00Z').create({
    code: 'TA-SA-2018-01',
    type: 'technical_arrangement',
    title: { id: 'Pengaturan Teknis Uji Coba Sistem Penempatan Satu Kanal (SPSK) ke Arab Saudi', en: 'Technical Arrangement on the Pilot One-Channel Placement System (SPSK) to Saudi Arabia',
      ar: 'ترتيب فني بشأن المرحلة التجريبية لنظام التوظيف عبر القناة الواحدة (SPSK) إلى المملكة العربية السعودية',
    },
    subjects: ['pekerja-migran', 'spsk'],
    leadUnit: 'PWNI',
    authenticLanguages: ['id', 'ar', 'en'],
    parties: SAUDI_PARTIES,
    // its term ends on the day it is recorded as expired, so the page, the board and the reports give one date
    term: { expiresAt: d('2022-02-01') },
  });
  await s.at('2018-08-20T03:00:00Z').move(a, 'negotiation');
  await s.at('2018-09-18T03:00:00Z').round(a, { date: d('2018-09-17'), venue: 'Riyadh', outcome: 'Draf disepakati pada tingkat teknis' });
  await s.at('2018-09-25T03:00:00Z').move(a, 'legal_review');
  await s.at('2018-09-28T03:00:00Z').finalTexts(a);
  await s.at('2018-10-01T03:00:00Z').move(a, 'text_agreed');
  await s.at('2018-10-03T03:00:00Z').move(a, 'awaiting_signature');
  await s.at('2018-10-11T09:00:00Z').sign(a, 'Republik Indonesia', { signedAt: d('2018-10-11T06:00:00Z'), place: 'Jeddah', method: 'wet_ink' });
  await s.at('2018-10-11T09:05:00Z').sign(a, 'Kerajaan Arab Saudi', { signedAt: d('2018-10-11T06:00:00Z'), place: 'Jeddah', method: 'wet_ink' });
  await s.at('2018-10-12T03:00:00Z').signedCopy(a, { place: 'Jeddah', date: '2018-10-11' });
  await s.at('2018-10-15T03:00:00Z').move(a, 'in_force', undefined, { date: d('2018-10-11'), basis: 'on_signature' });
  return s.at('2022-02-01T03:00:00Z').move(a, 'expired', 'Pengaturan teknis berakhir (lapsed); perlu pembaruan / The arrangement lapsed; renewal needed');
}

/** Its renewal, signed 11 August 2022. */
export async function saudiTaRenewal(s: DemoScript, lapsed: Awaited<ReturnType<typeof saudiTaLapsed>>) {
  const a = await s.at('2022-02-14T03:00:00Z').create({
    code: 'TA-SA-2022-01',
    type: 'technical_arrangement',
    title: { id: 'Pengaturan Teknis Uji Coba SPSK untuk Penempatan Terbatas Pekerja Migran Indonesia ke Arab Saudi', en: 'Technical Arrangement on the SPSK Pilot for the Limited Placement of Indonesian Migrant Workers in Saudi Arabia',
      ar: 'ترتيب فني بشأن المرحلة التجريبية لنظام القناة الواحدة (SPSK) للتوظيف المحدود للعمال المهاجرين الإندونيسيين في المملكة العربية السعودية',
    },
    subjects: ['pekerja-migran', 'spsk'],
    leadUnit: 'PWNI',
    authenticLanguages: ['id', 'ar', 'en'],
    parties: SAUDI_PARTIES,
    term: fiveYearsFrom('2022-08-11'),
  });
  await s.at('2022-02-14T03:10:00Z').link(a, 'renews', lapsed);
  await s.at('2022-03-01T03:00:00Z').move(a, 'negotiation');
  await s.at('2022-05-24T03:00:00Z').round(a, { date: d('2022-05-23'), venue: 'Jakarta', outcome: 'Kuota dan mekanisme penempatan terbatas disepakati' });
  await s.at('2022-06-20T03:00:00Z').move(a, 'legal_review');
  await s.at('2022-07-05T03:00:00Z').finalTexts(a);
  await s.at('2022-07-06T03:00:00Z').move(a, 'text_agreed');
  await s.at('2022-07-25T03:00:00Z').move(a, 'awaiting_signature');
  await s.at('2022-08-11T10:00:00Z').sign(a, 'Republik Indonesia', { signedAt: d('2022-08-11T07:00:00Z'), place: 'Jakarta', method: 'wet_ink' });
  const signed = await s.at('2022-08-11T10:05:00Z').sign(a, 'Kerajaan Arab Saudi', { signedAt: d('2022-08-11T07:00:00Z'), place: 'Jakarta', method: 'wet_ink' });
  await s.at('2022-08-12T03:00:00Z').signedCopy(a, { place: 'Jakarta', date: '2022-08-11' });
  return s.at('2022-08-15T03:00:00Z').move(signed, 'in_force', undefined, { date: d('2022-08-11'), basis: 'on_signature' });
}

/** PKS on citizenship data integration, signed 13 September 2022. */
export async function citizenshipDataPks(s: DemoScript) {
  const a = await s.at('2022-04-11T03:00:00Z').create({
    code: 'PKS-ID-2022-01',
    type: 'cooperation_agreement',
    title: { id: 'Perjanjian Kerja Sama tentang Integrasi Data Kewarganegaraan', en: 'Cooperation Agreement on Citizenship Data Integration' },
    subjects: ['kewarganegaraan', 'integrasi-data'],
    leadUnit: 'PROTKONS',
    authenticLanguages: ['id'],
    parties: [
      { name: 'Ditjen Protokol dan Konsuler Kemlu', kind: 'agency', country: 'ID', signatory: { name: 'Direktur Jenderal Protokol dan Konsuler', title: 'Dirjen', email: 'dirjen.protkons@demo.pwni.local', timezone: 'Asia/Jakarta' } },
      { name: 'Ditjen AHU Kemenkumham', kind: 'agency', country: 'ID', signatory: { name: 'Direktur Jenderal AHU', title: 'Dirjen', email: 'dirjen.ahu@demo.kemenkumham.go.id', timezone: 'Asia/Jakarta' } },
    ],
  });
  await s.at('2022-05-09T03:00:00Z').move(a, 'interagency_consultation');
  await s.at('2022-06-27T03:00:00Z').move(a, 'legal_review');
  await s.at('2022-08-01T03:00:00Z').finalTexts(a);
  await s.at('2022-08-02T03:00:00Z').move(a, 'text_agreed');
  await s.at('2022-08-29T03:00:00Z').move(a, 'awaiting_signature');
  await s.at('2022-09-13T05:00:00Z').sign(a, 'Ditjen Protokol dan Konsuler Kemlu', { signedAt: d('2022-09-13T03:00:00Z'), place: 'Jakarta', method: 'wet_ink' });
  const signed = await s.at('2022-09-13T05:05:00Z').sign(a, 'Ditjen AHU Kemenkumham', { signedAt: d('2022-09-13T03:00:00Z'), place: 'Jakarta', method: 'wet_ink' });
  await s.at('2022-09-14T03:00:00Z').signedCopy(a, { place: 'Jakarta', date: '2022-09-13' });
  return signed;
}

/** Portal Peduli WNI and the BPJS TK registration channel: the technical integration was tested (UAT 17 June 2022) while the PKS is in consultation. */
export async function bpjsPortalPks(s: DemoScript) {
  const a = await s.at('2022-03-07T03:00:00Z').create({
    code: 'PKS-ID-2022-02',
    type: 'cooperation_agreement',
    title: { id: 'Integrasi Portal Peduli WNI dengan Kanal Pendaftaran BPJS Ketenagakerjaan', en: 'Integration of the Portal Peduli WNI with the BPJS Employment Registration Channel' },
    subjects: ['portal-peduli-wni', 'jaminan-sosial', 'pekerja-migran'],
    leadUnit: 'PWNI',
    authenticLanguages: ['id'],
    parties: [KEMLU, { name: 'BPJS Ketenagakerjaan', kind: 'agency', country: 'ID', signatory: { name: 'Direktur Utama BPJS Ketenagakerjaan', title: 'Direktur Utama' } }],
  });
  await s.at('2022-04-18T03:00:00Z').move(a, 'interagency_consultation', 'Pembahasan teknis integrasi sistem');
  return s.at('2022-06-17T09:00:00Z').comment(a, 'User acceptance test (UAT) integrasi dilaksanakan secara daring 17 Juni 2022 / UAT held online on 17 June 2022');
}

const TRAFFICKING_AGENCIES: Array<[string, 'pending' | 'cleared' | 'invited']> = [
  ['Kementerian Hukum dan HAM', 'cleared'],
  ['Kementerian Pemberdayaan Perempuan dan Perlindungan Anak (KPPA)', 'cleared'],
  ['Kementerian Sosial', 'invited'],
  ['Kementerian Ketenagakerjaan', 'cleared'],
  ['Kejaksaan Agung', 'pending'],
  ['Kepolisian Negara Republik Indonesia (Polri)', 'invited'],
  ['Badan Pelindungan Pekerja Migran Indonesia (BP2MI)', 'cleared'],
  ['Lembaga Perlindungan Saksi dan Korban (LPSK)', 'pending'],
];

/** Draft PKS on trafficking victims abroad: one nine-party agreement (Kemlu and eight agencies), each agency at its own status. */
export async function traffickingPks(s: DemoScript) {
  const a = await s.at('2022-05-23T03:00:00Z').create({
    code: 'PKS-ID-2022-03',
    type: 'cooperation_agreement',
    title: { id: 'Perjanjian Kerja Sama Pencegahan dan Penanganan WNI Korban TPPO di Luar Negeri', en: 'Cooperation Agreement on Preventing and Handling Indonesian Victims of Trafficking in Persons Abroad' },
    subjects: ['tppo', 'pelindungan', 'korban'],
    leadUnit: 'PWNI',
    authenticLanguages: ['id'],
    parties: [KEMLU, ...TRAFFICKING_AGENCIES.map(([name]) => ({ name, kind: 'agency' as const, country: 'ID' }))],
  });
  const current = await s.at('2022-07-04T03:00:00Z').move(a, 'interagency_consultation', 'Draf dikirim ke delapan K/L');
  const parties = current.parties.map((p) => {
    const status = TRAFFICKING_AGENCIES.find(([name]) => name === p.name)?.[1] ?? 'cleared';
    const signatory = p.signatory ?? (status === 'pending' ? undefined : { name: `Pimpinan ${p.name}` });
    return { id: String(p._id), name: p.name, kind: p.kind, country: p.country, ...(signatory ? { signatory } : {}), status };
  });
  return s.at('2022-10-12T03:00:00Z').patch(current, { parties });
}

/** Draft MoU with LPSK on Indonesian witnesses and victims of terrorism abroad. */
export async function terrorismVictimsMou(s: DemoScript) {
  const a = await s.at('2022-08-22T03:00:00Z').create({
    code: 'MOU-ID-2022-01',
    type: 'mou',
    title: {
      id: 'Nota Kesepahaman tentang Pelindungan WNI Saksi dan Korban Tindak Pidana Terorisme di Luar Negeri',
      en: 'MoU on Protecting Indonesian Witnesses and Victims of Terrorism Abroad (health services, certificates for compensation claims)',
    },
    subjects: ['terorisme', 'korban', 'kompensasi'],
    leadUnit: 'PWNI',
    confidentiality: 'internal',
    authenticLanguages: ['id'],
    parties: [KEMLU, { name: 'Lembaga Perlindungan Saksi dan Korban (LPSK)', kind: 'agency', country: 'ID' }],
  });
  return s.at('2022-11-02T03:00:00Z').comment(a, 'Draf awal disusun; menunggu masukan LPSK tentang surat keterangan korban untuk klaim kompensasi');
}

/** A guideline drafted, reviewed, and now waiting at BHAKP for the minister's signature. */
export async function guideline(s: DemoScript, code: string, title: { id: string; en: string }, subjects: string[], dates: [string, string, string]) {
  const a = await s.at(dates[0]).create({ code, type: 'guideline', title, subjects, leadUnit: 'PWNI', authenticLanguages: ['id'], parties: [MINISTER] });
  await s.at(dates[1]).move(a, 'legal_review', 'Dikirim ke Biro Hukum dan Administrasi Kementerian (BHAKP)');
  await s.at(dates[1].replace('T03', 'T05')).finalTexts(a);
  return s.at(dates[2]).move(a, 'awaiting_signature', 'Menunggu tanda tangan Menteri di BHAKP / Awaiting the minister’s signature at BHAKP');
}

/** The drafter of the consular directorate general (Ditjen Protkons), a demo login of that unit. */
export const PROTKONS_DRAFTER: Actor = { id: 'demo-protkons', email: 'protkons@demo.pwni.local', name: 'Perancang Demo Ditjen Protkons', role: 'drafter', unit: 'PROTKONS' };

/**
 * A confidential PKS led by Ditjen Protkons rather than PWNI (illustrative, not from the report):
 * data on citizens' border crossings is personal data, so only that unit and admins see it.
 * Played by that unit's drafter, who alone (with admins) may work on it.
 */
export async function borderCrossingDataPks(s: DemoScript) {
  const a = await s.at('2022-09-05T03:00:00Z').create({
    code: 'PKS-ID-2022-04',
    type: 'cooperation_agreement',
    title: {
      id: 'Perjanjian Kerja Sama tentang Pertukaran Data Perlintasan WNI untuk Pelindungan di Luar Negeri',
      en: 'Cooperation Agreement on Sharing Data on Indonesian Citizens’ Border Crossings for Their Protection Abroad',
    },
    subjects: ['data-perlintasan', 'data-pribadi', 'pelindungan'],
    leadUnit: 'PROTKONS',
    confidentiality: 'confidential',
    authenticLanguages: ['id'],
    parties: [
      { name: 'Ditjen Protokol dan Konsuler Kemlu', kind: 'agency', country: 'ID', signatory: { name: 'Direktur Jenderal Protokol dan Konsuler', title: 'Dirjen', email: 'dirjen.protkons@demo.pwni.local', timezone: 'Asia/Jakarta' } },
      { name: 'Direktorat Jenderal Imigrasi Kemenkumham', kind: 'agency', country: 'ID', signatory: { name: 'Direktur Jenderal Imigrasi', title: 'Dirjen', email: 'dirjen.imigrasi@demo.kemenkumham.go.id', timezone: 'Asia/Jakarta' } },
    ],
  });
  await s.at('2022-10-03T03:00:00Z').move(a, 'interagency_consultation', 'Draf dibahas dengan Ditjen Imigrasi; perlu kajian pelindungan data pribadi');
  return s.at('2022-10-20T03:00:00Z').comment(a, 'Menunggu pendapat hukum tentang dasar berbagi data pribadi antarinstansi / Awaiting a legal opinion on the basis for sharing personal data between agencies');
}
