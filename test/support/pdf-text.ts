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
  // Tj with one string, or TJ with an array of strings and kerning numbers (PDFKit writes those).
  const re = /<([0-9A-Fa-f\s]*)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj|\[((?:<[0-9A-Fa-f\s]*>|\((?:\\.|[^\\)])*\)|[\s\d.+-])*)\]\s*TJ/g;
  for (let m = re.exec(content); m; m = re.exec(content)) {
    if (m[1] !== undefined) out.push(hex(m[1]));
    else if (m[2] !== undefined) out.push(literal(m[2]));
    else {
      const parts: string[] = [];
      const part = /<([0-9A-Fa-f\s]*)>|\(((?:\\.|[^\\)])*)\)/g;
      for (let p = part.exec(m[3]); p; p = part.exec(m[3])) parts.push(p[1] !== undefined ? hex(p[1]) : literal(p[2]));
      out.push(parts.join(''));
    }
  }
  return out;
}

const hex = (h: string) => Buffer.from(h.replace(/\s/g, ''), 'hex').toString('latin1');
const literal = (l: string) => l.replace(/\\([()\\])/g, '$1');
