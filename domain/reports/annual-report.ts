import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { STAGE_LABELS } from '../deadlines/labels.js';
import { STAGES } from '../../workflows/index.js';
import { indexActiveIn, indexNameIn, type PerformanceIndexRecord } from '../../models/performance-index.js';
import { EXPIRING_DAYS, summarizePeriod, type ListedAgreement, type StageAtEnd, type Summary, type SummaryFilter } from './summarize-period.js';
import { counted, joinNames, longDate, officeIn, part, partyName, typeLabel, type Lang } from './words.js';

/**
 * The agreements part of the directorate's annual performance report, written from the tracker's
 * figures in the report's own manner (the 2022 report in shared/seed): one section per
 * performance index, sentences such as "Keberhasilan penandatanganan 2 (dua) buah perjanjian
 * bilateral, yaitu 1) … ditandatangani oleh … pada tanggal 1 April 2022 di Bogor", a table of
 * figures and charts. Every sentence and figure carries the agreements it speaks of, so each
 * output format links them back to the tracker.
 */

/** A piece of text; `agreementId` makes it a link to that agreement. */
export interface Run {
  text: string;
  agreementId?: string;
}

export interface ReportSection {
  /** index code, or null for agreements attributed to no index */
  index: string | null;
  heading: string;
  /** one bullet per sentence group, as the report lists its achievements */
  bullets: Run[][];
}

export interface FigureRow {
  label: string;
  value: number;
  agreements: Array<{ id: string; code: string }>;
}

export interface AnnualReport {
  year: number;
  lang: Lang;
  title: string;
  intro: string;
  sections: ReportSection[];
  figures: FigureRow[];
  /** the figures the charts draw, each with the rows of its table */
  charts: ChartData[];
  summary: Summary;
  /** each index's name in the report's language, as of its year, by code */
  indexNames: Record<string, string>;
  /** the link target of an agreement: `${linkBase}${id}` */
  linkBase: string;
}

export interface ChartData {
  key: 'stages' | 'signed_by_index' | 'durations' | 'on_time';
  title: string;
  /** the axis or column labels, in order */
  categories: string[];
  /** null where there is nothing to measure (no stay at that stage, no deadline due): not a zero */
  series: Array<{ name: string; values: Array<number | null> }>;
  /** how values read: counts, working days, or a share (0–1) */
  unit: 'count' | 'days' | 'share';
}

const TYPE_NAMES: Record<string, { id: [string, string]; en: [string, string] }> = {
  mou: { id: ['nota kesepahaman (MoU)', 'nota kesepahaman (MoU)'], en: ['memorandum of understanding', 'memoranda of understanding'] },
  agreement: { id: ['perjanjian', 'perjanjian'], en: ['agreement', 'agreements'] },
  technical_arrangement: { id: ['pengaturan teknis (technical arrangement)', 'pengaturan teknis (technical arrangement)'], en: ['technical arrangement', 'technical arrangements'] },
  cooperation_agreement: { id: ['perjanjian kerja sama (PKS)', 'perjanjian kerja sama (PKS)'], en: ['cooperation agreement', 'cooperation agreements'] },
  guideline: { id: ['pedoman', 'pedoman'], en: ['guideline', 'guidelines'] },
};

/** The type name of a group: its common type, else the generic "agreement". */
function typeWord(items: Array<{ type: string }>, lang: Lang): string {
  const types = new Set(items.map((i) => i.type));
  const plural = items.length === 1 ? 0 : 1;
  if (types.size === 1) return TYPE_NAMES[items[0].type][lang][plural];
  return lang === 'id' ? 'perjanjian' : plural ? 'agreements' : 'agreement';
}

const titleOf = (a: { title: { id: string; en: string } }, lang: Lang) => (lang === 'id' ? a.title.id : a.title.en);

/**
 * Who signed for each party, as a sentence names them: "Menteri Ketenagakerjaan Republik
 * Indonesia" / "the Minister of Manpower of the Republic of Indonesia"; a signatory known only by
 * name signs on behalf of the party.
 */
