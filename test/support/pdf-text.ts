import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * The text of each page as a PDF reader extracts it (Mozilla's pdf.js, the engine of Firefox's
 * viewer): through each font's ToUnicode map, with right-to-left runs put back in logical order.
 * Lines end with '\n'; text drawn apart on one line is joined as pdf.js joins it.
 */
export async function pageTexts(bytes: Uint8Array): Promise<string[]> {
  // pdf.js may detach the buffer it is given: hand it a copy
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}
