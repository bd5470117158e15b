import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, PHONE, axeViolations, startBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { createAgreementVia } from '../support/agreements.js';
import { uploadVia } from '../support/documents.js';
import { alteredAfterSigning, makeCa, makeSigner, signedPdf, withIncrementalUpdate } from '../support/signed-pdf.js';

/**
 * The documents panel shows each version's electronic signatures: who signed, who issued the
 * certificate, when, and whether the signature holds; a copy whose signature does not hold is
 * flagged in the row and warned about under it, in the chosen language.
 */
describe('web interface: electronic signatures on the agreement page', function () {
  this.timeout(180_000);

  let b: BrowserHarness;
  let drafter: TestUser;
  let token: string;
  let caDir: string;
  let signed: Buffer;
  let untrusted: Buffer;
  let context: BrowserContext | undefined;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      console.warn(`\n    Browser tests skipped: no Chromium at ${CHROMIUM}\n`);
      this.skip();
    }
    const ca = await makeCa('CA Uji PWNI');
    const stranger = await makeCa('CA Tak Dikenal');
    signed = await signedPdf(await makeSigner('Retno Marsudi', ca), [ca]);
    untrusted = await signedPdf(await makeSigner('Penandatangan Lain', stranger), [stranger]);
    caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-trusted-ca-'));
    fs.writeFileSync(path.join(caDir, 'ca-uji.pem'), ca.pem);
    b = await startBrowserHarness('web_signatures', { env: { TRUSTED_CA_DIR: caDir } });
    drafter = await createUser(b.t, { role: 'drafter', name: 'Rina Perancang' });
    token = (await loginAs(b.t, 'drafter', { user: drafter })).token;
  });

  after(async () => {
    await b?.close();
    if (caDir) fs.rmSync(caDir, { recursive: true, force: true });
  });

  beforeEach(() => b.startTest());

  afterEach(async function () {
    await b.endTest(this.currentTest);
  });

  async function open(id: string, options: { lang?: 'id' | 'en'; phone?: boolean } = {}): Promise<Page> {
    context = await b.newContext({ lang: options.lang, viewport: options.phone ? PHONE : undefined });
    const page = await b.signIn(context, drafter);
    await page.goto(`${b.baseUrl}/#/agreements/${id}`);
    await page.waitForSelector('#next-steps h2');
    return page;
  }

  async function uploadOnPage(page: Page, name: string, buffer: Buffer) {
    if (!(await page.locator('#upload-panel').evaluate((el) => (el as HTMLDetailsElement).open))) await page.click('#upload-panel summary');
    await page.setInputFiles('#upload-file', { name, mimeType: 'application/pdf', buffer });
    await page.click('#upload-submit');
    await page.waitForFunction((n) => document.querySelector('#detail-flash')?.textContent?.includes(n), name);
  }

  const rowOf = (page: Page, fileName: string) => page.locator('#documents tbody tr[data-document]', { hasText: fileName });
  async function signaturesOf(page: Page, fileName: string) {
    const id = await rowOf(page, fileName).getAttribute('data-document');
    const row = page.locator(`#documents tr.signatures-row[data-signatures-of="${id}"]`);
    await row.locator('.signature-item').first().waitFor();
    return row;
  }

  it('when a signed copy and an altered one are uploaded on the page, then the signer, issuer and time show and the altered one is flagged broken', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Tanda Tangan Elektronik', en: 'Electronic Signature Test MoU' } });
    const page = await open(a.id);
    await uploadOnPage(page, 'naskah-bertanda-tangan.pdf', signed);
    await uploadOnPage(page, 'naskah-diubah.pdf', alteredAfterSigning(signed));

    const intact = await signaturesOf(page, 'naskah-bertanda-tangan.pdf');
    const item = intact.locator('.signature-item');
    expect(await item.getAttribute('data-status')).to.equal('valid');
    expect(await item.locator('.badge').textContent()).to.equal('Utuh dan tepercaya');
    expect(await item.locator('.signature-signer').textContent()).to.equal('Retno Marsudi');
    expect(await item.locator('.signature-issuer').textContent()).to.equal('CA Uji PWNI');
    // signed at 02:00 UTC: 09.00 in Jakarta, the user's zone
    expect(await item.locator('.signature-time time').getAttribute('datetime')).to.equal('2026-03-01T02:00:00.000Z');
    expect(await item.locator('.signature-time').textContent()).to.match(/1 Mar 2026.*09[.:]00/);
    expect(await intact.locator('.signature-warning').count()).to.equal(0);
    expect(await rowOf(page, 'naskah-bertanda-tangan.pdf').locator('.signature-marker').textContent()).to.equal('Bertanda tangan elektronik');

    const broken = await signaturesOf(page, 'naskah-diubah.pdf');
    expect(await broken.locator('.signature-item').getAttribute('data-status')).to.equal('broken');
    expect(await broken.locator('.signature-item .badge').textContent()).to.equal('Rusak');
    expect(await broken.locator('.signature-warning').textContent()).to.contain('tanda tangan pada berkas ini rusak');
    const marker = rowOf(page, 'naskah-diubah.pdf').locator('.signature-marker');
    expect(await marker.textContent()).to.equal('Tanda tangan bermasalah');
    expect(await marker.locator('.badge').getAttribute('class')).to.contain('badge-danger');
    // an unsigned version has neither marker nor signatures row
    expect(await page.locator('#documents tr.signatures-row').count()).to.equal(2);

    // on a laptop the table fits its card: every download and check button can be seen without scrolling sideways
    expect(await page.locator('#documents .table-wrap').evaluate((el) => el.scrollWidth - el.clientWidth)).to.be.at.most(0);
    await b.shot(page, 'documents-signatures-id');
    expect(await axeViolations(page)).to.deep.equal([]);
    await context?.close();

    const phone = await open(a.id, { phone: true });
    expect(await (await signaturesOf(phone, 'naskah-diubah.pdf')).locator('.signature-item .badge').textContent()).to.equal('Rusak');
    await signaturesOf(phone, 'naskah-bertanda-tangan.pdf');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).to.be.at.most(0);
    await b.shot(phone, 'documents-signatures-id-phone');
    expect(await axeViolations(phone)).to.deep.equal([]);
  });

  it('when versions are signed under an unknown CA or changed after signing, then each status reads in English, on a laptop and a phone', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Status Tanda Tangan', en: 'Signature Status Test MoU' } });
    for (const [kind, fileName, file] of [
      ['draft', 'untrusted-root.pdf', untrusted],
      ['annex', 'updated-after-signing.pdf', withIncrementalUpdate(signed)],
      ['minutes', 'unsigned.pdf', undefined],
    ] as const) {
      const up = await uploadVia(b.t, token, a.id, { kind, language: 'en', fileName, file });
      expect(up.status, fileName).to.equal(201);
    }
    for (const phone of [false, true]) {
      const page = await open(a.id, { lang: 'en', phone });
      const untrustedRow = await signaturesOf(page, 'untrusted-root.pdf');
      expect(await untrustedRow.locator('.signature-item').getAttribute('data-status')).to.equal('valid_untrusted');
      expect(await untrustedRow.locator('.signature-item .badge').textContent()).to.equal('Intact, untrusted root');
      expect(await untrustedRow.locator('.signature-explain').textContent()).to.contain('does not chain to a trusted root');
      expect(await untrustedRow.locator('.signature-issuer').textContent()).to.equal('CA Tak Dikenal');
      expect(await untrustedRow.locator('.signature-warning').count()).to.equal(0);

      const modified = await signaturesOf(page, 'updated-after-signing.pdf');
      expect(await modified.locator('.signature-item').getAttribute('data-status')).to.equal('modified_after_signing');
      expect(await modified.locator('.signature-item .badge').textContent()).to.equal('Modified after signing');
      expect(await modified.locator('.signature-warning').textContent()).to.contain('changed after it was signed');
      expect(await modified.locator('.signature-facts').textContent()).to.contain('Added after signing');
      expect(await rowOf(page, 'updated-after-signing.pdf').locator('.signature-marker').textContent()).to.equal('Signature problem');
      expect(await rowOf(page, 'unsigned.pdf').locator('.signature-marker').count()).to.equal(0);

      if (phone) {
        // on a phone the signatures stay inside the screen's width
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).to.be.at.most(0);
      }
      await b.shot(page, phone ? 'documents-signatures-en-phone' : 'documents-signatures-en');
      expect(await axeViolations(page)).to.deep.equal([]);
      await context?.close();
      context = undefined;
    }
  });
});