function signers(a: ListedAgreement, lang: Lang): string {
  return joinNames(a.signatories.filter((s) => s.signedAt).map((s) => signer(s, lang)), lang);
}

function signer(s: ListedAgreement['signatories'][number], lang: Lang): string {
  const party = partyName({ name: s.party, kind: s.kind, country: s.country }, lang);
  const title = part(s.title, lang);
  // a title that already names its state ("Menteri Luar Negeri Republik Indonesia") is not followed by it again
  if (title && (title.includes(s.party) || title.includes(party.replace(/^the /, '')))) return officeIn(title, lang);
  if (title) return lang === 'id' ? `${title} ${party}` : `${officeIn(title, lang)} of ${party}`;
  if (s.name) return lang === 'id' ? `${s.name} atas nama ${party}` : `${s.name} on behalf of ${party}`;
  return party;
}

/**
 * "Proses penandatanganan tersebut disaksikan oleh Presiden RI dan Perdana Menteri Malaysia", as
 * the 2022 report follows a signing with its witnesses: everyone named at any party's signature,
 * once each, in the order first named; nothing when no one was.
 */
function witnessedBy(a: ListedAgreement, lang: Lang): string {
  const names = [...new Set(a.signatories.flatMap((s) => s.witnesses.map((w) => officeIn(part(w, lang), lang))))];
  if (!names.length) return '';
  return lang === 'id' ? `. Proses penandatanganan tersebut disaksikan oleh ${joinNames(names, lang)}` : `. The signing was witnessed by ${joinNames(names, lang)}`;
}

/** Sentence pieces: text runs with the agreement titles as links. */
function linked(a: { id: string; title: { id: string; en: string } }, lang: Lang, rest = ''): Run[] {
  return [{ text: titleOf(a, lang), agreementId: a.id }, ...(rest ? [{ text: rest }] : [])];
}

/** Joins items of runs the way enumerate() joins strings: "1) …; dan 2) …". */
function enumerateRuns(items: Run[][], lang: Lang): Run[] {
  if (items.length === 1) return items[0];
  const and = lang === 'id' ? 'dan' : 'and';
  return items.flatMap((item, i) => [{ text: `${i === 0 ? '' : i === items.length - 1 ? `; ${and} ` : '; '}${i + 1}) ` }, ...item]);
}

/**
 * "antara A dengan B" / "between A and B". Indonesian joins the first party to the others with
 * "dengan", as the seed does ("antara Kemlu dengan 8 K/L"): with "dan", a party whose own name
 * holds "dan" ("Ditjen Protokol dan Konsuler Kemlu dan Ditjen AHU …") reads as three parties.
 */
function between(names: string[], lang: Lang): string {
  if (names.length < 2) return '';
  const [first, ...others] = names;
  return lang === 'id' ? ` antara ${first} dengan ${joinNames(others, lang)}` : ` between ${joinNames(names, lang)}`;
}

function signedBullets(list: ListedAgreement[], lang: Lang): Run[][] {
  const bullets: Run[][] = [];
  const bilateral = list.filter((a) => a.bilateral);
  if (bilateral.length) {
    const items = bilateral.map((a) =>
      linked(a, lang, lang === 'id'
        ? ` telah ditandatangani oleh ${signers(a, lang)} pada tanggal ${longDate(a.date!, lang)}${a.place ? ` di ${a.place}` : ''}${witnessedBy(a, lang)}`
        : `, signed by ${signers(a, lang)} on ${longDate(a.date!, lang)}${a.place ? ` in ${a.place}` : ''}${witnessedBy(a, lang)}`),
    );
    bullets.push([
      { text: lang === 'id' ? `Keberhasilan penandatanganan ${counted(bilateral.length, 'id')} buah perjanjian bilateral, yaitu ` : `The signing of ${counted(bilateral.length, 'en')} bilateral ${bilateral.length === 1 ? 'agreement' : 'agreements'}, namely ` },
      ...enumerateRuns(items, lang),
      { text: '.' },
    ]);
  }
  const others = list.filter((a) => !a.bilateral);
  for (const group of groupBy(others, (a) => a.type)) {
    const items = group.map((a) =>
      linked(a, lang, lang === 'id'
        ? `${between(a.parties, lang)} pada tanggal ${longDate(a.date!, lang)}${a.place ? ` di ${a.place}` : ''}${witnessedBy(a, lang)}`
        : `${between(a.signatories.map((p) => partyName({ name: p.party, kind: p.kind, country: p.country }, lang)), lang)} on ${longDate(a.date!, lang)}${a.place ? ` in ${a.place}` : ''}${witnessedBy(a, lang)}`),
    );
    bullets.push([
      { text: lang === 'id' ? `Penandatanganan ${counted(group.length, 'id')} buah ${typeWord(group, lang)}, yaitu ` : `The signing of ${counted(group.length, 'en')} ${typeWord(group, lang)}, namely ` },
      ...enumerateRuns(items, lang),
      { text: '.' },
    ]);
  }
  return bullets;
}

