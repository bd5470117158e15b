import type { AgreementRecord } from '../../models/agreement.js';
import { titlesInOrder } from './titles.js';
import { slaDays, type Stage, type WorkflowSubject } from '../../workflows/index.js';
import { SHIPPED_CALENDAR, slaDueAt, type BusinessCalendar } from '../../workflows/business-days.js';

/**
 * When the stage should be left: its service-level days counted as working days (17:00 Jakarta,
 * the same rule as the stage_due deadline); null when it has none (side and terminal states).
 * Pass the calendar with the admin's holidays (loadBusinessCalendar) so both agree.
 */
export function stageDueAt(subject: WorkflowSubject, stage: Stage, enteredAt: Date, calendar: BusinessCalendar = SHIPPED_CALENDAR): Date | null {
  const days = slaDays(subject, stage);
  return days === undefined ? null : slaDueAt(enteredAt, days, calendar);
}

type Searchable = Pick<AgreementRecord, 'code' | 'title' | 'parties' | 'confidentiality' | 'leadUnit'>;

/**
 * What separates words in free-text search: ASCII characters other than letters and digits
 * (spaces, hyphens, brackets...). Everything else, accented letters included, belongs to a word.
 * The same set is written into the regex of wordStartPattern, so that the index keys and the
 * regex agree on what a word is.
 */
const SEPARATOR_RANGES = '\\x00-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f';
const SEPARATOR_CLASS = `[${SEPARATOR_RANGES}]`;
const SEPARATORS = new RegExp(`${SEPARATOR_CLASS}+`);
const SEPARATOR = new RegExp(SEPARATOR_CLASS);
const WORD_RUN = new RegExp(`[^${SEPARATOR_RANGES}]+`, 'g');
/** Index keys from the start of words: this many characters, from words at least this long. */
const HEAD_LENGTH = 4;
/** Index keys for joined words such as codes ('mou-my' in 'MOU-MY-2022-01'): that many characters. */
const JOINED_LENGTH = 6;
/**
 * Heads that a large share of agreements hold: function words, the names of the instruments
 * (nota kesepahaman, memorandum of understanding, agreement, perjanjian, arrangement,
 * cooperation) and of governments (pemerintah, government, kementerian, Republik Indonesia,
 * party to them all). As keys they would narrow little and cost an index entry per agreement,
 * so they are neither stored nor looked up (a query made only of them reads every agreement).
 */
const STOP_HEADS = new Set([
  'anta', 'tent', 'deng', 'untu', 'pada', 'dari', 'betw', 'with',
  'nota', 'kese', 'memo', 'unde', 'agre', 'perj', 'arra', 'coop',
  'peme', 'gove', 'keme', 'indo', 'repu',
]);

/** Lower case with runs of white space as one space: how search text and queries are compared. */
export function normaliseSearchText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The words of a text (after normaliseSearchText). */
export function searchWords(text: string): string[] {
  return text.split(SEPARATORS).filter(Boolean);
}

