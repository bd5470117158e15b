import zlib from 'node:zlib';
import { PDFDocument, StandardFonts, rgb } from '@cantoo/pdf-lib';

/**
 * PDF fixtures built in code: valid files through pdf-lib, hostile ones as hand-written bytes,
 * so no binary blobs live in the repository and every test says what it feeds the service.
 */

const LOREM =
  'Para Pihak sepakat untuk bekerja sama dalam pelindungan Warga Negara Indonesia di luar negeri. ' +
  'The Parties agree to cooperate in the protection of Indonesian citizens abroad, including the ' +
  'placement and protection of migrant workers, the exchange of information and consular assistance. ';

/**
 * A valid text PDF with `pages` pages of body text (about 3 KB of text per page when `dense`).
 * `variant` goes into the document's keywords, not its text: another file (another SHA-256) that
 * reads the same, as successive drafts do.
 */
export async function textPdf(pages = 1, options: { title?: string; dense?: boolean; variant?: string } = {}): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  if (options.variant) doc.setKeywords([options.variant]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const lines = options.dense ? 40 : 3;
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`${options.title ?? 'Nota Kesepahaman / Memorandum of Understanding'} - ${i + 1}`, { x: 50, y: 790, size: 14, font });
    for (let l = 0; l < lines; l++) {
      page.drawText(LOREM.slice((l * 7) % 60, (l * 7) % 60 + 95), { x: 50, y: 760 - l * 17, size: 10, font, color: rgb(0, 0, 0) });
    }
  }
  return Buffer.from(await doc.save());
}

/**
 * Assembles a classic PDF (header, numbered objects, xref table, trailer) from object bodies.
 * Object i+1 is bodies[i]. Bodies are latin1 strings or Buffers (for binary stream data).
 */
export function rawPdf(bodies: Array<string | Buffer>, trailerExtra = ''): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0].length;
  const offsets: number[] = [];
  bodies.forEach((body, i) => {
    offsets.push(length);
    const chunk = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`, 'latin1'),
      typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
      Buffer.from('\nendobj\n', 'latin1'),
    ]);
    parts.push(chunk);
    length += chunk.length;
  });
  const xref = [`xref\n0 ${bodies.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${bodies.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${length}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>';

/** A one-page PDF whose catalog opens with a JavaScript action. */
export function jsOpenActionPdf(): Buffer {
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert\\("hi"\\);) >> >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    PAGE,
  ]);
}

/** A one-page PDF with a document-level script in the /Names /JavaScript tree (indirect action). */
export function jsNameTreePdf(): Buffer {
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript 4 0 R >> >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    PAGE,
    '<< /Names [(init) 5 0 R] >>',
    '<< /S /JavaScript /JS 6 0 R >>',
    '<< /Length 17 >>\nstream\napp.alert("hi");\nendstream',
  ]);
}

/** A one-page PDF with a link annotation that launches a program. */
export function launchActionPdf(): Buffer {
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>',
    '<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /Launch /F (cmd.exe) /NewWindow true >> >>',
  ]);
}

/** A PDF whose trailer names an /Encrypt dictionary (standard security handler, RC4 40-bit). */
export function encryptedPdf(): Buffer {
  const o = '<' + '28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A' + '>';
  const u = '<' + 'A8E2F8A3A1D1C2E5C0A0B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F708' + '>';
  return rawPdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      PAGE,
      `<< /Filter /Standard /V 1 /R 2 /O ${o} /U ${u} /P -44 >>`,
    ],
    '/Encrypt 4 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>] ',
  );
}

/** A page tree whose /Pages node lists itself (through a child) as a kid. */
export function cyclicPageTreePdf(): Buffer {
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>',
    PAGE,
    '<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>',
  ]);
}

/** An object nested `depth` arrays deep (absurd nesting that recursive parsers choke on). */
export function deepNestingPdf(depth = 100_000): Buffer {
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Junk ${'['.repeat(depth)}${']'.repeat(depth)} >>`,
  ]);
}

/** `count` empty pages in one flat page tree: fast to build, realistic to parse. */
export function manyPagesPdf(count: number): Buffer {
  const kids: string[] = [];
  const bodies: string[] = ['<< /Type /Catalog /Pages 2 0 R >>', ''];
  for (let i = 0; i < count; i++) {
    kids.push(`${i + 3} 0 R`);
    bodies.push(PAGE);
  }
  bodies[1] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${count} >>`;
  return rawPdf(bodies);
}

/** A PDF with no pages at all. */
export function zeroPagesPdf(): Buffer {
  return rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>']);
}

let bombCache: Promise<Buffer> | undefined;

/**
 * An object stream that inflates to `inflatedMb` MB of whitespace from a few hundred KB:
 * the parser must expand it to read the objects inside. Built with zlib from a repeated chunk,
 * so the test process never holds the inflated bytes.
 */
export function objectStreamBombPdf(inflatedMb = 400): Promise<Buffer> {
  if (inflatedMb === 400 && bombCache) return bombCache;
  const made = (async () => {
    const head = Buffer.from('4 0 << /Bomb true >>', 'latin1');
    const deflate = zlib.createDeflate({ level: 9, memLevel: 9 });
    const out: Buffer[] = [];
    deflate.on('data', (c: Buffer) => out.push(c));
    const done = new Promise<void>((resolve, reject) => {
      deflate.on('end', resolve);
      deflate.on('error', reject);
    });
    deflate.write(head);
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    for (let i = 0; i < inflatedMb; i++) {
      if (!deflate.write(chunk)) await new Promise((r) => deflate.once('drain', r));
    }
    deflate.end();
    await done;
    const data = Buffer.concat(out);
    return rawPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      PAGE,
      Buffer.concat([
        Buffer.from(`<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${data.length} >>\nstream\n`, 'latin1'),
        data,
        Buffer.from('\nendstream', 'latin1'),
      ]),
    ]);
  })();
  if (inflatedMb === 400) bombCache = made;
  return made;
}

/** The first bytes of a JPEG (JFIF) image: what a renamed photo looks like. */
export function jpegBytes(): Buffer {
  const header = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x48, 0x00, 0x48, 0x00, 0x00]);
  return Buffer.concat([header, Buffer.alloc(2048, 0x7f), Buffer.from([0xff, 0xd9])]);
}

/** A valid PDF cut at `fraction` of its length (an interrupted download). */
export async function truncatedPdf(fraction = 0.6): Promise<Buffer> {
  const full = await textPdf(3, { dense: true });
  return full.subarray(0, Math.floor(full.length * fraction));
}

/**
 * A scan as a copier makes it: pages of dark bars with no text layer (the service says search
 * cannot find it).
 */
export async function scannedPdf(pages = 1): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([595, 842]);
    for (let i = 0; i < 30; i++) page.drawRectangle({ x: 50, y: 780 - i * 20, width: 300 + (i % 5) * 30, height: 9, color: rgb(0.1, 0.1, 0.1) });
  }
  return Buffer.from(await doc.save());
}
