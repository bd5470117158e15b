import { createRequire } from 'node:module';
import path from 'node:path';
import { PDFName, PDFRawStream, decodePDFRawStream } from '@cantoo/pdf-lib';
import { loadPdf } from './inspect.js';
import { PdfRejection } from './rejection.js';

/**
 * The most characters kept of one version's text (about 100 dense A4 pages): what search reads
 * and stores per version. A longer text is cut there and marked truncated; the file itself is
 * kept whole, as always.
 */
export const MAX_TEXT_CHARS = 300_000;

/**
 * Under this many letters or digits per page on average, a PDF has no text layer worth the name:
 * a scan (perhaps with a page number or a scanner's stamp). A page of typed text has hundreds.
 */
const MIN_LETTERS_PER_PAGE = 20;

export interface PdfText {
  /** the text in reading order as the file stores it, runs of white space as one space */
  text: string;
  /** false: a scan without text (OCR is not done) */
  textLayer: boolean;
  /** true: the text was longer than maxChars and was cut */
  truncated: boolean;
}

const require = createRequire(import.meta.url);
/** pdf.js's predefined CMaps, needed to read text set in CJK fonts that use them. */
const CMAP_DIR = path.join(path.dirname(require.resolve('pdfjs-dist/package.json')), 'cmaps') + path.sep;

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

/**
 * Extracts the text of a PDF already accepted by inspectPdf. Runs in a PDF worker thread, under
 * its memory cap and time limit. pdf.js inflates streams into ArrayBuffers that the heap cap does
 * not see, so every non-image stream is first inflated by pdf-lib under the worker's decode budget
 * (withDecodeBudget): a file whose content would inflate past it is refused as 'too_complex'
 * before pdf.js reads it. Images are left out (text extraction never decodes them).
 */
export async function extractPdfText(bytes: Uint8Array, options: { maxChars?: number } = {}): Promise<PdfText> {
  const maxChars = options.maxChars ?? MAX_TEXT_CHARS;
  await checkInflatedSize(bytes);
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  const { getDocument, VerbosityLevel } = await pdfjs;
  const task = getDocument({
    // pdf.js takes ownership of (detaches) the buffer it is given
    data: new Uint8Array(bytes),
    // a file's font programs are never turned into code, and no page is drawn
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    enableXfa: false,
    cMapUrl: CMAP_DIR,
    cMapPacked: true,
    verbosity: VerbosityLevel.ERRORS,
  });
  try {
    const doc = await task.promise;
    const parts: string[] = [];
    let length = 0;
    let truncated = false;
    let letters = 0;
    for (let n = 1; n <= doc.numPages && !truncated; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let pageText = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        pageText += item.str + (item.hasEOL ? '\n' : '');
      }
      page.cleanup();
      const clean = collapseSpace(pageText);
      letters += countLetters(clean);
      if (!clean) continue;
      if (length + clean.length + 1 > maxChars) {
        parts.push(cutAtWord(clean, maxChars - length - 1));
        truncated = true;
      } else {
        parts.push(clean);
        length += clean.length + 1;
      }
    }
    const text = parts.join(' ').slice(0, maxChars);
    return { text, textLayer: letters >= MIN_LETTERS_PER_PAGE * doc.numPages || (truncated && letters > 0), truncated };
  } catch (err) {
    if (err instanceof PdfRejection) throw err;
    // inspectPdf accepted the file, so pdf.js failing on it is the file's oddity, not ours
    throw new PdfRejection('unparseable', { cause: String((err as Error)?.message ?? err).slice(0, 200) });
  } finally {
    await task.destroy();
  }
}

/** Inflates every stream except images through pdf-lib, whose decoders count against the budget. */
async function checkInflatedSize(bytes: Uint8Array): Promise<void> {
  const doc = await loadPdf(bytes);
  const IMAGE = PDFName.of('Image');
  const SUBTYPE = PDFName.of('Subtype');
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFRawStream) || obj.dict.get(SUBTYPE) === IMAGE) continue;
    try {
      decodePDFRawStream(obj).decode();
    } catch (err) {
      if (err instanceof PdfRejection) throw err;
      // a stream pdf-lib cannot decode (unknown filter) is pdf.js's to skip, as it does
    }
  }
}

const collapseSpace = (s: string) => s.replace(/\s+/g, ' ').trim();

function countLetters(s: string): number {
  const m = s.match(/[\p{L}\p{N}]/gu);
  return m ? m.length : 0;
}

/** Cuts at most `max` characters, at the last space when there is one, never inside a surrogate pair. */
function cutAtWord(s: string, max: number): string {
  if (max <= 0) return '';
  let cut = s.slice(0, max);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  const space = cut.lastIndexOf(' ');
  return space > max / 2 ? cut.slice(0, space) : cut;
}
