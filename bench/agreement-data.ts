import { Types } from 'mongoose';
import type { AgreementRecord, Party } from '../models/agreement.js';
import { derivedFields, stageDueAt } from '../domain/agreements/derived-fields.js';
import { TABLES, type InstrumentType, type Stage } from '../workflows/index.js';

/**
 * Believable agreements in bulk for the benchmark: the mix of instrument types, partner states,
 * domestic agencies, stages, units and confidentiality a directorate's registry would hold.
 * Deterministic (seeded) so two runs measure the same data.
 */
export function createRandom(seed = 42): () => number {
  let s = seed >>> 0;
  return () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const COUNTRIES: Array<[code: string, id: string, en: string, tz: string]> = [
  ['MY', 'Malaysia', 'Malaysia', 'Asia/Kuala_Lumpur'],
  ['SA', 'Arab Saudi', 'Saudi Arabia', 'Asia/Riyadh'],
  ['QA', 'Qatar', 'Qatar', 'Asia/Qatar'],
  ['AE', 'Persatuan Emirat Arab', 'United Arab Emirates', 'Asia/Dubai'],
  ['KW', 'Kuwait', 'Kuwait', 'Asia/Kuwait'],
  ['JO', 'Yordania', 'Jordan', 'Asia/Amman'],
  ['SG', 'Singapura', 'Singapore', 'Asia/Singapore'],
  ['BN', 'Brunei Darussalam', 'Brunei Darussalam', 'Asia/Brunei'],
  ['HK', 'Hong Kong', 'Hong Kong', 'Asia/Hong_Kong'],
  ['TW', 'Taiwan', 'Taiwan', 'Asia/Taipei'],
  ['JP', 'Jepang', 'Japan', 'Asia/Tokyo'],
  ['KR', 'Korea Selatan', 'Republic of Korea', 'Asia/Seoul'],
  ['PH', 'Filipina', 'Philippines', 'Asia/Manila'],
  ['TH', 'Thailand', 'Thailand', 'Asia/Bangkok'],
  ['AU', 'Australia', 'Australia', 'Australia/Sydney'],
  ['NL', 'Belanda', 'Netherlands', 'Europe/Amsterdam'],
  ['DE', 'Jerman', 'Germany', 'Europe/Berlin'],
  ['TR', 'Turki', 'Türkiye', 'Europe/Istanbul'],
  ['EG', 'Mesir', 'Egypt', 'Africa/Cairo'],
  ['OM', 'Oman', 'Oman', 'Asia/Muscat'],
  ['BH', 'Bahrain', 'Bahrain', 'Asia/Bahrain'],
  ['PL', 'Polandia', 'Poland', 'Europe/Warsaw'],
  ['NZ', 'Selandia Baru', 'New Zealand', 'Pacific/Auckland'],
  ['US', 'Amerika Serikat', 'United States', 'America/New_York'],
];

export const AGENCIES = [
  'Kementerian Hukum dan HAM',
  'Kementerian PPPA',
  'Kementerian Sosial',
  'Kementerian Ketenagakerjaan',
  'Kejaksaan Agung',
  'Kepolisian Negara RI',
  'BP2MI',
  'LPSK',
  'BPJS Ketenagakerjaan',
  'Ditjen AHU Kemenkumham',
  'Kementerian Kesehatan',
  'Kementerian Dalam Negeri',
  'Badan Siber dan Sandi Negara',
];

const TOPICS: Array<[subject: string, id: string, en: string]> = [
  ['migrant_workers', 'penempatan dan pelindungan pekerja migran', 'placement and protection of migrant workers'],
  ['trafficking', 'pencegahan dan penanganan TPPO', 'prevention and handling of trafficking in persons'],
  ['consular', 'kerja sama kekonsuleran', 'consular cooperation'],
  ['citizenship_data', 'integrasi data kewarganegaraan', 'citizenship data integration'],
  ['social_security', 'jaminan sosial pekerja migran', 'social security for migrant workers'],
  ['terrorism_victims', 'pelindungan saksi dan korban terorisme', 'protection of witnesses and victims of terrorism'],
  ['shelter', 'manajemen pengelolaan shelter', 'shelter management'],
  ['death_penalty', 'penanganan kasus hukuman mati', 'handling of death-penalty cases'],
  ['repatriation', 'pemulangan WNI bermasalah', 'repatriation of distressed citizens'],
  ['legal_aid', 'bantuan hukum bagi WNI', 'legal aid for citizens abroad'],
  ['fisheries_crew', 'pelindungan awak kapal perikanan', 'protection of fishing crews'],
  ['students', 'pelindungan pelajar Indonesia', 'protection of Indonesian students'],
];

const TYPE_WEIGHTS: Array<[InstrumentType, number]> = [
  ['mou', 0.35],
  ['agreement', 0.12],
  ['technical_arrangement', 0.2],
  ['cooperation_agreement', 0.27],
  ['guideline', 0.06],
];
const PREFIX: Record<InstrumentType, string> = { mou: 'MOU', agreement: 'AGR', technical_arrangement: 'TA', cooperation_agreement: 'PKS', guideline: 'PED' };
const TYPE_NAME: Record<InstrumentType, [string, string]> = {
  mou: ['Nota Kesepahaman', 'Memorandum of Understanding'],
  agreement: ['Persetujuan', 'Agreement'],
  technical_arrangement: ['Pengaturan Teknis', 'Technical Arrangement'],
  cooperation_agreement: ['Perjanjian Kerja Sama', 'Cooperation Agreement'],
  guideline: ['Pedoman', 'Guideline'],
};
const UNITS: Array<[string, number]> = [
  ['PWNI', 0.7],
  ['HPI', 0.15],
  ['BHAKP', 0.1],
  ['PROTOKOL', 0.05],
];
const CONFIDENTIALITY: Array<['public' | 'internal' | 'confidential', number]> = [
  ['public', 0.3],
  ['internal', 0.55],
  ['confidential', 0.15],
];
const NAMES = ['Ahmad Fauzi', 'Siti Rahmawati', 'Budi Santoso', 'Dewi Lestari', 'Rizal Hakim', 'Nur Aini', 'Hendra Wijaya', 'Ratna Sari'];

function weighted<T>(rnd: () => number, items: Array<[T, number]>): T {
  let x = rnd();
  for (const [item, w] of items) {
    if ((x -= w) < 0) return item;
  }
  return items[items.length - 1][0];
}
const pick = <T>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)];