function inForceBullets(list: ListedAgreement[], signedIds: Set<string>, lang: Lang): Run[][] {
  const only = list.filter((a) => !signedIds.has(a.id));
  if (!only.length) return [];
  const items = only.map((a) => linked(a, lang, lang === 'id' ? ` sejak tanggal ${longDate(a.date!, lang)}` : ` from ${longDate(a.date!, lang)}`));
  return [[
    { text: lang === 'id' ? `Mulai berlakunya ${counted(only.length, 'id')} buah ${typeWord(only, lang)}, yaitu ` : `The entry into force of ${counted(only.length, 'en')} ${typeWord(only, lang)}, namely ` },
    ...enumerateRuns(items, lang),
    { text: '.' },
  ]];
}

type StageItem = StageAtEnd['agreements'][number];

/** The parties of a draft the way the report names them: "antara Kemlu dengan 8 (delapan) K/L, yaitu …". */
function partiesPhrase(a: StageItem, lang: Lang): string {
  if (a.type === 'guideline' || a.parties.length < 2) return '';
  const names = a.parties.map((p) => partyName(p, lang));
  if (names.length === 2) return between(names, lang);
  const [first, ...others] = names;
  return lang === 'id'
    ? ` antara ${first} dengan ${counted(others.length, 'id')} kementerian/lembaga, yaitu ${joinNames(others, lang)}`
    : ` between ${first} and ${counted(others.length, 'en')} ministries and agencies: ${joinNames(others, lang)}`;
}

/** Where unfinished work stood at the end of the year, grouped as the report speaks of it. */
const PROGRESS_GROUPS: Array<{ stages: string[]; id: string; en: string }> = [
  { stages: ['drafting', 'interagency_consultation'], id: 'Penyusunan draf', en: 'The drafting of' },
  { stages: ['negotiation'], id: 'Perundingan', en: 'The negotiation of' },
  { stages: ['legal_review', 'text_agreed'], id: 'Finalisasi naskah', en: 'The finalisation of the text of' },
  { stages: ['awaiting_signature', 'partially_signed'], id: 'Penyusunan', en: 'The preparation of' },
  { stages: ['on_hold'], id: 'Penangguhan', en: 'The suspension of' },
];

