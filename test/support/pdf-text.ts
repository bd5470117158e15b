import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

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

/** One line of text as drawn: its glyphs' characters in the order they sit on the page, left to right. */
export interface DrawnLine {
  /** the characters of each glyph in drawing order: a right-to-left word comes out back to front */
  visual: string;
  /** where the line starts and ends on the page, in points */
  left: number;
  right: number;
  baseline: number;
}

/**
 * The lines of each page as drawn, one per text object (BT … ET), read from pdf.js's operator
 * list rather than its text extraction: the extraction puts right-to-left runs back in logical
 * order, which would hide a line drawn in the wrong order. Only for upright text that runs to the
 * right, as the generated pages draw it.
 */
export async function drawnLines(bytes: Uint8Array): Promise<DrawnLine[][]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  try {
    const pages: DrawnLine[][] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const { fnArray, argsArray } = await (await doc.getPage(n)).getOperatorList();
      const lines: DrawnLine[] = [];
      let line: DrawnLine | undefined;
      let size = 0;
      for (let i = 0; i < fnArray.length; i++) {
        const args = argsArray[i];
        if (fnArray[i] === OPS.beginText) line = { visual: '', left: 0, right: 0, baseline: 0 };
        else if (fnArray[i] === OPS.setTextMatrix && line) {
          const m = args[0] as number[];
          line.left = line.right = m[4]!;
          line.baseline = m[5]!;
        } else if (fnArray[i] === OPS.setFont) size = args[1];
        else if (fnArray[i] === OPS.showText && line) {
          // glyphs advance by their width; numbers in between move left by thousandths of the size
          for (const g of args[0] as Array<number | { unicode: string; width: number }>) {
            if (typeof g === 'number') line.right -= (g * size) / 1000;
            else {
              line.visual += g.unicode;
              line.right += (g.width * size) / 1000;
            }
          }
        } else if (fnArray[i] === OPS.endText && line) {
          if (line.visual) lines.push(line);
          line = undefined;
        }
      }
      pages.push(lines);
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}