export interface GenerateOptions {
  /** index of the first agreement (codes stay unique across batches) */
  start: number;
  count: number;
  rnd: () => number;
  /** force every agreement into this type and stage (for the transitions pool) */
  force?: { type: InstrumentType; stage: Stage; leadUnit: string; confidentiality: 'public' | 'internal' | 'confidential' };
}

const DAY = 86_400_000;
const EPOCH = Date.UTC(2014, 0, 1);
const SPAN = Date.UTC(2024, 11, 31) - EPOCH;

export function generateAgreements(o: GenerateOptions): Array<Omit<AgreementRecord, '_id'> & { _id: Types.ObjectId }> {
  const out = [];
  for (let i = 0; i < o.count; i++) {
    const n = o.start + i;
    const rnd = o.rnd;
    const type = o.force?.type ?? weighted(rnd, TYPE_WEIGHTS);
    const table = TABLES[type];
    const stage = o.force?.stage ?? pick(rnd, table.stages.filter((s) => s !== 'on_hold'));
    const topic = pick(rnd, TOPICS);
    const created = new Date(EPOCH + Math.floor(rnd() * SPAN));
    const updated = new Date(created.getTime() + Math.floor(rnd() * 400) * DAY);
    const stageEnteredAt = new Date(updated.getTime() - Math.floor(rnd() * 60) * DAY);
    const year = created.getUTCFullYear();
    const parties: Party[] = [];
    const indonesia: Party = {
      _id: new Types.ObjectId(),
      name: type === 'cooperation_agreement' || type === 'guideline' ? 'Kementerian Luar Negeri' : 'Republik Indonesia',
      kind: type === 'cooperation_agreement' || type === 'guideline' ? 'agency' : 'state',
      country: 'ID',
      signatory: { name: pick(rnd, NAMES), title: 'Direktur Jenderal', email: `signatory${n % 97}@kemlu.go.id`, timezone: 'Asia/Jakarta', fullPowersRequired: false },
      status: 'pending',
    };
    parties.push(indonesia);
    let countryCode = 'ID';
    let partnerId = 'Internal';
    let partnerEn = 'Internal';
    if (type === 'cooperation_agreement') {
      const k = 1 + Math.floor(rnd() * (rnd() < 0.1 ? 8 : 2));
      const agencies = [...AGENCIES].sort(() => rnd() - 0.5).slice(0, k);
      for (const a of agencies) {
        parties.push({ _id: new Types.ObjectId(), name: a, kind: 'agency', country: 'ID', signatory: { name: pick(rnd, NAMES), title: 'Kepala', email: `pic${n % 89}@agency.go.id` }, status: 'pending' });
      }
      partnerId = agencies.join(', ');
      partnerEn = partnerId;
    } else if (type !== 'guideline') {
      const [code, id, en, tz] = pick(rnd, COUNTRIES);
      countryCode = code;
      partnerId = id;
      partnerEn = en;
      parties.push({
        _id: new Types.ObjectId(),
        name: `Pemerintah ${id}`,
        kind: 'state',
        country: code,
        signatory: { name: `Minister of ${en}`, title: 'Minister', email: `minister@${code.toLowerCase()}.example.org`, timezone: tz, fullPowersRequired: rnd() < 0.5 },
        status: 'pending',
      });
      if (rnd() < 0.1) parties.push({ _id: new Types.ObjectId(), name: 'International Organization for Migration', kind: 'organisation', status: 'pending' });
    }
    const signedStages = new Set(['signed', 'pending_ratification', 'in_force', 'expired', 'terminated', 'superseded']);
    if (signedStages.has(stage) || stage === 'partially_signed') {
      parties.forEach((p, j) => {
        if (signedStages.has(stage) || j === 0) {
          p.status = 'signed';
          p.statusAt = stageEnteredAt;
          p.signature = { signedAt: stageEnteredAt, place: pick(rnd, ['Jakarta', 'Bogor', 'Kuala Lumpur', 'Riyadh', 'Doha']), method: rnd() < 0.8 ? 'wet_ink' : 'electronic' };
        }
      });
    }
    const [typeId, typeEn] = TYPE_NAME[type];
    const base = {
      code: `${PREFIX[type]}-${countryCode}-${year}-${String(n).padStart(6, '0')}`,
      title: {
        id: `${typeId} antara Indonesia dan ${partnerId} tentang ${topic[1]}`,
        en: `${typeEn} between Indonesia and ${partnerEn} on ${topic[2]}`,
      },
      parties,
      leadUnit: o.force?.leadUnit ?? weighted(rnd, UNITS),
      confidentiality: o.force?.confidentiality ?? weighted(rnd, CONFIDENTIALITY),
    };
    out.push({
      _id: new Types.ObjectId(),
      ...base,
      type,
      subjects: [topic[0], ...(rnd() < 0.3 ? [pick(rnd, TOPICS)[0]] : [])],
      authenticLanguages: type === 'cooperation_agreement' || type === 'guideline' ? ['id'] : rnd() < 0.7 ? ['id', 'en'] : ['id', 'en', 'ar'],
      stage,
      stageEnteredAt,
      stageDueAt: stageDueAt({ type }, stage, stageEnteredAt),
      previousStage: null,
      rounds: stage === 'negotiation' ? [{ number: 1, date: stageEnteredAt, venue: 'Jakarta', outcome: 'continued' }] : [],
      signedAt: signedStages.has(stage) ? stageEnteredAt : null,
      entryIntoForce: stage === 'in_force' ? { date: stageEnteredAt, basis: 'on_signature' } : null,
      term: { durationMonths: 60, expiresAt: null, noticePeriodDays: 90 },
      links: [],
      remindersPaused: false,
      ...derivedFields(base),
      version: 1 + Math.floor(rnd() * 8),
      createdBy: 'bench',
      createdAt: created,
      updatedAt: updated,
    });
  }
  return out;
}