function progressBullets(byStage: StageAtEnd[], lang: Lang): Run[][] {
  const bullets: Run[][] = [];
  for (const group of PROGRESS_GROUPS) {
    const items = byStage.filter((s) => group.stages.includes(s.stage)).flatMap((s) => s.agreements).sort((x, y) => x.code.localeCompare(y.code));
    if (!items.length) continue;
    const signing = group.stages.includes('awaiting_signature');
    const runs = items.map((a) => linked(a, lang, signing ? '' : partiesPhrase(a, lang)));
    const bullet: Run[] = [
      { text: `${lang === 'id' ? group.id : group.en} ${counted(items.length, lang)} ${lang === 'id' ? 'buah ' : ''}${typeWord(items, lang)}, ${lang === 'id' ? 'yaitu' : 'namely'} ` },
      ...enumerateRuns(runs, lang),
      { text: '.' },
    ];
    if (signing) {
      const pending = [...new Set(items.flatMap((a) => a.parties.filter((p) => !p.signed).map((p) => (p.signatoryTitle ? officeIn(part(p.signatoryTitle, lang), lang) : p.signatory || partyName(p, lang)))))];
      const subject = lang === 'id' ? (items.length === 1 ? 'Naskah tersebut' : items.length === 2 ? 'Keduanya' : 'Seluruhnya') : items.length === 1 ? 'It' : items.length === 2 ? 'Both' : 'All of them';
      bullet.push({
        text: lang === 'id'
          ? ` ${subject} masuk dalam tahap proses penandatanganan oleh ${joinNames(pending, lang)}.`
          : ` ${subject} ${items.length === 1 ? 'is' : 'are'} in the process of being signed by ${joinNames(pending, lang)}.`,
      });
    }
    bullets.push(bullet);
  }
  return bullets;
}

function endedBullets(summary: Summary, lang: Lang): Run[][] {
  const words = {
    expired: { id: 'Berakhirnya masa berlaku', en: 'The expiry of' },
    terminated: { id: 'Pengakhiran', en: 'The termination of' },
    abandoned: { id: 'Penghentian penyusunan', en: 'The abandonment of' },
  } as const;
  const bullets: Run[][] = [];
  for (const kind of ['expired', 'terminated', 'abandoned'] as const) {
    const list = summary[kind].list;
    if (!list.length) continue;
    const items = list.map((a) => linked(a, lang, lang === 'id' ? ` pada tanggal ${longDate(a.date!, lang)}` : ` on ${longDate(a.date!, lang)}`));
    bullets.push([{ text: `${words[kind][lang]} ${counted(list.length, lang)} ${lang === 'id' ? 'buah ' : ''}${typeWord(list, lang)}, ${lang === 'id' ? 'yaitu' : 'namely'} ` }, ...enumerateRuns(items, lang), { text: '.' }]);
  }
  return bullets;
}

function groupBy<T>(items: T[], key: (t: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups.values()];
}

const refs = (items: Array<{ id: string; code: string }>) => items.map((a) => ({ id: a.id, code: a.code }));

/** Narrows a summary to the agreements of one index (or of none). */
/**
 * The part of the summary counted under `index`; `null` is what falls under no index in use that
 * year (`active`): none attributed, or only indices not yet started or already retired. An
 * agreement is then still reported, among the other agreements, rather than left out.
 */
function forIndex(summary: Summary, index: string | null, active: Set<string>): Summary {
  const keep = (a: { indices: string[] }) => (index === null ? !a.indices.some((i) => active.has(i)) : a.indices.includes(index));
  const figure = (f: Summary['signed']) => ({ ...f, list: f.list.filter(keep) });
  return {
    ...summary,
    signed: figure(summary.signed),
    enteredIntoForce: figure(summary.enteredIntoForce),
    expired: figure(summary.expired),
    terminated: figure(summary.terminated),
    abandoned: figure(summary.abandoned),
    byStage: summary.byStage.map((s) => ({ ...s, agreements: s.agreements.filter(keep) })),
  };
}

