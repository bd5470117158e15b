import { EncryptedPDFError, ParseSpeeds, PDFDocument } from '@cantoo/pdf-lib';
import { PDFArray, PDFDict, PDFName, PDFStream, type PDFContext, type PDFObject } from '@cantoo/pdf-lib';
import { PdfRejection } from './rejection.js';
import { checkSignatures, type SignatureFacts } from './signatures.js';

export const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
const EOF_MARKER = Buffer.from('%%EOF', 'latin1');
/** Writers may append a few bytes (newlines, padding) after %%EOF; a cut file has none of it. */
const EOF_WINDOW = 2048;

/** What the service records about an accepted PDF. */
export interface PdfFacts {
  pages: number;
  /** the header version, e.g. "1.7" */
  pdfVersion: string;
  /** its electronic signatures, checked (empty when unsigned) */
  signatures: SignatureFacts[];
}

export interface ActiveContent {
  kind: 'javascript' | 'launch';
  /** where it was found, e.g. "12 0 R" or "trailer" */
  where: string;
}

/** Cheap checks on the bytes before the PDF library sees them. */
export function checkEnvelope(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new PdfRejection('empty');
  if (!startsWithPdfMagic(bytes)) throw new PdfRejection('not_pdf');
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).subarray(Math.max(0, bytes.length - EOF_WINDOW));
  if (tail.indexOf(EOF_MARKER) < 0) throw new PdfRejection('truncated');
  const header = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(16, bytes.length)).toString('latin1');
  return /^%PDF-(\d\.\d)/.exec(header)?.[1] ?? 'unknown';
}

export function startsWithPdfMagic(bytes: Uint8Array): boolean {
  if (bytes.length < PDF_MAGIC.length) return false;
  for (let i = 0; i < PDF_MAGIC.length; i++) if (bytes[i] !== PDF_MAGIC[i]) return false;
  return true;
}

/** Loads with the options every task uses: no yielding (we are in a worker), no metadata rewrite. */
export async function loadPdf(bytes: Uint8Array): Promise<PDFDocument> {
  try {
    return await PDFDocument.load(bytes, { parseSpeed: ParseSpeeds.Fastest, updateMetadata: false, ignoreEncryption: false, throwOnInvalidObject: true });
  } catch (err) {
    if (err instanceof PdfRejection || err instanceof EncryptedPDFError) throw classifyLoadError(err);
    // Encrypted strings and streams often fail the strict parse before the library gets to the
    // trailer's /Encrypt: a lenient second look tells "encrypted" from "damaged" for the message.
    const encrypted = await PDFDocument.load(bytes, { parseSpeed: ParseSpeeds.Fastest, updateMetadata: false }).then(
      () => false,
      (again: unknown) => again instanceof EncryptedPDFError,
    );
    throw encrypted ? new PdfRejection('encrypted') : classifyLoadError(err);
  }
}

/**
 * Opens the PDF and checks everything the intake requires. Runs inside a worker thread: a hostile
 * file may exhaust memory or loop, and the pool (not this function) enforces those limits.
 */
export async function inspectPdf(bytes: Uint8Array, options: { maxPages: number; trustedRoots?: readonly string[] }): Promise<PdfFacts> {
  const pdfVersion = checkEnvelope(bytes);
  const doc = await loadPdf(bytes);
  // The cantoo fork can read some encrypted files: refuse them anyway, since stamping them
  // would need the password and pdf-lib writes corrupt output when it ignores encryption.
  if (doc.isEncrypted || doc.context.trailerInfo.Encrypt) throw new PdfRejection('encrypted');
  const active = findActiveContent(doc.context);
  if (active.length > 0) throw new PdfRejection('active_content', { found: active.slice(0, 10) });
  const pages = countPages(doc, options.maxPages);
  const roots = (options.trustedRoots ?? []).map((b64) => new Uint8Array(Buffer.from(b64, 'base64')));
  const signatures = await checkSignatures(doc, bytes, roots);
  return { pages, pdfVersion, signatures };
}

/** Counts pages by walking the page tree (cycles and absurd depth become 'unparseable'). */
export function countPages(doc: PDFDocument, maxPages: number): number {
  let pages: number;
  try {
    pages = doc.getPageCount();
  } catch (err) {
    throw classifyLoadError(err);
  }
  if (pages === 0) throw new PdfRejection('no_pages');
  if (pages > maxPages) throw new PdfRejection('too_many_pages', { pages, maxPages });
  return pages;
}

function classifyLoadError(err: unknown): Error {
  if (err instanceof PdfRejection) return err;
  if (err instanceof EncryptedPDFError) return new PdfRejection('encrypted');
  // RangeError: recursion through a cyclic page tree or deep nesting; TypeError and the
  // library's own errors: broken syntax. All are the file's fault, not ours.
  return new PdfRejection('unparseable', { cause: String((err as Error)?.message ?? err).slice(0, 200) });
}

const S = PDFName.of('S');
const JS = PDFName.of('JS');
const JAVASCRIPT = PDFName.of('JavaScript');
const LAUNCH = PDFName.of('Launch');

/**
 * Finds JavaScript and launch actions by walking every indirect object (including those that
 * came out of object streams) and the trailer, descending into direct dictionaries and arrays.
 * References are not followed: every indirect object is visited on its own, so cycles are moot.
 * Iterative, so absurd nesting cannot overflow the stack.
 */
export function findActiveContent(context: PDFContext): ActiveContent[] {
  const found: ActiveContent[] = [];
  const roots: Array<[string, PDFObject]> = context.enumerateIndirectObjects().map(([ref, obj]) => [ref.toString(), obj]);
  const trailer = context.trailerInfo;
  for (const [key, value] of Object.entries(trailer)) {
    if (value && typeof value === 'object' && 'toString' in value) roots.push([`trailer ${key}`, value as PDFObject]);
  }
  for (const [where, root] of roots) {
    const stack: PDFObject[] = [root];
    while (stack.length > 0) {
      const obj = stack.pop()!;
      const dict = obj instanceof PDFStream ? obj.dict : obj instanceof PDFDict ? obj : undefined;
      if (dict) {
        const s = dict.get(S);
        if (s === JAVASCRIPT || dict.has(JS)) found.push({ kind: 'javascript', where });
        else if (s === LAUNCH) found.push({ kind: 'launch', where });
        if (dict.has(JAVASCRIPT)) found.push({ kind: 'javascript', where });
        for (const [, value] of dict.entries()) stack.push(value);
      } else if (obj instanceof PDFArray) {
        for (let i = 0; i < obj.size(); i++) stack.push(obj.get(i));
      }
    }
  }
  return found;
}
