import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';
import { binary, createDocumentsApp, STORAGE_DRIVERS, uploadVia } from '../support/documents.js';
import { pageTexts } from '../support/pdf-text.js';
import * as fixtures from '../support/pdf-fixtures.js';

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
/** The name a browser saves the file under: the RFC 5987 filename* of Content-Disposition. */
const savedName = (header: string) => decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(header)![1]!);

for (const storage of STORAGE_DRIVERS) {
  describe(`documents API (${storage}): downloads, verification and stamped copies`, function () {
    this.timeout(60_000);
    let t: Awaited<ReturnType<typeof createDocumentsApp>>;
    let drafter: string;
    let agreement: any;
    let pdf: Buffer;
    let doc: any;

    before(async () => {
      t = await createDocumentsApp('docs_dl', storage);
      drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
      agreement = await createAgreementVia(t, drafter);
      pdf = await fixtures.textPdf(3, { dense: true });
      doc = (await uploadVia(t, drafter, agreement.id, { kind: 'draft', language: 'id', file: pdf, fileName: 'Rancangan – Kuala Lumpur.pdf' })).body;
    });
    after(async () => t.close());

    it('when a reader downloads a document, then the exact bytes come back as application/pdf with a safe name and a SHA-256 ETag', async () => {
      const diplomat = (await loginAs(t, 'diplomat')).token;
      const res = await binary(request(t.app).get(`/api/documents/${doc.id}/file`).set(bearer(diplomat)));
      expect(res.status).to.equal(200);
      expect(Buffer.compare(res.body, pdf)).to.equal(0);
      expect(res.headers['content-type']).to.equal('application/pdf');
      expect(res.headers['content-length']).to.equal(String(pdf.length));
      expect(res.headers.etag).to.equal(`"${sha256(pdf)}"`);
      expect(res.headers['accept-ranges']).to.equal('bytes');
      expect(res.headers['content-disposition']).to.equal(`attachment; filename="Rancangan _ Kuala Lumpur.pdf"; filename*=UTF-8''Rancangan%20%E2%80%93%20Kuala%20Lumpur.pdf`);
    });

    it('when the client already holds the version (If-None-Match), then it answers 304 with no body', async () => {
      const res = await request(t.app).get(`/api/documents/${doc.id}/file`).set(bearer(drafter)).set('If-None-Match', `"${doc.sha256}"`);
      expect(res.status).to.equal(304);
      expect(res.headers.etag).to.equal(`"${doc.sha256}"`);
      expect(res.text ?? '').to.equal('');
    });

    it('when a byte range is asked for, then it answers 206 with exactly those bytes; past the end, then 416 with the size', async () => {
      const part = await binary(request(t.app).get(`/api/documents/${doc.id}/file`).set(bearer(drafter)).set('Range', 'bytes=100-199'));
      expect(part.status).to.equal(206);
      expect(part.headers['content-range']).to.equal(`bytes 100-199/${pdf.length}`);
      expect(Buffer.compare(part.body, pdf.subarray(100, 200))).to.equal(0);
      const tail = await binary(request(t.app).get(`/api/documents/${doc.id}/file`).set(bearer(drafter)).set('Range', 'bytes=-16'));
      expect(Buffer.compare(tail.body, pdf.subarray(pdf.length - 16))).to.equal(0);
      const beyond = await request(t.app).get(`/api/documents/${doc.id}/file`).set(bearer(drafter)).set('Range', `bytes=${pdf.length}-`);
      expect(beyond.status).to.equal(416);
      expect(beyond.headers['content-range']).to.equal(`bytes */${pdf.length}`);
      expect(beyond.body.error.code).to.equal('range_not_satisfiable');
    });

    it('when the document id is unknown or malformed, then it answers 404', async () => {
      const unknown = await request(t.app).get('/api/documents/0123456789abcdef01234567/file').set(bearer(drafter));
      expect(unknown.status).to.equal(404);
      expect(unknown.body.error.message).to.equal('Document not found / Dokumen tidak ditemukan');
      const malformed = await request(t.app).get('/api/documents/not-an-id/verify').set(bearer(drafter));
      expect(malformed.status).to.equal(404);
    });

    it('when a draft\'s stamped copy is asked for, then every page carries the footer and the watermark, and the second request is served from storage', async () => {
      const first = await binary(request(t.app).get(`/api/documents/${doc.id}/stamped`).set(bearer(drafter)));
      expect(first.status).to.equal(200);
      expect(first.headers['content-type']).to.equal('application/pdf');
      const texts = await pageTexts(first.body);
      expect(texts).to.have.length(3);
      texts.forEach((text, i) => {
        expect(text).to.include(`${agreement.code} · rancangan/draft (bahasa Indonesia/Indonesian) · v1 · penyusunan draf/drafting · SHA-256 ${doc.sha256.slice(0, 12)} · halaman ${i + 1} dari 3 / page ${i + 1} of 3`);
        expect(text).to.include('RANCANGAN / DRAFT');
      });
      const second = await binary(request(t.app).get(`/api/documents/${doc.id}/stamped`).set(bearer(drafter)));
      expect(Buffer.compare(second.body, first.body)).to.equal(0);
      expect(second.headers.etag).to.equal(first.headers.etag);
      const record = await t.ctx.models.Document.findById(doc.id).lean();
      expect(record!.renditions).to.have.length(1);
      const notModified = await request(t.app).get(`/api/documents/${doc.id}/stamped`).set(bearer(drafter)).set('If-None-Match', first.headers.etag);
      expect(notModified.status).to.equal(304);
    });

    it('when a stamped copy is downloaded in Indonesian or in English, then its file name says “berstempel” or “stamped”; Indonesian without lang, and another language is refused', async () => {
      const named = async (query: Record<string, string>) => {
        const res = await binary(request(t.app).get(`/api/documents/${doc.id}/stamped`).query(query).set(bearer(drafter)));
        expect(res.status).to.equal(200);
        return savedName(res.headers['content-disposition']);
      };
      expect(await named({ lang: 'id' })).to.equal(`Rancangan – Kuala Lumpur (${agreement.code} v1 berstempel).pdf`);
      expect(await named({ lang: 'en' })).to.equal(`Rancangan – Kuala Lumpur (${agreement.code} v1 stamped).pdf`);
      expect(await named({})).to.equal(`Rancangan – Kuala Lumpur (${agreement.code} v1 berstempel).pdf`);
      const other = await request(t.app).get(`/api/documents/${doc.id}/stamped`).query({ lang: 'fr' }).set(bearer(drafter));
      expect(other.status).to.equal(422);
      expect(other.body.error.details.map((d: any) => d.field)).to.deep.equal(['lang']);
    });

    it('when the stage changes, then the stamped copy is made again with the new stage', async () => {
      const a = await createAgreementVia(t, drafter);
      const d = (await uploadVia(t, drafter, a.id, { kind: 'annex', language: 'en' })).body;
      const before = await pageTexts((await binary(request(t.app).get(`/api/documents/${d.id}/stamped`).set(bearer(drafter)))).body);
      expect(before[0]).to.include(' · penyusunan draf/drafting · ');
      expect(before[0]).to.not.include('RANCANGAN');
      await request(t.app).post(`/api/agreements/${a.id}/transitions`).set(bearer(drafter)).send({ to: 'negotiation' }).expect(200);
      const after = await pageTexts((await binary(request(t.app).get(`/api/documents/${d.id}/stamped`).set(bearer(drafter)))).body);
      expect(after[0]).to.include(' · perundingan/negotiation · ');
      const record = await t.ctx.models.Document.findById(d.id).lean();
      expect(record!.renditions).to.have.length(2);
    });

    it('when a confidential agreement\'s document is downloaded, then the history records who, what and which variant; a public one is not recorded', async () => {
      const secret = await createAgreementVia(t, drafter, { confidentiality: 'confidential', leadUnit: 'PWNI' });
      const d = (await uploadVia(t, drafter, secret.id, { kind: 'draft', language: 'id' })).body;
      await binary(request(t.app).get(`/api/documents/${d.id}/file`).set(bearer(drafter))).expect(200);
      await binary(request(t.app).get(`/api/documents/${d.id}/stamped`).set(bearer(drafter))).expect(200);
      await request(t.app).get(`/api/documents/${d.id}/file`).set(bearer(drafter)).set('If-None-Match', `"${d.sha256}"`).expect(304);
      const history = await request(t.app).get(`/api/agreements/${secret.id}/history`).set(bearer(drafter));
      const downloads = history.body.items.filter((e: any) => e.action === 'document_downloaded');
      expect(downloads.map((e: any) => e.changes.variant)).to.deep.equal(['original', 'stamped']);
      expect(downloads[0].changes).to.deep.include({ documentId: d.id, sha256: d.sha256, version: 1 });
      expect(downloads[0].role).to.equal('drafter');

      await binary(request(t.app).get(`/api/documents/${doc.id}/file`).set(bearer(drafter))).expect(200);
      const open = await request(t.app).get(`/api/agreements/${agreement.id}/history`).set(bearer(drafter));
      expect(open.body.items.filter((e: any) => e.action === 'document_downloaded')).to.have.length(0);
    });

    it('when a user of another unit asks for a confidential agreement\'s document, then it answers 404 for the file, the copy, the list and the check', async () => {
      const secret = await createAgreementVia(t, drafter, { confidentiality: 'confidential', leadUnit: 'PWNI' });
      const d = (await uploadVia(t, drafter, secret.id, { kind: 'draft', language: 'id' })).body;
      const outsider = (await loginAs(t, 'auditor', { unit: 'HPI' })).token;
      for (const url of [`/api/documents/${d.id}/file`, `/api/documents/${d.id}/stamped`, `/api/documents/${d.id}/verify`, `/api/agreements/${secret.id}/documents`]) {
        const res = await request(t.app).get(url).set(bearer(outsider));
        expect(res.status, url).to.equal(404);
        expect(res.body.error.code, url).to.equal('not_found');
      }
    });
  });
}
