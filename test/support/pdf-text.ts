import zlib from 'node:zlib';
import { PDFArray, PDFDocument, PDFName, PDFRawStream, PDFRef, type PDFPage } from '@cantoo/pdf-lib';

/**
 * The strings each page shows (Tj/TJ operands), decoded from its content streams: enough to
 * check what a stamp or a cover sheet says without a PDF renderer.
 */
export async function pageTexts(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  return doc.getPages().map((page) => showStrings(contentOf(page)).join('\n'));
}

function contentOf(page: PDFPage): string {
  const contents = page.node.get(PDFName.of('Contents'));
  const refs: unknown[] = contents instanceof PDFArray ? contents.asArray() : [contents];
  const parts: string[] = [];
  for (const r of refs) {
    const stream = r instanceof PDFRef ? page.doc.context.lookup(r) : r;
    if (!(stream instanceof PDFRawStream)) continue;
    const filter = stream.dict.get(PDFName.of('Filter'));
    const raw = Buffer.from(stream.contents);
    parts.push((filter === PDFName.of('FlateDecode') ? zlib.inflateSync(raw) : raw).toString('latin1'));
  }
  return parts.join('\n');
}

function showStrings(content: string): string[] {
  const out: string[] = [];
  const re = /<([0-9A-Fa-f\s]*)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj/g;
  for (let m = re.exec(content); m; m = re.exec(content)) {
    if (m[1] !== undefined) out.push(Buffer.from(m[1].replace(/\s/g, ''), 'hex').toString('latin1'));
    else out.push(m[2].replace(/\\([()\\])/g, '$1'));
  }
  return out;
}
