// A performance index by year, as the server reads it (models/performance-index.ts): the name an
// index had in a year (renamed later, it keeps its old name for the years before) and whether it
// is reported that year. One copy for the agreement page, the reports filter and the admin tab.
import { pick } from './i18n.js';
import { DEFAULT_ZONE, dateInputValue } from './time.js';

/** The year of an instant on the directorate's calendar (Jakarta), which reports count by; now by default. */
export const reportYear = (instant = new Date()) => Number(dateInputValue(instant, DEFAULT_ZONE).slice(0, 4));

/** The name an index had in `year`, its first name before it. */
export function indexNameIn(index, year) {
  return index.names.filter((n) => n.fromYear <= year).at(-1) ?? index.names[0];
}

/** Whether the index is reported in `year`. */
export const indexActiveIn = (index, year) => index.fromYear <= year && (index.retiredFromYear === null || year < index.retiredFromYear);

/** An index by its code, under its name in `year` in the reader's language; the code itself when the index is unknown. */
export function indexLabel(code, indices, year) {
  const index = indices?.find((i) => i.code === code);
  return index?.names.length ? pick(indexNameIn(index, year)) : code;
}
