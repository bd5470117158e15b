import { TYPE_LABELS } from '../deadlines/labels.js';
import { dayInWords, hqDay } from '../../workflows/business-days.js';

/**
 * Numbers, dates and names as an Indonesian (or English) report writes them:
 * "2 (dua)", "1 April 2022", "1) …; dan 2) …".
 */
const UNITS_ID = ['nol', 'satu', 'dua', 'tiga', 'empat', 'lima', 'enam', 'tujuh', 'delapan', 'sembilan', 'sepuluh', 'sebelas'];

/** A whole number spelled out in Indonesian ("terbilang"): 1806714 → "satu juta delapan ratus enam ribu tujuh ratus empat belas". */
export function terbilang(n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`terbilang: ${n} is not a non-negative integer`);
  if (n < 12) return UNITS_ID[n];
  if (n < 20) return `${terbilang(n - 10)} belas`;
  if (n < 100) return joinWords(`${terbilang(Math.floor(n / 10))} puluh`, n % 10);
  if (n < 200) return joinWords('seratus', n - 100);
  if (n < 1000) return joinWords(`${terbilang(Math.floor(n / 100))} ratus`, n % 100);
  if (n < 2000) return joinWords('seribu', n - 1000);
  for (const [size, word] of [[1e12, 'triliun'], [1e9, 'miliar'], [1e6, 'juta'], [1e3, 'ribu']] as const) {
    if (n >= size) return joinWords(`${terbilang(Math.floor(n / size))} ${word}`, n % size);
  }
  return String(n);
}

const joinWords = (head: string, rest: number) => (rest === 0 ? head : `${head} ${terbilang(rest)}`);

const UNITS_EN = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS_EN = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** English words for 0–999; larger numbers stay in digits, as English reports write them. */
export function inEnglishWords(n: number): string {
  if (n < 20) return UNITS_EN[n];
  if (n < 100) return TENS_EN[Math.floor(n / 10)] + (n % 10 ? `-${UNITS_EN[n % 10]}` : '');
  if (n < 1000) return `${UNITS_EN[Math.floor(n / 100)]} hundred` + (n % 100 ? ` and ${inEnglishWords(n % 100)}` : '');
  return n.toLocaleString('en-GB');
}

export type Lang = 'id' | 'en';

/** "2 (dua)" in Indonesian, with thousands separated by dots; "two (2)" in English. */
export function counted(n: number, lang: Lang): string {
  if (lang === 'id') return `${n.toLocaleString('id-ID')} (${terbilang(n)})`;
  return n < 1000 ? `${inEnglishWords(n)} (${n})` : n.toLocaleString('en-GB');
}

/** "1 April 2022" (the day in Jakarta, where the directorate keeps its records). */
export function longDate(at: Date | string, lang: Lang): string {
  return dayInWords(hqDay(at), lang);
}

/** "1) A; dan 2) B" / "1) A; and 2) B"; a single item stands alone. */
export function enumerate(items: string[], lang: Lang): string {
  if (items.length === 1) return items[0];
  const and = lang === 'id' ? 'dan' : 'and';
  return items.map((item, i) => `${i + 1}) ${item}`).reduce((acc, item, i, all) => (i === 0 ? item : `${acc}${i === all.length - 1 ? `; ${and} ` : '; '}${item}`), '');
}

/** "A, B dan C" / "A, B and C". */
export function joinNames(items: string[], lang: Lang): string {
  if (items.length <= 1) return items.join('');
  const and = lang === 'id' ? 'dan' : 'and';
  return `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}

/** A bilingual "Indonesian / English" title field: the part for the language. */
export function part(text: string | null | undefined, lang: Lang): string {
  if (!text) return '';
  const [id, en] = text.split(' / ');
  return (lang === 'en' ? en ?? id : id).trim();
}

/** The name of an instrument type as a label (a column, a legend), as the web page writes it. */
export const typeLabel = (type: string, lang: Lang): string => (TYPE_LABELS as Record<string, Record<Lang, string>>)[type]?.[lang] ?? type;

/**
 * How Indonesian writes a state's formal name, and the English form it stands for: "Kerajaan Arab
 * Saudi" is "the Kingdom of Saudi Arabia". Longer forms first, so "Republik Rakyat" wins over
 * "Republik".
 */
const STATE_FORMS: Array<[string, string]> = [
  ['Republik Rakyat Demokratik', "the Democratic People's Republic of"],
  ['Republik Rakyat', "the People's Republic of"],
  ['Republik Sosialis', 'the Socialist Republic of'],
  ['Republik Demokratik', 'the Democratic Republic of'],
  ['Republik Islam', 'the Islamic Republic of'],
  ['Republik Federal', 'the Federal Republic of'],
  ['Republik Arab', 'the Arab Republic of'],
  ['Republik', 'the Republic of'],
  ['Kerajaan', 'the Kingdom of'],
  ['Kesultanan', 'the Sultanate of'],
  ['Negara', 'the State of'],
  ['Pemerintah', 'the Government of'],
];

/** English short names that read with "the" ("the Philippines", "the United Arab Emirates"). */
const WITH_ARTICLE = /^(United |Philippines$|Netherlands$|Maldives$|Bahamas$|Gambia$|Comoros$|Seychelles$|Marshall Islands$|Solomon Islands$|Czech Republic$|Central African Republic$|Dominican Republic$)/;

/** Where the formal English name is built on another base than the everyday one ("the Republic of Korea"). */
const FORMAL_BASE: Record<string, string> = { KR: 'Korea', KP: 'Korea', BN: 'Brunei Darussalam', VN: 'Viet Nam' };

let regionNames: Intl.DisplayNames | undefined;

/** A state's English name from its ISO 3166 code, or null where the runtime does not know the code. */
function englishCountry(code: string): string | null {
  regionNames ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  try {
    return regionNames.of(code.toUpperCase()) ?? null;
  } catch {
    return null;
  }
}

/**
 * A party's name for a sentence in the report's language. Parties carry one name, written in
 * Indonesian; in English a state is named from its country code ("Republik Indonesia" becomes
 * "the Republic of Indonesia", "Malaysia" stays "Malaysia"). Agencies keep their official names.
 */
export function partyName(party: { name: string; kind?: string | null; country?: string | null }, lang: Lang): string {
  if (lang === 'id' || party.kind !== 'state' || !party.country) return party.name;
  const country = englishCountry(party.country);
  if (!country) return party.name;
  const form = STATE_FORMS.find(([id]) => party.name.startsWith(`${id} `));
  if (form) {
    const base = FORMAL_BASE[party.country.toUpperCase()] ?? country;
    return `${form[1]} ${WITH_ARTICLE.test(base) ? `the ${base}` : base}`;
  }
  return WITH_ARTICLE.test(country) ? `the ${country}` : country;
}

/** "the Minister of Manpower" in an English sentence; a person's name or an Indonesian title stays as it is. */
export function officeIn(title: string, lang: Lang): string {
  if (lang === 'id' || /^the /i.test(title)) return title;
  return /^(Minister|Deputy|Director|Secretary|Head|Chair|Ambassador|President|Prime Minister|Governor|Commissioner|Chief|Attorney|Vice)\b/.test(title) ? `the ${title}` : title;
}
