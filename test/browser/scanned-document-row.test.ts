import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { type BrowserHarness, LAPTOP, PHONE, useBrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { createAgreementVia } from '../support/agreements.js';
import { uploadVia } from '../support/documents.js';
import { scannedPdf, textPdf } from '../support/pdf-fixtures.js';

/**
 * A scanned copy (no text layer) is common: signed copies come back from the copier. Its row says
 * that search cannot find it, and that note wraps inside its cell: the table still fits the page,
 * so the download buttons are where the eye expects them on a laptop and nothing is cut off on a
 * phone (the note had kept to one line and pushed the table past its frame).
 */
describe('web interface: a scanned document in the documents table', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let diplomat: TestUser;
  let agreementId: string;

  useBrowserHarness('web_scanned_row', async (harness) => {
    b = harness;
    const drafter = (await loginAs(b.t, 'drafter')).token;
    diplomat = await createUser(b.t, { role: 'diplomat', name: 'Dimas Diplomat' });
    const a = await createAgreementVia(b.t, drafter, { title: { id: 'Nota Kesepahaman Uji Pindaian', en: 'Scanned Copy Test MoU' } });
    agreementId = a.id;
    expect((await uploadVia(b.t, drafter, a.id, { kind: 'draft', language: 'id', file: await textPdf(1), fileName: 'rancangan.pdf' })).status).to.equal(201);
    const scan = await uploadVia(b.t, drafter, a.id, { kind: 'draft', language: 'en', file: await scannedPdf(), fileName: 'pindaian.pdf' });
    expect(scan.body.textLayer).to.equal(false);
  });

  /** What a reader sees of the scanned row: its note, whether the table fits its frame, whether the note and the buttons lie inside it. */
  async function scannedRow(page: Page) {
    const seen = await page.evaluate(() => {
      const wrap = document.querySelector('#documents .table-wrap') as HTMLElement;
      const row = [...document.querySelectorAll('#documents tbody tr[data-document]')].find((tr) => tr.textContent?.includes('pindaian.pdf')) as HTMLElement;
      const note = row.querySelector('.no-text-layer') as HTMLElement;
      const frame = wrap.getBoundingClientRect();
      const noteBox = note.getBoundingClientRect();
      return {
        note: note.textContent,
        fits: wrap.scrollWidth <= wrap.clientWidth + 1,
        frame: [frame.left, frame.right],
        noteBox: [noteBox.left, noteBox.right],
        buttons: [...row.querySelectorAll('td.actions .button')].map((el) => ({ text: el.textContent, box: [el.getBoundingClientRect().left, el.getBoundingClientRect().right] })),
      };
    });
    const inside = ([left, right]: number[]) => left >= seen.frame[0] - 1 && right <= seen.frame[1] + 1;
    return { note: seen.note, fits: seen.fits, noteInside: inside(seen.noteBox), buttonsInside: seen.buttons.map((x) => `${x.text}:${inside(x.box)}`) };
  }

  for (const [lang, viewport, size, note, buttons] of [
    ['id', LAPTOP, 'laptop', 'Pindaian tanpa lapisan teks: tidak terjangkau pencarian', ['Asli:true', 'Berstempel:true', 'Periksa:true']],
    ['en', PHONE, 'phone', 'Scan without a text layer: search cannot find it', ['Original:true', 'Stamped:true', 'Check:true']],
    ['id', PHONE, 'phone', 'Pindaian tanpa lapisan teks: tidak terjangkau pencarian', ['Asli:true', 'Berstempel:true', 'Periksa:true']],
  ] as const) {
    it(`when a diplomat opens an agreement with a scanned version (${lang}, ${size}), then the note wraps and the table, the note and the download buttons fit the page`, async () => {
      const context = await b.newContext({ lang, viewport });
      const page = await b.signIn(context, diplomat);
      await page.goto(`${b.baseUrl}/#/agreements/${agreementId}`);
      await page.waitForSelector('#documents .no-text-layer');
      const seen = await scannedRow(page);
      await b.shot(page, `scanned-row-${lang}-${size}`);
      expect(seen).to.deep.equal({ note, fits: true, noteInside: true, buttonsInside: buttons });
    });
  }
});
