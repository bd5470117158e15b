import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';
import { binary, createDocumentsApp, rawUploadVia, STORAGE_DRIVERS, storedKeys, tempFiles, uploadVia } from '../support/documents.js';
import * as fixtures from '../support/pdf-fixtures.js';

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

for (const storage of STORAGE_DRIVERS) {
  describe(`documents API (${storage}): uploads`, function () {
    this.timeout(60_000);
    let t: Awaited<ReturnType<typeof createDocumentsApp>>;
    let drafter: string;
    let agreementId: string;

    before(async () => {
      t = await createDocumentsApp('docs_upload', storage, { UPLOAD_MAX_BYTES: String(3 * 1024 * 1024) });
      drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
      agreementId = (await createAgreementVia(t, drafter, { authenticLanguages: ['id', 'en', 'ms'] })).id;
    });
    after(async () => t.close());

    it('when a drafter uploads a valid PDF, then it answers 201 with the recorded facts and the history carries its SHA-256', async () => {
      const pdf = await fixtures.textPdf(3);
      const res = await uploadVia(t, drafter, agreementId, { kind: 'draft', language: 'id', file: pdf, fileName: 'Rancangan MoU.pdf' });
      expect(res.status).to.equal(201);
      expect(res.headers.location).to.equal(`/api/documents/${res.body.id}`);
      expect(res.body).to.deep.include({ version: 1, sha256: sha256(pdf), pages: 3, kind: 'draft', language: 'id', size: pdf.length, fileName: 'Rancangan MoU.pdf', stageAtUpload: 'drafting' });
      expect(res.body.id).to.match(/^[0-9a-f]{24}$/);
      expect(res.body.uploadedBy.role).to.equal('drafter');
      const history = await request(t.app).get(`/api/agreements/${agreementId}/history`).set(bearer(drafter));
      const event = history.body.items.find((e: any) => e.action === 'document_uploaded' && e.changes.documentId === res.body.id);
      expect(event.changes).to.deep.include({ sha256: sha256(pdf), kind: 'draft', language: 'id', version: 1 });
      expect(await tempFiles(t)).to.deep.equal([]);
    });

    it('when the same kind and language are uploaded again, then versions count up per language and earlier versions stay downloadable', async () => {
      const a = (await createAgreementVia(t, drafter)).id;
      const first = await fixtures.textPdf(1, { title: 'first' });
      const v1 = await uploadVia(t, drafter, a, { kind: 'draft', language: 'en', file: first });
      const v2 = await uploadVia(t, drafter, a, { kind: 'draft', language: 'en', file: await fixtures.textPdf(1, { title: 'second' }) });
      const other = await uploadVia(t, drafter, a, { kind: 'draft', language: 'id' });
      expect([v1.body.version, v2.body.version, other.body.version]).to.deep.equal([1, 2, 1]);
      const list = await request(t.app).get(`/api/agreements/${a}/documents`).set(bearer(drafter));
      expect(list.body.items.map((d: any) => `${d.kind}/${d.language}/v${d.version}`)).to.have.members(['draft/en/v1', 'draft/en/v2', 'draft/id/v1']);
      const old = await binary(request(t.app).get(`/api/documents/${v1.body.id}/file`).set(bearer(drafter)));
      expect(Buffer.compare(old.body, first)).to.equal(0);
    });

    it('when eight uploads of the same kind and language arrive at once, then they get versions 1 to 8 with no gap and no clash', async () => {
      const a = (await createAgreementVia(t, drafter)).id;
      const pdfs = await Promise.all(Array.from({ length: 8 }, (_, i) => fixtures.textPdf(1, { variant: `minutes ${i}` })));
      // from four drafters, two each: one person may have only PDF_JOBS_PER_USER (2) uploads in the workers at once
      const drafters = [drafter, ...(await Promise.all([1, 2, 3].map(async () => (await loginAs(t, 'drafter', { unit: 'PWNI' })).token)))];
      const results = await Promise.all(pdfs.map((pdf, i) => uploadVia(t, drafters[i % 4], a, { kind: 'minutes', language: 'id', file: pdf })));
      expect(results.map((r) => r.status)).to.deep.equal(Array(8).fill(201));
      expect(results.map((r) => r.body.version).sort((x, y) => x - y)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8]);
      const history = await request(t.app).get(`/api/agreements/${a}/history`).set(bearer(drafter));
      expect(history.body.items.filter((e: any) => e.action === 'document_uploaded')).to.have.length(8);
    });

    const refusals: Array<[string, () => Buffer | Promise<Buffer>, string, string?]> = [
      ['a JPEG renamed .pdf', fixtures.jpegBytes, 'not_pdf', 'image/jpeg'],
      ['a file declared application/pdf that is plain text', () => Buffer.from('Dear colleagues, please find the draft attached.'), 'not_pdf'],
      ['an empty file', () => Buffer.alloc(0), 'empty'],
      ['a truncated PDF', () => fixtures.truncatedPdf(0.5), 'truncated'],
      ['an encrypted PDF', fixtures.encryptedPdf, 'encrypted'],
      ['a PDF with an /OpenAction JavaScript', fixtures.jsOpenActionPdf, 'active_content'],
      ['a PDF with a /Launch action', fixtures.launchActionPdf, 'active_content'],
      ['a cyclic page tree', fixtures.cyclicPageTreePdf, 'unparseable'],
      ['absurd nesting', () => fixtures.deepNestingPdf(100_000), 'unparseable'],
      ['a PDF with no pages', fixtures.zeroPagesPdf, 'no_pages'],
      ['20,000 pages', () => fixtures.manyPagesPdf(20_000), 'too_many_pages'],
    ];
    for (const [what, make, reason, contentType] of refusals) {
      it(`when ${what} is uploaded, then it answers 422 '${reason}' with a bilingual message and stores nothing`, async () => {
        const before = await storedKeys(t);
        const res = await uploadVia(t, drafter, agreementId, { kind: 'final', language: 'en', file: await make(), contentType });
        expect(res.status).to.equal(422);
        expect(res.body.error.code).to.equal('unprocessable');
        expect(res.body.error.details.reason).to.equal(reason);
        expect(res.body.error.message).to.match(/ \/ /);
        expect(await storedKeys(t)).to.deep.equal(before);
        expect(await tempFiles(t)).to.deep.equal([]);
      });
    }

    it('when an object-stream bomb is uploaded, then it is refused within 10 s while other requests keep being answered', async () => {
      const bomb = await fixtures.objectStreamBombPdf();
      const started = Date.now();
      const upload = uploadVia(t, drafter, agreementId, { kind: 'draft', language: 'ms', file: bomb });
      const latencies: number[] = [];
      const probe = (async () => {
        for (let i = 0; i < 5; i++) {
          const s = Date.now();
          const res = await request(t.app).get(`/api/agreements/${agreementId}/documents`).set(bearer(drafter));
          expect(res.status).to.equal(200);
          latencies.push(Date.now() - s);
        }
      })();
      const [res] = await Promise.all([upload, probe]);
      expect(Date.now() - started).to.be.below(10_000);
      expect(res.status).to.equal(422);
      expect(res.body.error.details.reason).to.equal('too_complex');
      // generous bound: "still answered", not a latency figure (the benchmark measures those)
      expect(Math.max(...latencies)).to.be.below(2_000);
    });

    it('when the file is over the size limit, then it answers 413 and nothing is stored or left behind', async () => {
      const before = await storedKeys(t);
      const big = Buffer.concat([await fixtures.textPdf(1), Buffer.alloc(3 * 1024 * 1024 + 10, 0x20)]);
      const res = await uploadVia(t, drafter, agreementId, { kind: 'annex', language: 'id', file: big });
      expect(res.status).to.equal(413);
      expect(res.body.error.code).to.equal('payload_too_large');
      // the limit is named: the person can compress the file or split its annexes
      expect(res.body.error.message).to.equal('The file is larger than the upload limit of 3 MB / Berkas melebihi batas unggah 3 MB');
      expect(await storedKeys(t)).to.deep.equal(before);
      expect(await tempFiles(t)).to.deep.equal([]);
    });

    it('when two files are sent, or the file comes in another field, then it answers 400 and stores nothing', async () => {
      const before = await storedKeys(t);
      const pdf = await fixtures.textPdf(1);
      const two = await request(t.app)
        .post(`/api/agreements/${agreementId}/documents`)
        .set(bearer(drafter))
        .field('kind', 'annex')
        .field('language', 'id')
        .attach('file', pdf, 'a.pdf')
        .attach('file', pdf, 'b.pdf');
      expect(two.status).to.equal(400);
      expect(two.body.error.code).to.equal('bad_request');
      const elsewhere = await request(t.app).post(`/api/agreements/${agreementId}/documents`).set(bearer(drafter)).field('kind', 'annex').field('language', 'id').attach('document', pdf, 'a.pdf');
      expect(elsewhere.status).to.equal(400);
      expect(elsewhere.body.error.details.field).to.equal('document');
      expect(await storedKeys(t)).to.deep.equal(before);
      expect(await tempFiles(t)).to.deep.equal([]);
    });

    it('when the multipart body is malformed, then it answers 400 rather than 500', async () => {
      const res = await request(t.app)
        .post(`/api/agreements/${agreementId}/documents`)
        .set(bearer(drafter))
        .set('Content-Type', 'multipart/form-data; boundary=XYZ')
        .send('--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 trunc');
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('bad_request');
      const noBoundary = await request(t.app).post(`/api/agreements/${agreementId}/documents`).set(bearer(drafter)).set('Content-Type', 'multipart/form-data').send('junk');
      expect(noBoundary.status).to.equal(400);
      expect(await tempFiles(t)).to.deep.equal([]);
    });

    it('when the body is not multipart, the file is missing, or a field is invalid, then the answer says which', async () => {
      const json = await request(t.app).post(`/api/agreements/${agreementId}/documents`).set(bearer(drafter)).send({ kind: 'final' });
      expect(json.status).to.equal(415);
      expect(json.body.error.code).to.equal('unsupported_media_type');
      const missing = await request(t.app).post(`/api/agreements/${agreementId}/documents`).set(bearer(drafter)).field('kind', 'final').field('language', 'id');
      expect(missing.status).to.equal(422);
      expect(missing.body.error.details[0].field).to.equal('file');
      const badKind = await uploadVia(t, drafter, agreementId, { kind: 'contract', language: 'id' });
      expect(badKind.status).to.equal(422);
      expect(badKind.body.error.details.map((d: any) => d.field)).to.deep.equal(['kind']);
      const notAuthentic = await uploadVia(t, drafter, agreementId, { kind: 'final', language: 'fr' });
      expect(notAuthentic.status).to.equal(422);
      expect(notAuthentic.body.error.details[0].field).to.equal('language');
      expect(await tempFiles(t)).to.deep.equal([]);
    });

    it('when the file that is already the latest version is uploaded again, then 409 names that version and nothing is stored; an older version’s file may come back as the newest', async () => {
      const a = await createAgreementVia(t, drafter);
      const first = await fixtures.textPdf(1, { variant: 'same file' });
      expect((await uploadVia(t, drafter, a.id, { kind: 'draft', file: first })).body.version).to.equal(1);
      const keys = await storedKeys(t);
      const again = await uploadVia(t, drafter, a.id, { kind: 'draft', file: first });
      expect(again.status).to.equal(409);
      expect(again.body.error.code).to.equal('duplicate');
      expect(again.body.error.message).to.equal(
        'This file is already version 1 of this document (the same SHA-256): there is nothing new to upload / Berkas ini sudah menjadi versi 1 dokumen ini (SHA-256 yang sama): tidak ada yang baru untuk diunggah',
      );
      expect(await storedKeys(t)).to.deep.equal(keys);
      expect(await tempFiles(t)).to.deep.equal([]);
      // another language is another document
      expect((await uploadVia(t, drafter, a.id, { kind: 'draft', language: 'en', file: first })).status).to.equal(201);
      expect((await uploadVia(t, drafter, a.id, { kind: 'draft', file: await fixtures.textPdf(1, { variant: 'second draft' }) })).body.version).to.equal(2);
      const back = await uploadVia(t, drafter, a.id, { kind: 'draft', file: first });
      expect(back.status).to.equal(201);
      expect(back.body.version).to.equal(3);
      // the same new file sent twice at once: one version, one refusal
      const twin = await fixtures.textPdf(1, { variant: 'sent twice' });
      const both = await Promise.all([0, 1].map(() => uploadVia(t, drafter, a.id, { kind: 'draft', file: twin })));
      expect(both.map((r) => r.status).sort()).to.deep.equal([201, 409]);
      expect(both.find((r) => r.status === 201)!.body.version).to.equal(4);
    });

    it('when the file name carries a path or a bidirectional override, then only a clean base name is recorded and offered back', async () => {
      const res = await uploadVia(t, drafter, agreementId, { kind: 'note', language: 'id', fileName: '../../etc/passwd.pdf' });
      expect(res.status).to.equal(201);
      expect(res.body.fileName).to.equal('passwd.pdf');
      const encoded = await rawUploadVia(t, drafter, agreementId, `filename*=UTF-8''..%2F..%2Fnota%20dinas.pdf`);
      expect(encoded.status).to.equal(201);
      expect(encoded.body.fileName).to.equal('nota dinas.pdf');
      const disguised = await rawUploadVia(t, drafter, agreementId, 'filename="surat kuasa\u202Efdp.exe.pdf"');
      expect(disguised.body.fileName).to.equal('surat kuasafdp.exe.pdf');
      const dl = await binary(request(t.app).get(`/api/documents/${res.body.id}/file`).set(bearer(drafter)));
      expect(dl.headers['content-disposition']).to.equal(`attachment; filename="passwd.pdf"; filename*=UTF-8''passwd.pdf`);
    });

    it('when the file name carries control characters (percent-encoded, or C1 in UTF-8), then 422 names the file and nothing is stored', async () => {
      const before = await storedKeys(t);
      for (const params of [`filename*=UTF-8''nota%07%20dinas%1B.pdf`, 'filename="surat\u0085 kuasa.pdf"']) {
        const res = await rawUploadVia(t, drafter, agreementId, params);
        expect(res.status, params).to.equal(422);
        expect(res.body.error.details.map((d: any) => d.field)).to.deep.equal(['file']);
      }
      expect(await storedKeys(t)).to.deep.equal(before);
      expect(await tempFiles(t)).to.deep.equal([]);
    });

    it('when raw control characters break the multipart header itself, then it answers 400 and stores nothing', async () => {
      const before = await storedKeys(t);
      const res = await rawUploadVia(t, drafter, agreementId, 'filename="nota\u0007 dinas\u001b.pdf"');
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('bad_request');
      expect(await storedKeys(t)).to.deep.equal(before);
      expect(await tempFiles(t)).to.deep.equal([]);
    });

    it('when the agreement is unknown, or another unit\'s confidential one, then it answers 404 before reading the file', async () => {
      const unknown = await uploadVia(t, drafter, '0123456789abcdef01234567');
      expect(unknown.status).to.equal(404);
      expect(unknown.body.error.code).to.equal('not_found');
      const otherUnit = (await loginAs(t, 'drafter', { unit: 'HPI' })).token;
      const secret = (await createAgreementVia(t, otherUnit, { confidentiality: 'confidential', leadUnit: 'HPI' })).id;
      const hidden = await uploadVia(t, drafter, secret);
      expect(hidden.status).to.equal(404);
      expect(hidden.body.error.message).to.equal('Agreement not found / Perjanjian tidak ditemukan');
    });

    it('when a diplomat uploads, then it answers 403 and nothing is stored', async () => {
      const before = await storedKeys(t);
      const diplomat = (await loginAs(t, 'diplomat')).token;
      const res = await uploadVia(t, diplomat, agreementId);
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('forbidden');
      expect(await storedKeys(t)).to.deep.equal(before);
    });
  });
}
