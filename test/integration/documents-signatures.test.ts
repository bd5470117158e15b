import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';
import { binary, createDocumentsApp, uploadVia } from '../support/documents.js';
import { pageTexts } from '../support/pdf-text.js';
import * as fixtures from '../support/pdf-fixtures.js';
import { alteredAfterSigning, makeCa, makeSigner, signedPdf, withIncrementalUpdate, type TestIdentity } from '../support/signed-pdf.js';

describe('documents API: electronic signatures of uploaded PDFs', function () {
  this.timeout(120_000);
  let t: Awaited<ReturnType<typeof createDocumentsApp>>;
  let drafter: string;
  let agreementId: string;
  let ca: TestIdentity;
  let untrustedCa: TestIdentity;
  let signed: Buffer;
  let caDir: string;

  before(async () => {
    ca = await makeCa('CA Uji PWNI');
    untrustedCa = await makeCa('CA Tak Dikenal');
    signed = await signedPdf(await makeSigner('Retno Marsudi', ca), [ca]);
    caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trusted-ca-'));
    fs.writeFileSync(path.join(caDir, 'ca-uji.pem'), ca.pem);
    t = await createDocumentsApp('docs_signatures', 'disk', { TRUSTED_CA_DIR: caDir, PUBLIC_URL: 'https://perjanjian.kemlu.example' });
    drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
    agreementId = (await createAgreementVia(t, drafter, { authenticLanguages: ['id', 'en'] })).id;
  });
  after(async () => {
    await t?.close();
    fs.rmSync(caDir, { recursive: true, force: true });
  });

  it('when a PDF signed under a CA in TRUSTED_CA_DIR is uploaded, then GET /signatures lists the signer, issuer, serial, times and status valid', async () => {
    const up = await uploadVia(t, drafter, agreementId, { kind: 'draft', language: 'id', file: signed });
    expect(up.status).to.equal(201);
    expect(up.body.signatures).to.deep.equal({ count: 1, status: 'valid', flagged: false, warning: null });
    expect(up.body.links.signatures).to.equal(`/api/documents/${up.body.id}/signatures`);
    const res = await request(t.app).get(`/api/documents/${up.body.id}/signatures`).set(bearer(drafter));
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.include({ documentId: up.body.id, kind: 'draft', checked: true });
    expect(res.body.items).to.have.length(1);
    const [sig] = res.body.items;
    expect(sig).to.deep.include({ status: 'valid', trusted: true, coversWholeFile: true, appendedBytes: 0, digestMatches: true, signatureVerified: true, field: 'TandaTangan1', subFilter: 'adbe.pkcs7.detached', signingTime: '2026-03-01T02:00:00.000Z' });
    expect(sig.signer).to.deep.include({ commonName: 'Retno Marsudi', issuerCommonName: 'CA Uji PWNI', issuer: 'C=ID, O=Penguji Tanda Tangan, CN=CA Uji PWNI' });
    expect(sig.signer.serialNumber).to.match(/^[0-9A-F]+$/);
    expect(sig.message).to.contain('akar tepercaya').and.contain('trusted root');
  });

  it('when a signed PDF altered after signing is uploaded, then it is stored but flagged broken in the answer, the signatures and the history', async () => {
    const up = await uploadVia(t, drafter, agreementId, { kind: 'draft', language: 'en', file: alteredAfterSigning(signed) });
    expect(up.status).to.equal(201);
    expect(up.body.signatures).to.deep.include({ count: 1, status: 'broken', flagged: true });
    expect(up.body.signatures.warning).to.contain('rusak').and.contain('broken');
    const res = await request(t.app).get(`/api/documents/${up.body.id}/signatures`).set(bearer(drafter));
    expect(res.body.items[0]).to.deep.include({ status: 'broken', digestMatches: false });
    const history = await request(t.app).get(`/api/agreements/${agreementId}/history`).set(bearer(drafter));
    const event = history.body.items.find((e: any) => e.action === 'document_uploaded' && e.changes.documentId === up.body.id);
    expect(event.changes.signatures).to.deep.equal([{ signer: 'Retno Marsudi', status: 'broken' }]);
  });

  it('when an incremental update follows the signature, then it is flagged modified_after_signing with the bytes added', async () => {
    const updated = withIncrementalUpdate(signed);
    const up = await uploadVia(t, drafter, agreementId, { kind: 'minutes', language: 'id', file: updated });
    expect(up.body.signatures).to.deep.include({ status: 'modified_after_signing', flagged: true });
    const res = await request(t.app).get(`/api/documents/${up.body.id}/signatures`).set(bearer(drafter));
    expect(res.body.items[0]).to.deep.include({ status: 'modified_after_signing', coversWholeFile: false, appendedBytes: updated.length - signed.length, signatureVerified: true });
  });

  it('when the signer\'s CA is not in TRUSTED_CA_DIR, then the signature is reported valid but untrusted', async () => {
    const other = await signedPdf(await makeSigner('Penandatangan Lain', untrustedCa), [untrustedCa]);
    const up = await uploadVia(t, drafter, agreementId, { kind: 'annex', language: 'id', file: other });
    expect(up.body.signatures).to.deep.equal({ count: 1, status: 'valid_untrusted', flagged: false, warning: null });
    const res = await request(t.app).get(`/api/documents/${up.body.id}/signatures`).set(bearer(drafter));
    expect(res.body.items[0]).to.deep.include({ status: 'valid_untrusted', trusted: false, signatureVerified: true });
    expect(res.body.items[0].signer.issuerCommonName).to.equal('CA Tak Dikenal');
  });

  it('when the stamped copy of a signed file is asked for, then its footer says in both languages that the original carries electronic signatures and where to verify them, and the original stays byte for byte', async () => {
    const up = await uploadVia(t, drafter, agreementId, { kind: 'final', language: 'id', file: signed });
    expect(up.status).to.equal(201);
    const stamped = await binary(request(t.app).get(`/api/documents/${up.body.id}/stamped`).set(bearer(drafter)));
    expect(stamped.status).to.equal(200);
    const where = `https://perjanjian.kemlu.example/api/documents/${up.body.id}/signatures`;
    const [text] = await pageTexts(stamped.body);
    expect(text).to.include(`Berkas asli memuat tanda tangan elektronik; salinan berstempel ini tidak. Periksa tanda tangannya pada berkas asli di ${where}`);
    expect(text).to.include(`The original file carries electronic signatures; this stamped copy does not. Verify them on the original at ${where}`);
    expect(text).to.include(' · v1 · ');
    const original = await binary(request(t.app).get(`/api/documents/${up.body.id}/file`).set(bearer(drafter)));
    expect(Buffer.compare(original.body, signed)).to.equal(0);

    // an unsigned file's stamped copy says nothing of signatures
    const plain = await uploadVia(t, drafter, agreementId, { kind: 'note', language: 'en', file: await fixtures.textPdf(1) });
    const [plainText] = await pageTexts((await binary(request(t.app).get(`/api/documents/${plain.body.id}/stamped`).set(bearer(drafter)))).body);
    expect(plainText).to.include(' · v1 · ');
    expect(plainText).to.not.include('electronic signatures').and.not.include('tanda tangan elektronik');
  });

  it('when an unsigned PDF is uploaded, then it has no signatures and says it was checked', async () => {
    const up = await uploadVia(t, drafter, agreementId, { kind: 'note', language: 'id', file: await fixtures.textPdf(1) });
    expect(up.body.signatures).to.deep.equal({ count: 0, status: null, flagged: false, warning: null });
    const res = await request(t.app).get(`/api/documents/${up.body.id}/signatures`).set(bearer(drafter));
    expect(res.body).to.deep.include({ checked: true, items: [] });
  });

  it('when a user of another unit asks for the signatures of a confidential agreement\'s document, then it answers 404', async () => {
    const secret = await createAgreementVia(t, drafter, { confidentiality: 'confidential', leadUnit: 'PWNI' });
    const d = (await uploadVia(t, drafter, secret.id, { kind: 'draft', language: 'id', file: signed })).body;
    const outsider = (await loginAs(t, 'auditor', { unit: 'HPI' })).token;
    const res = await request(t.app).get(`/api/documents/${d.id}/signatures`).set(bearer(outsider));
    expect(res.status).to.equal(404);
    expect(res.body.error.code).to.equal('not_found');
    const insider = await request(t.app).get(`/api/documents/${d.id}/signatures`).set(bearer(drafter));
    expect(insider.body.items[0].status).to.equal('valid');
  });
});
