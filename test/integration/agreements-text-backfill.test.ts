import { expect } from 'chai';
import request from 'supertest';
import { Types } from 'mongoose';
import { PDFDocument, rgb, StandardFonts } from '@cantoo/pdf-lib';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';
import { createDocumentsApp, STORAGE_DRIVERS, uploadVia } from '../support/documents.js';
import { runStartupTasks } from '../../server/startup.js';
import { AGREEMENT_TEXTS_MARKER, backfillAgreementTexts } from '../../domain/agreements/backfill-agreement-texts.js';

async function pdfWithText(lines: string[]): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  const page = doc.addPage([595, 842]);
  lines.forEach((line, i) => page.drawText(line, { x: 50, y: 780 - i * 16, size: 10, font }));
  return Buffer.from(await doc.save());
}

/** Pages of pictures, no text layer (drawn shapes stand in for the scan). */
async function scannedPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([595, 842]);
  for (let i = 0; i < 30; i++) page.drawRectangle({ x: 50, y: 780 - i * 20, width: 300 + (i % 5) * 30, height: 9, color: rgb(0.1, 0.1, 0.1) });
  return Buffer.from(await doc.save());
}

const CLAUSE = 'Each Party shall designate a liaison office for the repatriation of stranded seafarers within fourteen days.';
const COMMENT = 'Kemnaker wants the seafarers annex aligned with the Maritime Labour Convention before the next round.';

