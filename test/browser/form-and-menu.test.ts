import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { axeViolations, type BrowserHarness, PHONE, useBrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { createAgreementVia, moveVia, signVia, toAwaitingSignature } from '../support/agreements.js';

/**
 * What a user review found on the agreement form and the phone's menu: the form's language boxes
 * took the ids of the header's language buttons, Escape left the menu open when focus was not in
 * it, and the edit form of an agreement whose signing had begun showed fields it could not save.
 */
describe('web interface: the agreement form and the phone menu', function () {
  this.timeout(180_000);

  let b: BrowserHarness;
  let drafter: TestUser;
  let token: string;

  useBrowserHarness('web_form_menu', async (harness) => {
    b = harness;
    drafter = await createUser(b.t, { role: 'drafter', name: 'Rina Perancang' });
    token = (await loginAs(b.t, 'drafter', { user: drafter })).token;
  });

  /** The ids used by more than one element of the page. */
  const duplicateIds = (page: Page) =>
    page.evaluate(() => {
      const seen = new Map<string, number>();
      for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
      return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    });

  it('when a drafter opens the new-agreement form and an edit form, then no id is used twice and each authentic-language box is named by its label', async () => {
    const drafting = await createAgreementVia(b.t, token);
    const page = await b.signIn(await b.newContext({ lang: 'en' }), drafter);
    for (const hash of ['agreements/new', `agreements/${drafting.id}/edit`]) {
      await page.goto(`${b.baseUrl}/#/${hash}`);
      await page.waitForSelector('#agreement-form');
      expect(await duplicateIds(page), hash).to.deep.equal([]);
      // the header's language buttons keep their ids
      expect(await page.locator('#lang-en').evaluate((el) => el.tagName)).to.equal('BUTTON');
      // a box is found, and ticked, by the name its label gives it
      const arabic = page.getByRole('checkbox', { name: 'Arabic' });
      expect(await arabic.isChecked()).to.equal(false);
      await page.locator('#authentic-languages label', { hasText: 'Arabic' }).click();
      expect(await arabic.isChecked()).to.equal(true);
      expect(await page.isVisible('#title-ar')).to.equal(true);
    }
  });

  it('when a drafter fills in the parties on a laptop, then the boxes of a party’s row stand on one line, even where a label takes two lines', async () => {
    for (const lang of ['en', 'id'] as const) {
      const page = await b.signIn(await b.newContext({ viewport: { width: 1280, height: 900 }, lang }), drafter);
      await page.goto(`${b.baseUrl}/#/agreements/new`);
      await page.waitForSelector('#agreement-form .party-form');
      const rows = await page.$$eval('.party-form .field-row', (els) =>
        els.map((row) => ({
          labels: [...row.querySelectorAll('.field > label')].map((l) => Math.round(l.getBoundingClientRect().height)),
          tops: [...row.querySelectorAll('.field > input, .field > select')].map((c) => Math.round(c.getBoundingClientRect().top)),
        })),
      );
      // the party's own row has four fields side by side, one of them with a long label ("Official name in its own script")
      expect(rows[0].tops, lang).to.have.length(4);
      expect(Math.max(...rows[0].labels), `${lang}: a label that wraps, or the test shows nothing`).to.be.greaterThan(Math.min(...rows[0].labels));
      for (const row of rows) expect(new Set(row.tops).size, `${lang}: tops ${row.tops.join(', ')}`).to.equal(1);
      await b.shot(page, `form-parties-${lang}-laptop`, { fullPage: false });
    }
  });

  it('when the phone menu is open and focus is not in it, then Escape closes it and focus goes back to the menu button', async () => {
    const page = await b.signIn(await b.newContext({ viewport: PHONE, lang: 'en' }), drafter);
    const toggle = page.locator('#menu-toggle');
    const focused = () => page.evaluate(() => document.activeElement?.id ?? '');

    // opened by a tap that leaves focus where it was (as Safari does), e.g. on the page itself
    await toggle.click();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    expect(await toggle.getAttribute('aria-expanded')).to.equal('true');
    await page.keyboard.press('Escape');
    expect(await toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(await page.isVisible('#nav-board')).to.equal(false);
    expect(await focused()).to.equal('menu-toggle');

    // opened from the keyboard, then left by Tab into the page below it
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).to.equal('true');
    await page.focus('#logout');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('main')))).to.equal(true);
    await page.keyboard.press('Escape');
    expect(await toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(await focused()).to.equal('menu-toggle');

    // an Escape that closes the board's filter drawer is the drawer's; the next one closes the menu
    await toggle.click();
    await page.click('#filters-toggle');
    expect(await page.getAttribute('#filters-toggle', 'aria-expanded')).to.equal('true');
    await page.keyboard.press('Escape');
    expect(await page.getAttribute('#filters-toggle', 'aria-expanded')).to.equal('false');
    expect(await focused()).to.equal('filters-toggle');
    expect(await toggle.getAttribute('aria-expanded')).to.equal('true');
    await page.keyboard.press('Escape');
    expect(await toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(await focused()).to.equal('menu-toggle');

    // Escape with the menu closed leaves focus where it is
    await page.focus('main h1');
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.activeElement?.tagName)).to.equal('H1');
  });

  it('when the edit form of an agreement whose signing has begun is opened by its address, then it says why it cannot be edited, in the reader’s language, and links back instead of showing a form', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Naskah Beku', en: 'Frozen Text Test MoU' } });
    const waiting = await toAwaitingSignature(b.t, token, a.id);
    const signed = await signVia(b.t, token, a.id, waiting.parties[0].id);
    expect(signed.status, JSON.stringify(signed.body)).to.equal(200);
    const stage = (await b.t.ctx.models.Agreement.findById(a.id).lean())!.stage;
    expect(stage).to.equal('partially_signed');
    const reasons = {
      id: 'Penandatanganan sudah dimulai. Naskah sudah disepakati: kembalikan ke tahap negosiasi atau penyusunan terlebih dahulu.',
      en: 'Signing has begun. The text is agreed: move the agreement back to negotiation or drafting before changing it.',
    };
    for (const lang of ['id', 'en'] as const) {
      const page = await b.signIn(await b.newContext({ viewport: PHONE, lang }), drafter);
      await page.goto(`${b.baseUrl}/#/agreements/${a.id}/edit`);
      await page.waitForSelector('#edit-frozen');
      expect(await page.locator('#edit-frozen .frozen-reason').textContent(), lang).to.equal(reasons[lang]);
      expect(await page.locator('#agreement-form').count(), 'no form that cannot be saved').to.equal(0);
      expect(await page.locator('main input, main select, main button[type="submit"]').count()).to.equal(0);
      const back = page.locator('#frozen-to-agreement');
      expect(await back.getAttribute('href')).to.equal(`#/agreements/${a.id}`);
      expect(await axeViolations(page)).to.deep.equal([]);
      await b.shot(page, `edit-frozen-${lang}-phone`);
      await back.click();
      await page.waitForSelector('#summary');
      // the agreement page decides the same way: no Edit button there
      expect(await page.locator('#edit-agreement').count()).to.equal(0);
    }

    // once signed for good, the page says the text is final and points to a linked new agreement
    await signVia(b.t, token, a.id, waiting.parties[1].id);
    expect((await b.t.ctx.models.Agreement.findById(a.id).lean())!.stage).to.equal('signed');
    const page = await b.signIn(await b.newContext({ lang: 'en' }), drafter);
    await page.goto(`${b.baseUrl}/#/agreements/${a.id}/edit`);
    await page.waitForSelector('#edit-frozen');
    expect(await page.locator('#edit-frozen .frozen-reason').textContent()).to.equal(
      'The text is final once signed: record an amendment or renewal as a new agreement linked to this one.',
    );
    expect(await page.locator('#agreement-form').count()).to.equal(0);

    // while the text is still open the form is there as before
    const open = await createAgreementVia(b.t, token);
    await moveVia(b.t, token, open.id, 'negotiation');
    await page.goto(`${b.baseUrl}/#/agreements/${open.id}/edit`);
    await page.waitForSelector('#agreement-form');
    expect(await page.locator('#edit-frozen').count()).to.equal(0);
  });

  it('when a diplomat types the address of the new-agreement form or of an edit form, then the page says who it is for, in the reader’s language, and shows no form', async () => {
    const diplomat = await createUser(b.t, { role: 'diplomat', name: 'Dimas Diplomat' });
    const a = await createAgreementVia(b.t, token);
    for (const [lang, heading] of [
      ['id', 'Halaman ini khusus untuk perancang dan administrator'],
      ['en', 'This page is for legal drafters and administrators only'],
    ] as const) {
      const page = await b.signIn(await b.newContext({ viewport: PHONE, lang }), diplomat);
      for (const path of ['#/agreements/new', `#/agreements/${a.id}/edit`]) {
        await page.goto(`${b.baseUrl}/${path}`);
        await page.waitForFunction((text) => document.querySelector('h1')?.textContent === text, heading);
        expect(await page.locator('#agreement-form').count(), path).to.equal(0);
      }
      await b.shot(page, `form-denied-${lang}-phone`, { fullPage: false });
    }
  });
});