export async function buildAnnualReport(ctx: DomainContext, actor: Actor, input: { year: number; lang: Lang }): Promise<AnnualReport> {
  const { year, lang } = input;
  if (!Number.isInteger(year) || year < 1945 || year > 2100) {
    throw new AppError('validation_failed', 'year must be a year between 1945 and 2100 / year harus tahun antara 1945 dan 2100', [{ field: 'year', message: 'Give a year between 1945 and 2100 / Isi tahun antara 1945 dan 2100' }]);
  }
  const summary = await summarizePeriod(ctx, actor, { from: `${year}-01-01`, to: `${year}-12-31`, confidentialOf: actor.unit });
  // Only an administrator could have seen what was left out; the document says so when there is any.
  const withheld = actor.role === 'admin' && (await ctx.models.Agreement.collection.countDocuments({ confidentiality: 'confidential', leadUnit: { $ne: actor.unit } }, { limit: 1 })) > 0;
  const allIndices = await ctx.models.PerformanceIndex.find({}).sort({ position: 1, _id: 1 }).lean<PerformanceIndexRecord[]>();
  const indices = allIndices.filter((i) => indexActiveIn(i, year));
  const active = new Set(indices.map((i) => i._id));
  const L = (id: string, en: string) => (lang === 'id' ? id : en);
  const sections: ReportSection[] = [];
  const section = (index: string | null, heading: string) => {
    const s = forIndex(summary, index, active);
    const signedIds = new Set(s.signed.list.map((a) => a.id));
    const bullets = [...signedBullets(s.signed.list, lang), ...inForceBullets(s.enteredIntoForce.list, signedIds, lang), ...progressBullets(s.byStage, lang), ...endedBullets(s, lang)];
    if (bullets.length) sections.push({ index, heading, bullets });
  };
  for (const index of indices) section(index._id, indexNameIn(index, year)[lang]);
  // before the first index (2021: the Malaysia MoU's rounds) or after one is retired, its agreements were left out of the year altogether
  section(
    null,
    indices.length
      ? L(`Perjanjian lain di luar indeks kinerja tahun ${year}`, `Other agreements, outside the performance indices of ${year}`)
      : L(`Perjanjian tahun ${year} (belum ada indeks kinerja yang berlaku)`, `Agreements in ${year} (no performance index was in use)`),
  );

  const figures = figuresOf(summary, indices, year, lang);
  const endLabel = longDate(periodEnd(summary), lang);

  return {
    year,
    lang,
    title: L(`Capaian Perjanjian Direktorat Pelindungan WNI Tahun ${year}`, `Agreements of the Directorate for the Protection of Indonesian Citizens: ${year} Results`),
    intro: L(
      `Bagian ini disusun oleh Pelacak Perjanjian dari riwayat tercatat setiap perjanjian: capaian tahun ${year} menurut indeks kinerja Direktorat PWNI dan posisi setiap perjanjian pada ${endLabel}.`,
      `This part is written by the Agreement Tracker from the recorded history of each agreement: the results of ${year} by the directorate's performance indices and where each agreement stood on ${endLabel}.`,
    ) + (withheld ? L(' Perjanjian berklasifikasi rahasia milik unit lain tidak dimuat.', ' Confidential agreements of other units are not included.') : ''),
    sections,
    figures,
    charts: chartsOf(summary, indices, year, lang),
    summary,
    indexNames: indexNamesOf(allIndices, year, lang),
    linkBase: `${ctx.config.publicUrl.replace(/\/$/, '')}/#/agreements/`,
  };
}

/** Index names by code, for the exports that list an agreement's indices (a retired index too: an agreement may still carry it). */
function indexNamesOf(indices: PerformanceIndexRecord[], year: number, lang: Lang): Record<string, string> {
  return Object.fromEntries(indices.map((i) => [i._id, indexNameIn(i, year)[lang]]));
}

/** The period's last day, as an instant that falls on that day in Jakarta. */
export const periodEnd = (summary: Pick<Summary, 'period'>) => new Date(`${summary.period.to}T05:00:00Z`);

/**
 * What stood at each stage: at the period's end, and when the period holds earlier quarter (or
 * year) ends, at each of them too, one series per day, so the chart shows the stages over time.
 */