/** The words of a text (after normaliseSearchText), each with where it starts and ends. */
export function searchWordSpans(text: string): Array<{ word: string; start: number; end: number }> {
  return [...text.matchAll(WORD_RUN)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
}

const head = (word: string, n: number) => Array.from(word).slice(0, n).join('');

/**
 * For every word that starts where `text` (normalised) is followed without a space by another
 * word ('mou-my-2022' → 'mou-my', 'my-202', '2022'... when long enough): its first JOINED_LENGTH
 * characters. These keep a search for a code prefix narrow where every word alone is common.
 */
function joinedKeys(text: string): string[] {
  const out: string[] = [];
  for (const chunk of text.split(' ')) {
    for (let i = 0; i < chunk.length; i++) {
      if (SEPARATOR.test(chunk[i]!) || (i > 0 && !SEPARATOR.test(chunk[i - 1]!))) continue;
      const key = head(chunk.slice(i), JOINED_LENGTH);
      if (Array.from(key).length === JOINED_LENGTH && SEPARATOR.test(key)) out.push(key);
    }
  }
  return out;
}

/** The key of a word, if it has one: its head, for words long enough and not too common. */
function headKey(word: string): string | undefined {
  if (Array.from(word).length < HEAD_LENGTH) return undefined;
  const key = head(word, HEAD_LENGTH);
  return STOP_HEADS.has(key) ? undefined : key;
}

/** The `searchTerms` of a stored text: the heads of its words and its joined keys. */
export function searchTermsOf(text: string): string[] {
  const terms = new Set<string>();
  for (const word of searchWords(text)) {
    const key = headKey(word);
    if (key) terms.add(key);
  }
  for (const key of joinedKeys(text)) terms.add(key);
  return [...terms];
}

/**
 * The one `searchTerms` key to look a query up by, or undefined when no word of the query has
 * one (then the search reads every agreement). Every agreement that matches the query holds
 * this key, so the index loses nothing: a query word is the start of a stored word, hence of the
 * same head when at least HEAD_LENGTH long; a joined key of the query starts at a word start, as
 * in the stored text. A joined key is the most selective, then the head of the longest word.
 */
export function searchKeyOf(phrase: string): string | undefined {
  const joined = joinedKeys(phrase);
  if (joined.length) return joined[0];
  const words = searchWords(phrase).sort((a, b) => Array.from(b).length - Array.from(a).length);
  for (const word of words) {
    const key = headKey(word);
    if (key) return key;
  }
  return undefined;
}

/**
 * The text as a regex that matches it literally. A NUL becomes `\x00`: mongod refuses a pattern
 * holding the byte itself (BadValue), so a stray one must not turn a search into a server error.
 */
export const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\0/g, '\\x00');

/**
 * What a space typed between two words matches: any run of separators but the one between two
 * fields of searchText (U+0001), so that a phrase never runs from one title into the next field.
 */
const WORD_GAP = '[\\x02-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]+';

/**
 * The regex (source) for "this phrase, starting at the beginning of a word" over searchText,
 * written so that MongoDB's PCRE and JavaScript read it alike. A phrase that starts with a
 * separator is at a word boundary by itself. A space typed between words stands for any
 * separators: people type "death penalty" for "Death-Penalty", "pks id 2022" for a code. Other
 * separators typed are matched as they are, so a code typed with its hyphens keeps its joined
 * index key (searchKeyOf) in every agreement it matches.
 */
export function wordStartPattern(phrase: string): string {
  const escaped = phrase.split(' ').map(escapeRegex).join(WORD_GAP);
  return SEPARATOR.test(phrase[0] ?? ' ') ? escaped : `(?:^|${SEPARATOR_CLASS})${escaped}`;
}

/**
 * The pattern (source) of a search typed with its alternative spellings (searchPhrases): a text
 * matches when it holds any of them starting at a word start. A single phrase is left as it is.
 */
export function anyWordStartPattern(phrases: readonly string[]): string {
  return anyOf(phrases.map(wordStartPattern));
}

/** The regex (source) matching any of the given ones. */
export const anyOf = (sources: readonly string[]): string => (sources.length === 1 ? sources[0]! : `(?:${sources.join('|')})`);

/**
 * A literal part that every agreement matching the phrase holds as typed (its longest run
 * without a space): a cheap substring test the database makes before the word-start pattern.
 */
export function literalPartOf(phrase: string): string {
  return phrase.split(' ').reduce((a, w) => (Array.from(w).length > Array.from(a).length ? w : a), '');
}

/**
 * Fields kept only for queries: lower-cased text for free-text search (regex; `$text` is not
 * available on the embedded server) with index keys for it (`searchTerms`: a multikey index
 * narrows a search to the agreements having a word that starts like the query's), exact party
 * keys, and who may see a confidential agreement.
 */
export function derivedFields(a: Searchable) {
  const names = a.parties.map((p) => p.name);
  const officialNames = a.parties.flatMap((p) => (p.officialName ? [p.officialName] : []));
  const searchText = [a.code, ...titlesInOrder(a.title).map(([, t]) => t), ...names, ...officialNames].map(normaliseSearchText).join(' \u0001 ');
  return {
    searchText,
    searchTerms: searchTermsOf(searchText),
    partyKeys: [...new Set([...names, ...a.parties.map((p) => p.country ?? '')].filter(Boolean).map((s) => s.toLowerCase()))],
    audience: a.confidentiality === 'confidential' ? a.leadUnit : '*',
  };
}
