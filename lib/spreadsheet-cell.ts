/**
 * A text a spreadsheet program would run as a formula when it opens a CSV (=, +, -, @, tab or CR
 * first: "=HYPERLINK(...)" can send a cell's neighbours to another site) gets a leading apostrophe,
 * which Excel and LibreOffice show as text and do not display. Every CSV the service writes passes
 * its cells through here, so that no export is the one that forgot.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
