import { expect } from 'chai';
import request from 'supertest';
import { type BrowserHarness, LAPTOP, PHONE, useBrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';
import { uploadMissingFinalTexts, uploadVia } from '../support/documents.js';
import { textPdf } from '../support/pdf-fixtures.js';

/**
 * Who read a confidential agreement's text is in its history, so an auditor asks the history
 * "who downloaded this file". Its download events read "(Rancangan, Indonesia, v1)" and nothing
 * else: not which file, nor whether the original, a stamped copy or the signing packet went out
 * (a signing packet's read as nothing at all). Each now names the copy and the file, as uploaded.
 */
describe('web interface: a download in the history says what was downloaded', function () {
  this.timeout(180_000);

  let b: BrowserHarness;
  let auditor: TestUser;
  let agreementId: string;

  useBrowserHarness('web_download_history', async (harness) => {
    b = harness;
    const drafter = (await loginAs(b.t, 'drafter')).token;
    auditor = await createUser(b.t, { role: 'auditor', name: 'Sari Pemeriksa', unit: 'PWNI' });
    const reader = (await loginAs(b.t, 'auditor', { user: auditor })).token;
    const a = await createAgreementVia(b.t, drafter, { confidentiality: 'confidential' });
    agreementId = a.id;
    const draft = await uploadVia(b.t, drafter, a.id, { kind: 'draft', language: 'id', file: await textPdf(1, { variant: 'rancangan pasal' }), fileName: 'rancangan-pasal.pdf' });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(201);
    await uploadMissingFinalTexts(b.t, drafter, a.id);
    const size = draft.body.size as number;
    for (const [path, range] of [
      // a reading that begins mid-file first: within ten minutes of a whole download it would be part of that reading
      [`/api/documents/${draft.body.id}/file`, `bytes=100-199`],
      [`/api/documents/${draft.body.id}/file`, undefined],
      [`/api/documents/${draft.body.id}/stamped`, undefined],
      [`/api/agreements/${a.id}/signing-packet`, undefined],
    ] as const) {
      const req = request(b.t.app).get(path).set(bearer(reader));
      const res = await (range ? req.set('Range', range) : req);
      expect(res.status, path).to.be.oneOf([200, 206]);
    }
    expect(size, 'the range lies inside the file').to.be.above(199);
  });

  for (const [lang, viewport] of [
    ['id', PHONE],
    ['en', LAPTOP],
  ] as const) {
    it(`when an auditor reads the history (${lang}), then each download names the copy and the file`, async () => {
      const page = await b.signIn(await b.newContext({ viewport, lang }), auditor);
      await page.goto(`${b.baseUrl}/#/agreements/${agreementId}`);
      await page.waitForSelector('#history tr[data-action="document_downloaded"]');
      const rows = page.locator('#history tr[data-action="document_downloaded"]');
      const details = (await rows.locator('.event-detail').allTextContents()).map((s) => s.trim());
      const size = (await b.t.ctx.models.Document.findOne({ fileName: 'rancangan-pasal.pdf' }).lean())!.size;
      const expected = {
        id: [
          `Berkas asli: rancangan-pasal.pdf (Rancangan, Indonesia, v1), pembacaan dimulai dari bita 100–199 dari ${size.toLocaleString('id-ID')}`,
          'Berkas asli: rancangan-pasal.pdf (Rancangan, Indonesia, v1)',
          'Salinan berstempel: rancangan-pasal.pdf (Rancangan, Indonesia, v1)',
          'Paket penandatanganan',
        ],
        en: [
          `Original file: rancangan-pasal.pdf (Draft, Indonesian, v1), a reading that began with bytes 100–199 of ${size.toLocaleString('en-GB')}`,
          'Original file: rancangan-pasal.pdf (Draft, Indonesian, v1)',
          'Stamped copy: rancangan-pasal.pdf (Draft, Indonesian, v1)',
          'Signing packet',
        ],
      }[lang];
      expect(details).to.deep.equal(expected);
      expect(await rows.first().locator('td').nth(2).textContent()).to.contain('Sari Pemeriksa');
      await rows.first().scrollIntoViewIfNeeded();
      await b.shot(page, `download-history-${lang}`, { fullPage: false });
    });
  }
});