function stagesChart(summary: Summary, lang: Lang): ChartData {
  const L = (id: string, en: string) => (lang === 'id' ? id : en);
  const points = summary.stagesOverTime;
  const stages = STAGES.filter((stage) => points.some((p) => p.byStage.some((s) => s.stage === stage)));
  const countAt = (point: Summary['stagesOverTime'][number], stage: string) => point.byStage.find((s) => s.stage === stage)?.count ?? 0;
  const end = longDate(periodEnd(summary), lang);
  return {
    key: 'stages',
    title: points.length > 1 ? L(`Perjanjian per tahap dari waktu ke waktu, hingga ${end}`, `Agreements by stage over time, to ${end}`) : L(`Perjanjian per tahap pada ${end}`, `Agreements by stage on ${end}`),
    categories: stages.map((stage) => STAGE_LABELS[stage][lang]),
    series: points.map((point) => ({
      name: points.length > 1 ? longDate(new Date(`${point.at}T05:00:00Z`), lang) : L('Jumlah', 'Count'),
      values: stages.map((stage) => countAt(point, stage)),
    })),
    unit: 'count',
  };
}

/** The table of figures of a summary, each row with the agreements it counts. */
export function figuresOf(summary: Summary, indices: PerformanceIndexRecord[], year: number, lang: Lang): FigureRow[] {
  const endLabel = longDate(periodEnd(summary), lang);
  const L = (id: string, en: string) => (lang === 'id' ? id : en);
  return [
    { label: L('Perjanjian ditandatangani', 'Agreements signed'), value: summary.signed.total, agreements: refs(summary.signed.list) },
    { label: L('— di antaranya perjanjian bilateral', '— of which bilateral agreements'), value: summary.signed.bilateral, agreements: refs(summary.signed.list.filter((a) => a.bilateral)) },
    ...indices.map((i) => ({
      label: `— ${indexNameIn(i, year)[lang]}`,
      value: summary.signed.byIndex[i._id] ?? 0,
      agreements: refs(summary.signed.list.filter((a) => a.indices.includes(i._id))),
    })),
    { label: L('Perjanjian mulai berlaku', 'Agreements entered into force'), value: summary.enteredIntoForce.total, agreements: refs(summary.enteredIntoForce.list) },
    { label: L('Perjanjian berakhir masa berlakunya', 'Agreements expired'), value: summary.expired.total, agreements: refs(summary.expired.list) },
    { label: L('Perjanjian diakhiri', 'Agreements terminated'), value: summary.terminated.total, agreements: refs(summary.terminated.list) },
    { label: L('Penyusunan perjanjian dihentikan', 'Agreements abandoned'), value: summary.abandoned.total, agreements: refs(summary.abandoned.list) },
    ...summary.byStage.map((s) => ({ label: L(`Tahap “${STAGE_LABELS[s.stage]?.id ?? s.stage}” pada ${endLabel}`, `At “${STAGE_LABELS[s.stage]?.en ?? s.stage}” on ${endLabel}`), value: s.count, agreements: refs(s.agreements) })),
    { label: L(`Tanda tangan terlambat pada ${endLabel}`, `Signatures overdue on ${endLabel}`), value: summary.signatures.overdueAtEnd.length, agreements: refs(summary.signatures.overdueAtEnd.map((o) => ({ id: o.agreementId, code: o.code }))) },
    // the window starts where the period ends: "within 180 days" alone left the reader to guess from when
    { label: L(`Berakhir atau tenggat pemberitahuan pembaruan dalam ${EXPIRING_DAYS} hari setelah ${endLabel}`, `Term ends or renewal notice falls within ${EXPIRING_DAYS} days after ${endLabel}`), value: summary.expiring.length, agreements: refs(summary.expiring.map((e) => ({ id: e.agreementId, code: e.code }))) },
  ];
}

/**
 * The stages whose durations the report shows, in the chart of median working days and in the
 * spreadsheet alike: those before entry into force. Years in force are the instrument's life, not
 * how long a stage of the work took (listed beside weeks of drafting, they read as the slowest
 * stage), and a stay on hold is a pause. The summary itself keeps every stay (GET
 * /api/reports/summary answers them all).
 */
export const WORK_STAGES: readonly string[] = STAGES.slice(0, STAGES.indexOf('in_force'));