for (const storage of STORAGE_DRIVERS) {
  describe(`start-up (${storage}): versions and comments stored before text search become searchable`, function () {
    this.timeout(120_000);
    let t: Awaited<ReturnType<typeof createDocumentsApp>>;
    let drafter: string;

    before(async () => {
      t = await createDocumentsApp('text_backfill', storage);
      drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
    });
    after(async () => t?.close());

    const search = async (q: string) => (await request(t.app).get('/api/agreements').query({ q, limit: 50 }).set(bearer(drafter))).body;

    /** A version as a build before text search stored it: no text facts, no search entry. */
    async function storedByAnOldBuild(documentId: string) {
      await t.ctx.models.Document.collection.updateOne(
        { _id: new Types.ObjectId(documentId) },
        { $unset: { textLayer: '', textChars: '', textTruncated: '', textError: '', signatures: '', signaturesCheckedAt: '' } },
      );
      await t.ctx.models.AgreementText.collection.deleteOne({ _id: new Types.ObjectId(documentId) });
    }

    it('when the app starts on a database with such versions and comments, then a background backfill extracts them once and search finds them by their words', async () => {
      const seafarers = await createAgreementVia(t, drafter, { title: { id: 'Nota Kesepahaman Pelaut', en: 'Seafarers MoU' } });
      const texted = (await uploadVia(t, drafter, seafarers.id, { kind: 'draft', language: 'en', file: await pdfWithText(['Article 4', CLAUSE]), fileName: 'seafarers-draft.pdf' })).body;
      const scan = (await uploadVia(t, drafter, seafarers.id, { kind: 'annex', language: 'id', file: await scannedPdf() })).body;
      const lost = (await uploadVia(t, drafter, seafarers.id, { kind: 'minutes', language: 'id', file: await pdfWithText(['Risalah rapat pertama']) })).body;
      const commented = await createAgreementVia(t, drafter, { title: { id: 'Pengaturan Teknis Awak Kapal', en: 'Ship Crew Arrangement' } });
      const comment = await request(t.app).post(`/api/agreements/${commented.id}/comments`).set(bearer(drafter)).send({ text: COMMENT });
      expect(comment.status).to.equal(201);

      for (const d of [texted, scan, lost]) await storedByAnOldBuild(d.id);
      await t.ctx.models.AgreementText.collection.deleteMany({ source: 'comment' });
      // the third version's stored file went missing meanwhile
      const lostRecord = await t.ctx.models.Document.findById(lost.id).lean();
      await t.ctx.services.documents.files.get(lostRecord!.storage.driver).delete(lostRecord!.storage.key);

      expect((await search('repatriation of stranded seafarers')).items).to.have.length(0);
      expect((await search('Maritime Labour Convention')).items).to.have.length(0);
      expect(await t.ctx.models.Counter.exists({ _id: AGREEMENT_TEXTS_MARKER })).to.equal(null);

      const handle = await runStartupTasks(t.ctx);
      await handle.background;

      const byText = await search('repatriation of stranded seafarers');
      expect(byText.items.map((a: any) => a.id)).to.deep.equal([seafarers.id]);
      expect(byText.items[0].match).to.deep.include({ in: 'document' });
      expect(byText.items[0].match.document).to.deep.include({ id: texted.id, fileName: 'seafarers-draft.pdf', version: 1 });
      expect(byText.items[0].match.excerpt).to.contain(CLAUSE.slice(0, 60));
      const byComment = await search('Maritime Labour Convention');
      expect(byComment.items.map((a: any) => a.id)).to.deep.equal([commented.id]);
      expect(byComment.items[0].match.in).to.equal('comment');

      const docs = (await request(t.app).get(`/api/agreements/${seafarers.id}/documents`).set(bearer(drafter))).body.items;
      const byId = new Map(docs.map((d: any) => [d.id, d]));
      expect((byId.get(texted.id) as any).textLayer).to.equal(true);
      expect((byId.get(scan.id) as any).textLayer).to.equal(false);
      expect((byId.get(lost.id) as any).textLayer).to.equal(null);
      expect((await t.ctx.models.Document.findById(lost.id).lean())!.textError).to.equal('file_missing');
      expect(await t.ctx.models.Counter.exists({ _id: AGREEMENT_TEXTS_MARKER })).to.not.equal(null);
      await handle.stop();

      // once per database: a second start reads nothing again, and nothing doubles
      const entries = await t.ctx.models.AgreementText.countDocuments({});
      await storedByAnOldBuild(texted.id);
      const again = await runStartupTasks(t.ctx);
      await again.background;
      await again.stop();
      expect(await t.ctx.models.AgreementText.countDocuments({})).to.equal(entries - 1);
      expect((await t.ctx.models.Document.findById(texted.id).lean())!.textLayer).to.equal(undefined);
    });

    it('when the backfill was cut short before its marker, then the next start goes on and writes no duplicate entries', async () => {
      const a = await createAgreementVia(t, drafter, { title: { id: 'Nota Kesepahaman Nelayan', en: 'Fishers MoU' } });
      const ids: string[] = [];
      for (const [i, language] of ['id', 'en'].entries()) {
        const up = await uploadVia(t, drafter, a.id, { kind: 'draft', language, file: await pdfWithText([`Clause ${i + 1} on the protection of migrant fishers at sea`]) });
        ids.push(up.body.id);
        await storedByAnOldBuild(up.body.id);
      }
      await t.ctx.models.Counter.deleteOne({ _id: AGREEMENT_TEXTS_MARKER });
      const withoutText = () => t.ctx.models.Document.collection.countDocuments({ textLayer: { $exists: false }, textError: { $exists: false } });
      const waiting = await withoutText();
      // a run stopped after its first version (as a shutdown stops it): no marker, one version done
      let checks = 0;
      expect(await backfillAgreementTexts(t.ctx, { stopped: () => checks++ > 1 })).to.deep.equal({ documents: 1, comments: 0, failed: 0 });
      expect(await withoutText()).to.equal(waiting - 1);
      expect(await t.ctx.models.Counter.exists({ _id: AGREEMENT_TEXTS_MARKER })).to.equal(null);
      const handle = await runStartupTasks(t.ctx);
      await handle.background;
      await handle.stop();
      for (const id of ids) expect((await t.ctx.models.Document.findById(id).lean())!.textLayer, id).to.equal(true);
      expect(await t.ctx.models.AgreementText.collection.countDocuments({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } })).to.equal(2);
      expect((await search('protection of migrant fishers')).items.map((x: any) => x.id)).to.deep.equal([a.id]);
    });
  });
}
