import { PDFDocument, rgb, type PDFPage } from '@cantoo/pdf-lib';
import { loadPdf } from './inspect.js';
import { PdfText, type Direction } from './shaped-text.js';
import { languageDirection } from '../../workflows/language-names.js';
import { SAVE_OPTIONS } from './stamp.js';

export interface PacketSignatory {
  partyName: string;
  /** the party's name in its own script (e.g. Arabic), printed under partyName */
  partyOfficialName?: string;
  name: string;
  title: string;
}

export interface PacketText {
  /** ISO 639-1 code and its display name, e.g. "id" / "Bahasa Indonesia" */
  language: string;
  languageName: string;
  version: number;
  sha256: string;
  pages: number;
  /** local path of the stored final text (read inside the worker) */
  path: string;
}

/** Everything the packet prints, already resolved by the domain (no database in the worker). */
export interface PacketSpec {
  code: string;
  /** Indonesian, English, then the other authentic languages */
  titles: Array<{ language: string; text: string }>;
  typeLabel: string;
  parties: Array<{ name: string; officialName?: string; kindLabel: string; country?: string; signatory?: { name: string; title: string } }>;
  /** planned or actual place and date of signing; blank lines are printed when unknown */
  place?: string;
  date?: string;
  texts: PacketText[];
  signatories: PacketSignatory[];
  generatedAt: string;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;

/** Cover sheet, each authentic text in turn, then a signature page with one block per signatory. */
export async function buildSigningPacket(spec: PacketSpec, readFile: (path: string) => Promise<Uint8Array>): Promise<{ bytes: Uint8Array; pages: number }> {
  const out = await PDFDocument.create({ updateMetadata: false });
  out.setTitle(`Signing packet ${spec.code}`);
  out.setProducer('PWNI agreement tracker');
  const text = new PdfText(out);

  drawCover(out, text, spec);
  for (const text of spec.texts) {
    const source = await loadPdf(await readFile(text.path));
    const copied = await out.copyPages(source, source.getPageIndices());
    for (const page of copied) out.addPage(page);
  }
  drawSignaturePages(out, text, spec);
  await text.finish();
  return { bytes: await out.save(SAVE_OPTIONS), pages: out.getPageCount() };
}

class Writer {
  page: PDFPage;
  y: number;
  constructor(
    private readonly doc: PDFDocument,
    readonly t: PdfText,
  ) {
    this.page = doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }
  get width(): number {
    return A4[0] - 2 * MARGIN;
  }
  ensure(height: number): void {
    if (this.y - height < MARGIN) {
      this.page = this.doc.addPage(A4);
      this.y = A4[1] - MARGIN;
    }
  }
  /** Right-to-left paragraphs (an Arabic title) are set flush right. */
  text(text: string, opts: { size?: number; bold?: boolean; indent?: number; gap?: number; direction?: Direction } = {}): void {
    const size = opts.size ?? 10;
    const style = opts.bold ? 'bold' : 'regular';
    const indent = opts.indent ?? 0;
    const width = this.width - indent;
    const direction = opts.direction ?? 'auto';
    for (const line of this.t.wrap(text, size, width, style, direction)) {
      // Naskh letters reach further above and below the line than Latin ones
      const lead = this.t.isRtl(line, direction) ? 1.7 : 1.4;
      this.ensure(size * lead);
      this.t.draw(this.page, line, { x: MARGIN + indent, y: this.y - size, size, style, color: rgb(0, 0, 0), width, direction });
      this.y -= size * lead;
    }
    this.y -= opts.gap ?? 0;
  }
  rule(): void {
    this.ensure(12);
    this.page.drawLine({ start: { x: MARGIN, y: this.y - 4 }, end: { x: MARGIN + this.width, y: this.y - 4 }, thickness: 0.5, color: rgb(0.5, 0.5, 0.5) });
    this.y -= 12;
  }
}

function drawCover(doc: PDFDocument, t: PdfText, spec: PacketSpec): void {
  const w = new Writer(doc, t);
  w.text('PAKET PENANDATANGANAN / SIGNING PACKET', { size: 16, bold: true, gap: 6 });
  w.text(`${spec.code} · ${spec.typeLabel}`, { size: 10, gap: 10 });
  // a title runs the way its language does, even when it opens with a word in Latin letters ("SPSK …")
  spec.titles.forEach((title, i) =>
    w.text(title.text, { size: i === 0 ? 13 : 12, bold: i === 0, gap: i === spec.titles.length - 1 ? 12 : 4, direction: languageDirection(title.language) }),
  );
  w.rule();
  w.text('Para Pihak dan Penanda Tangan / Parties and signatories', { size: 11, bold: true, gap: 4 });
  spec.parties.forEach((party, i) => {
    const country = party.country ? ` (${party.country})` : '';
    // a numbered entry of a list that reads left to right, whichever script the party's name is in
    w.text(`${i + 1}. ${party.name}${country} · ${party.kindLabel}`, { size: 10, indent: 8, direction: 'ltr' });
    if (party.officialName) w.text(party.officialName, { size: 11, indent: 22 });
    // a signatory named without a title is just the name, not "name,"
    const signatory = party.signatory ? [party.signatory.name, party.signatory.title].filter(Boolean).join(', ') : '-';
    w.text(`Penanda tangan / Signatory: ${signatory}`, { size: 9, indent: 22, gap: 4 });
  });
  w.rule();
  w.text(`Tempat penandatanganan / Place of signing: ${spec.place || '______________________________'}`, { size: 10, gap: 2 });
  w.text(`Tanggal penandatanganan / Date of signing: ${spec.date || '______________________________'}`, { size: 10, gap: 10 });
  w.rule();
  w.text('Naskah otentik dalam paket ini / Authentic texts in this packet', { size: 11, bold: true, gap: 4 });
  for (const t of spec.texts) {
    w.text(`${t.languageName} (${t.language}) · versi / version ${t.version} · ${t.pages} halaman / pages · SHA-256 ${t.sha256.slice(0, 12)}`, {
      size: 9,
      indent: 8,
      gap: 2,
    });
  }
  w.text(`Dibuat / Generated: ${spec.generatedAt}`, { size: 8, gap: 0 });
}

function drawSignaturePages(doc: PDFDocument, t: PdfText, spec: PacketSpec): void {
  const w = new Writer(doc, t);
  w.text('HALAMAN PENANDATANGANAN / SIGNATURE PAGE', { size: 14, bold: true, gap: 4 });
  w.text(`${spec.code} · ${spec.titles.slice(0, 2).map((x) => x.text).join(' / ')}`, { size: 9, gap: 2 });
  for (const title of spec.titles.slice(2)) w.text(title.text, { size: 9, gap: 2, direction: languageDirection(title.language) });
  w.y -= 2;
  const whereWhen = `Ditandatangani di / Signed at ${spec.place || '________________'}, pada tanggal / on ${spec.date || '________________'}`;
  w.text(whereWhen, { size: 9, gap: 12 });

  // two blocks per row; each block: party, space to sign, line, name, title
  const colWidth = (w.width - 24) / 2;
  const blockHeight = 150;
  for (let i = 0; i < spec.signatories.length; i += 2) {
    w.ensure(blockHeight);
    const top = w.y;
    for (let c = 0; c < 2 && i + c < spec.signatories.length; c++) {
      const s = spec.signatories[i + c];
      const x = MARGIN + c * (colWidth + 24);
      let y = top;
      for (const line of t.wrap(`Untuk / For ${s.partyName}`, 9, colWidth, 'bold')) {
        t.draw(w.page, line, { x, y: y - 9, size: 9, style: 'bold' });
        y -= 12;
      }
      // the name as the party writes it, right-aligned when it reads right to left
      for (const line of s.partyOfficialName ? t.wrap(s.partyOfficialName, 10, colWidth, 'bold').slice(0, 2) : []) {
        t.draw(w.page, line, { x, y: y - 12, size: 10, style: 'bold', width: colWidth });
        y -= 16;
      }
      const lineY = top - 95;
      w.page.drawLine({ start: { x, y: lineY }, end: { x: x + colWidth, y: lineY }, thickness: 0.7, color: rgb(0, 0, 0) });
      let ny = lineY - 12;
      for (const line of t.wrap(s.name, 9, colWidth, 'bold')) {
        t.draw(w.page, line, { x, y: ny, size: 9, style: 'bold', width: colWidth });
        ny -= 11;
      }
      for (const line of t.wrap(s.title, 8, colWidth).slice(0, 3)) {
        t.draw(w.page, line, { x, y: ny, size: 8, width: colWidth });
        ny -= 10;
      }
    }
    w.y = top - blockHeight;
  }
}
