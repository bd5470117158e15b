import zlib from 'node:zlib';
import { expect } from 'chai';
import { PDFDocument, PDFName, StandardFonts } from '@cantoo/pdf-lib';
import { withDecodeBudget } from '../../../uploads/pdf/decode-budget.js';
import { extractPdfText } from '../../../uploads/pdf/extract-text.js';
import { PdfRejection } from '../../../uploads/pdf/rejection.js';

async function pagesOfText(pages: number, line: (p: number) => string): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < pages; p++) doc.addPage([595, 842]).drawText(line(p), { x: 40, y: 780, size: 9, font });
  return doc.save();
}

/** One page whose content stream is small on disk and `inflatedMb` once inflated. */
async function contentBomb(inflatedMb: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([595, 842]);
  const deflated = zlib.deflateSync(Buffer.alloc(inflatedMb * 1024 * 1024, 0x20), { level: 9 });
  const stream = doc.context.stream(deflated, { Filter: 'FlateDecode' });
  page.node.set(PDFName.of('Contents'), doc.context.register(stream));
  return doc.save();
}

describe('PDF text extraction: limits', function () {
  this.timeout(60_000);
  const budget = 16 * 1024 * 1024;

  it('when a text is longer than maxChars, then it is cut at a word before the limit and marked truncated', async () => {
    const bytes = await pagesOfText(5, (p) => `Page ${p + 1} says that the Parties shall consult each other through diplomatic channels.`);
    const whole = await withDecodeBudget(budget, () => extractPdfText(bytes));
    expect(whole.truncated).to.equal(false);
    expect(whole.text).to.include('Page 5 says');
    const cut = await withDecodeBudget(budget, () => extractPdfText(bytes, { maxChars: 150 }));
    expect(cut.truncated).to.equal(true);
    expect(cut.textLayer).to.equal(true);
    expect(cut.text.length).to.be.at.most(150);
    expect(whole.text.startsWith(cut.text), 'the start of the text, cut between words').to.equal(true);
    expect(whole.text[cut.text.length]).to.equal(' ');
  });

  it('when pages carry no text, then the text layer is reported missing', async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.addPage().drawRectangle({ x: 10, y: 10, width: 100, height: 100 });
    const out = await withDecodeBudget(budget, async () => extractPdfText(await doc.save()));
    expect(out).to.deep.equal({ text: '', textLayer: false, truncated: false });
  });

  it('when a content stream inflates past the decode budget, then the file is refused as too complex before pdf.js reads it', async () => {
    const bomb = await contentBomb(64);
    expect(bomb.length).to.be.below(1024 * 1024);
    const err = await withDecodeBudget(budget, () => extractPdfText(bomb)).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(PdfRejection);
    expect((err as PdfRejection).reason).to.equal('too_complex');
  });
});
