import type { AgreementRecord } from '../../models/agreement.js';
import { slaDays, type InstrumentType, type Stage } from '../../workflows/index.js';
import { SHIPPED_CALENDAR, slaDueAt, type BusinessCalendar } from '../../workflows/business-days.js';

/**
 * When the stage should be left: its service-level days counted as working days (17:00 Jakarta,
 * the same rule as the stage_due deadline); null when it has none (side and terminal states).
 * Pass the calendar with the admin's holidays (loadBusinessCalendar) so both agree.
 */
export function stageDueAt(type: InstrumentType, stage: Stage, enteredAt: Date, calendar: BusinessCalendar = SHIPPED_CALENDAR): Date | null {
  const days = slaDays(type, stage);
  return days === undefined ? null : slaDueAt(enteredAt, days, calendar);
}

type Searchable = Pick<AgreementRecord, 'code' | 'title' | 'parties' | 'confidentiality' | 'leadUnit'>;

/**
 * What separates words in free-text search: ASCII characters other than letters and digits
 * (spaces, hyphens, brackets...). Everything else, accented letters included, belongs to a word.
 * The same set is written into the regex below, so the tokens and the regex agree on what a word is.
 */
const SEPARATORS = /[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+/;
const SEPARATOR_CLASS = '[\\x00-\\x2f\\x3a-\\x40\\x5b-\\x60\\x7b-\\x7f]';
/** How many leading characters of a word go into `searchTerms`. */
export const SEARCH_HEAD_LENGTH = 3;

/** Lower case with runs of white space as one space: how search text and queries are compared. */
export function normaliseSearchText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** The words of a text (after normaliseSearchText). */
export function searchWords(text: string): string[] {
  return text.split(SEPARATORS).filter(Boolean);
}

/** The first SEARCH_HEAD_LENGTH characters of a word (the whole word when shorter). */
export function searchHead(word: string): string {
  const chars = Array.from(word);
  return chars.length <= SEARCH_HEAD_LENGTH ? word : chars.slice(0, SEARCH_HEAD_LENGTH).join('');
}

/**
 * The regex (source) for "this phrase, starting at the beginning of a word" over searchText,
 * written so that MongoDB's PCRE and JavaScript read it alike. A phrase that starts with a
 * separator is at a word boundary by itself.
 */
export function wordStartPattern(phrase: string): string {
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return SEPARATORS.test(phrase[0] ?? ' ') ? escaped : `(?:^|${SEPARATOR_CLASS})${escaped}`;
}

/**
 * Fields kept only for queries: lower-cased text for free-text search (regex; `$text` is not
 * available on the embedded server) with the heads of its words (`searchTerms`, a multikey index
 * narrows a search to the agreements having a word that starts like the query's), exact party
 * keys, and who may see a confidential agreement.
 */
export function derivedFields(a: Searchable) {
  const names = a.parties.map((p) => p.name);
  const searchText = [a.code, a.title.id, a.title.en, ...names].map(normaliseSearchText).join(' \u0001 ');
  return {
    searchText,
    searchTerms: [...new Set(searchWords(searchText).map(searchHead))],
    partyKeys: [...new Set([...names, ...a.parties.map((p) => p.country ?? '')].filter(Boolean).map((s) => s.toLowerCase()))],
    audience: a.confidentiality === 'confidential' ? a.leadUnit : '*',
  };
}
