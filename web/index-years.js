// A performance index by year, as the server reads it (models/performance-index.ts): the name an
// index had in a year (renamed later, it keeps its old name for the years before) and whether it
// is reported that year. One copy for the agreement page, the reports filter and the admin tab.

/** The name an index had in `year`, its first name before it. */
export function indexNameIn(index, year) {
  return index.names.filter((n) => n.fromYear <= year).at(-1) ?? index.names[0];
}

/** Whether the index is reported in `year`. */
export const indexActiveIn = (index, year) => index.fromYear <= year && (index.retiredFromYear === null || year < index.retiredFromYear);
