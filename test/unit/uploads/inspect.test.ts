import { expect } from 'chai';
import { inspectPdf } from '../../../uploads/pdf/inspect.js';
import { PdfRejection, type PdfRejectionReason } from '../../../uploads/pdf/rejection.js';
import { withDecodeBudget } from '../../../uploads/pdf/decode-budget.js';
import * as fixtures from '../../support/pdf-fixtures.js';

async function reasonFor(bytes: Uint8Array, maxPages = 2000): Promise<PdfRejectionReason | 'accepted'> {
  try {
    await withDecodeBudget(128 * 1024 * 1024, () => inspectPdf(bytes, { maxPages }));
    return 'accepted';
  } catch (err) {
    if (err instanceof PdfRejection) return err.reason;
    throw err;
  }
}

describe('uploads: inspecting a PDF', () => {
  it('when the PDF is valid, then its pages and header version are reported', async () => {
    const facts = await inspectPdf(await fixtures.textPdf(4), { maxPages: 10 });
    expect(facts).to.deep.equal({ pages: 4, pdfVersion: '1.7', signatures: [] });
  });

  const refused: Array<[string, () => Buffer | Promise<Buffer>, PdfRejectionReason]> = [
    ['the file is empty', () => Buffer.alloc(0), 'empty'],
    ['the file is a JPEG named .pdf', fixtures.jpegBytes, 'not_pdf'],
    ['the file was cut off in transfer', () => fixtures.truncatedPdf(0.6), 'truncated'],
    ['the file starts like a PDF but holds garbage', () => Buffer.from('%PDF-1.7\nnothing to see here\n%%EOF\n'), 'unparseable'],
    ['the trailer names an /Encrypt dictionary', fixtures.encryptedPdf, 'encrypted'],
    ['the catalog opens with a JavaScript action', fixtures.jsOpenActionPdf, 'active_content'],
    ['a document-level script sits in the /Names tree', fixtures.jsNameTreePdf, 'active_content'],
    ['a link annotation launches a program', fixtures.launchActionPdf, 'active_content'],
    ['the page tree is cyclic', fixtures.cyclicPageTreePdf, 'unparseable'],
    ['an object is nested 100,000 arrays deep', () => fixtures.deepNestingPdf(100_000), 'unparseable'],
    ['the PDF has no pages', fixtures.zeroPagesPdf, 'no_pages'],
    ['the PDF has 20,000 pages', () => fixtures.manyPagesPdf(20_000), 'too_many_pages'],
  ];
  for (const [when, make, reason] of refused) {
    it(`when ${when}, then it is refused as '${reason}'`, async () => {
      expect(await reasonFor(await make())).to.equal(reason);
    });
  }

  it('when a PDF is encrypted for real (pdf-lib encrypt), then it is refused as encrypted', async () => {
    const { PDFDocument } = await import('@cantoo/pdf-lib');
    const doc = await PDFDocument.load(await fixtures.textPdf(1));
    doc.encrypt({ userPassword: '', ownerPassword: 'owner-secret', permissions: { printing: 'highResolution' } });
    expect(await reasonFor(await doc.save())).to.equal('encrypted');
  });

  it('when a script hides inside a compressed object stream, then the walk still finds it', async () => {
    const { PDFDocument } = await import('@cantoo/pdf-lib');
    const doc = await PDFDocument.create();
    doc.addPage();
    doc.addJavaScript('init', 'app.alert("hi");');
    const bytes = await doc.save({ useObjectStreams: true });
    expect(Buffer.from(bytes).includes(Buffer.from('/ObjStm'))).to.equal(true);
    expect(await reasonFor(bytes)).to.equal('active_content');
  });

  it('when an object stream inflates past the decode budget, then it is refused as too complex before it is all inflated', async () => {
    const bomb = await fixtures.objectStreamBombPdf();
    const started = Date.now();
    expect(await reasonFor(bomb)).to.equal('too_complex');
    expect(bomb.length).to.be.below(1024 * 1024);
    expect(Date.now() - started).to.be.below(10_000);
  });

  it('when the page count equals the maximum, then the file is accepted, and one more page is refused', async () => {
    expect(await reasonFor(fixtures.manyPagesPdf(50), 50)).to.equal('accepted');
    expect(await reasonFor(fixtures.manyPagesPdf(51), 50)).to.equal('too_many_pages');
  });

  it('when a refusal names active content, then the details say what and where', async () => {
    try {
      await inspectPdf(fixtures.launchActionPdf(), { maxPages: 10 });
      expect.fail('should refuse');
    } catch (err) {
      expect(err).to.be.instanceOf(PdfRejection);
      expect((err as PdfRejection).details).to.deep.equal({ found: [{ kind: 'launch', where: '4 0 R' }] });
      expect((err as PdfRejection).message).to.match(/JavaScript/).and.to.match(/ditolak/);
    }
  });
});
