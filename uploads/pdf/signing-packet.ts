import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';
import { loadPdf } from './inspect.js';
import { SAVE_OPTIONS } from './stamp.js';
import { winAnsi, wrap } from './text.js';

export interface PacketSignatory {
  partyName: string;
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
  titleId: string;
  titleEn: string;
  typeLabel: string;
  parties: Array<{ name: string; kindLabel: string; country?: string; signatory?: { name: string; title: string } }>;
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
  out.setTitle(winAnsi(`Signing packet ${spec.code}`));
  out.setProducer('PWNI agreement tracker');
  const font = await out.embedFont(StandardFonts.Helvetica);
  const bold = await out.embedFont(StandardFonts.HelveticaBold);

  drawCover(out, font, bold, spec);
  for (const text of spec.texts) {
    const source = await loadPdf(await readFile(text.path));
    const copied = await out.copyPages(source, source.getPageIndices());
    for (const page of copied) out.addPage(page);
  }
  drawSignaturePages(out, font, bold, spec);
  return { bytes: await out.save(SAVE_OPTIONS), pages: out.getPageCount() };
}

class Writer {
  page: PDFPage;
  y: number;
  constructor(
    private readonly doc: PDFDocument,
    readonly font: PDFFont,
    readonly bold: PDFFont,
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
  text(text: string, opts: { size?: number; bold?: boolean; indent?: number; gap?: number } = {}): void {
    const size = opts.size ?? 10;
    const font = opts.bold ? this.bold : this.font;
    const indent = opts.indent ?? 0;
    for (const line of wrap(font, text, size, this.width - indent)) {
      this.ensure(size * 1.4);
      this.page.drawText(line, { x: MARGIN + indent, y: this.y - size, size, font, color: rgb(0, 0, 0) });
      this.y -= size * 1.4;
    }
    this.y -= opts.gap ?? 0;
  }
  rule(): void {
    this.ensure(12);
    this.page.drawLine({ start: { x: MARGIN, y: this.y - 4 }, end: { x: MARGIN + this.width, y: this.y - 4 }, thickness: 0.5, color: rgb(0.5, 0.5, 0.5) });
    this.y -= 12;
  }
}

function drawCover(doc: PDFDocument, font: PDFFont, bold: PDFFont, spec: PacketSpec): void {
  const w = new Writer(doc, font, bold);
  w.text('PAKET PENANDATANGANAN / SIGNING PACKET', { size: 16, bold: true, gap: 6 });
  w.text(`${spec.code} · ${spec.typeLabel}`, { size: 10, gap: 10 });
  w.text(spec.titleId, { size: 13, bold: true, gap: 2 });
  w.text(spec.titleEn, { size: 12, gap: 12 });
  w.rule();
  w.text('Para Pihak dan Penanda Tangan / Parties and signatories', { size: 11, bold: true, gap: 4 });
  spec.parties.forEach((party, i) => {
    const country = party.country ? ` (${party.country})` : '';
    w.text(`${i + 1}. ${party.name}${country} · ${party.kindLabel}`, { size: 10, indent: 8 });
    const signatory = party.signatory ? `${party.signatory.name}, ${party.signatory.title}` : '-';
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

function drawSignaturePages(doc: PDFDocument, font: PDFFont, bold: PDFFont, spec: PacketSpec): void {
  const w = new Writer(doc, font, bold);
  w.text('HALAMAN PENANDATANGANAN / SIGNATURE PAGE', { size: 14, bold: true, gap: 4 });
  w.text(`${spec.code} · ${spec.titleId} / ${spec.titleEn}`, { size: 9, gap: 4 });
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
      for (const line of wrap(bold, `Untuk / For ${s.partyName}`, 9, colWidth)) {
        w.page.drawText(line, { x, y: y - 9, size: 9, font: bold });
        y -= 12;
      }
      const lineY = top - 95;
      w.page.drawLine({ start: { x, y: lineY }, end: { x: x + colWidth, y: lineY }, thickness: 0.7, color: rgb(0, 0, 0) });
      let ny = lineY - 12;
      for (const line of wrap(bold, s.name, 9, colWidth)) {
        w.page.drawText(line, { x, y: ny, size: 9, font: bold });
        ny -= 11;
      }
      for (const line of wrap(font, s.title, 8, colWidth).slice(0, 3)) {
        w.page.drawText(line, { x, y: ny, size: 8, font });
        ny -= 10;
      }
    }
    w.y = top - blockHeight;
  }
}