/** What the charts of a summary draw. */
export function chartsOf(summary: Summary, indices: PerformanceIndexRecord[], year: number, lang: Lang): ChartData[] {
  const L = (id: string, en: string) => (lang === 'id' ? id : en);
  const stageName = (s: string) => STAGE_LABELS[s]?.[lang] ?? s;
  // already in workflow order (summarizePeriod)
  const onTime = summary.stageDeadlines.byStage;
  const durationStages = WORK_STAGES.filter((stage) => summary.stageDurations.some((d) => d.stage === stage));
  const types = [...new Set(summary.stageDurations.map((d) => d.type))];
  return [
    stagesChart(summary, lang),
    {
      key: 'signed_by_index',
      title: L('Perjanjian ditandatangani per indeks', 'Agreements signed by index'),
      categories: indices.map((i) => indexNameIn(i, year)[lang].replace(/^(Indeks|Index of( the)?) /, '')),
      series: [{ name: L('Ditandatangani', 'Signed'), values: indices.map((i) => summary.signed.byIndex[i._id] ?? 0) }],
      unit: 'count',
    },
    {
      key: 'durations',
      title: L('Median hari kerja per tahap', 'Median working days per stage'),
      categories: durationStages.map(stageName),
      series: types.map((type) => ({
        // a legend and a column header: the type's label, as the web page and the exports name it
        name: typeLabel(type, lang),
        values: durationStages.map((stage) => summary.stageDurations.find((d) => d.type === type && d.stage === stage)?.medianWorkingDays ?? null),
      })),
      unit: 'days',
    },
    {
      key: 'on_time',
      title: L('Tenggat tahap yang dipenuhi tepat waktu', 'Stage deadlines met on time'),
      categories: onTime.map((s) => stageName(s.stage)),
      series: [{ name: L('Tepat waktu', 'On time'), values: onTime.map((s) => s.onTimeShare) }],
      unit: 'share',
    },
  ];
}

/** The report as plain sentences (for tests, search and the web page). */
export const bulletText = (bullet: Run[]) => bullet.map((r) => r.text).join('');

export interface PeriodReport {
  title: string;
  lang: Lang;
  figures: FigureRow[];
  charts: ChartData[];
  summary: Summary;
  indexNames: Record<string, string>;
  linkBase: string;
}

/**
 * A summary of any period and filter with its figures and charts, for the exports. `summary`: one
 * already made for exactly this period and filter (the annual report's, for its year), so that the
 * database is not asked twice.
 */
export async function buildPeriodReport(ctx: DomainContext, actor: Actor, filter: SummaryFilter, lang: Lang, summary?: Summary): Promise<PeriodReport> {
  summary ??= await summarizePeriod(ctx, actor, filter);
  const year = Number(filter.to.slice(0, 4));
  const allIndices = await ctx.models.PerformanceIndex.find({}).sort({ position: 1, _id: 1 }).lean<PerformanceIndexRecord[]>();
  const indices = allIndices.filter((i) => indexActiveIn(i, year));
  const period = `${longDate(new Date(`${filter.from}T05:00:00Z`), lang)} – ${longDate(new Date(`${filter.to}T05:00:00Z`), lang)}`;
  const indexNames = indexNamesOf(allIndices, year, lang);
  // a file that leaves the page keeps what it was filtered by in its title
  const L = (id: string, en: string) => (lang === 'id' ? id : en);
  const filters = [
    filter.index ? `${L('Indeks kinerja', 'Performance index')}: ${indexNames[filter.index] ?? filter.index}` : null,
    filter.type ? `${L('Jenis', 'Type')}: ${typeLabel(filter.type, lang)}` : null,
    filter.leadUnit ? `${L('Unit penanggung jawab', 'Lead unit')}: ${filter.leadUnit}` : null,
  ].filter((x): x is string => x !== null);
  return {
    title: [L(`Ringkasan Perjanjian ${period}`, `Agreements Summary ${period}`), ...filters].join(' · '),
    lang,
    figures: figuresOf(summary, indices, year, lang),
    charts: chartsOf(summary, indices, year, lang),
    summary,
    indexNames,
    linkBase: `${ctx.config.publicUrl.replace(/\/$/, '')}/#/agreements/`,
  };
}
