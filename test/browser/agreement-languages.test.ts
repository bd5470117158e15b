import { expect } from 'chai';
import request from 'supertest';
import type { BrowserContext, Page } from 'playwright-core';
import { PHONE, axeViolations, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia, signVia, toAwaitingSignature } from '../support/agreements.js';

const SAUDI = 'المملكة العربية السعودية';
const TITLE_AR = 'ترتيب فني بشأن توظيف العمال المنزليين الإندونيسيين';

/**
 * The agreement form asks for a title in every authentic language beyond Indonesian and English
 * (Arabic right to left) and for a party's official name in its own script; the agreement page
 * then shows them as written.
 */
describe('web interface: titles in every authentic language on the agreement form', function () {
  this.timeout(180_000);

  let b: BrowserHarness;
  let drafter: TestUser;
  let token: string;
  let context: BrowserContext | undefined;

  useBrowserHarness('web_languages', async (harness) => {
    b = harness;
    drafter = await createUser(b.t, { role: 'drafter', name: 'Rina Perancang' });
    token = (await loginAs(b.t, 'drafter', { user: drafter })).token;
  });

  async function openForm(path: string, options: { lang?: 'id' | 'en'; phone?: boolean } = {}): Promise<Page> {
    context = await b.newContext({ lang: options.lang, viewport: options.phone ? PHONE : undefined });
    const page = await b.signIn(context, drafter);
    await page.goto(`${b.baseUrl}/#/${path}`);
    await page.waitForSelector('#agreement-form');
    return page;
  }

  /** A technical arrangement with Saudi Arabia, authentic in Indonesian, English and Arabic, made through the API. */
  const saudiArrangement = (title: { id: string; en: string }, parties: Array<Record<string, unknown>>) =>
    createAgreementVia(b.t, token, { type: 'technical_arrangement', title: { ...title, ar: TITLE_AR }, authenticLanguages: ['id', 'en', 'ar'], parties });

  it('when a drafter creates an agreement authentic in Arabic with its Arabic title and the Saudi party\'s official name, then the agreement page shows both as written', async () => {
    const page = await openForm('agreements/new');
    expect(await page.isVisible('#title-ar')).to.equal(false);
    await page.fill('#title-id', 'Pengaturan Teknis Penempatan Pekerja Domestik');
    await page.fill('#title-en', 'Technical Arrangement on the Placement of Domestic Workers');
    await page.check('#authentic-ar');
    expect(await page.isVisible('#title-ar')).to.equal(true);
    expect(await page.locator('label[for="title-ar"]').textContent()).to.equal('Judul dalam bahasa Arab');
    expect(await page.getAttribute('#title-ar', 'dir')).to.equal('rtl');
    expect(await page.getAttribute('#title-ar', 'lang')).to.equal('ar');
    await page.fill('#title-ar', TITLE_AR);
    // a title typed for a language then unticked is not sent (the API would refuse it)
    await page.check('#authentic-ms');
    await page.fill('#title-ms', 'Pengaturan Teknikal Penempatan Pekerja Domestik');
    await page.uncheck('#authentic-ms');
    expect(await page.isVisible('#title-ms')).to.equal(false);
    await page.fill('#parties-1-name', 'Kerajaan Arab Saudi');
    await page.fill('#parties-1-officialName', SAUDI);
    await page.fill('#parties-1-country', 'SA');
    await b.shot(page, 'form-other-titles-id');
    expect(await axeViolations(page)).to.deep.equal([]);
    await page.click('#form-submit');
    await page.waitForSelector('#detail-flash');
    expect(await page.locator('#detail-flash').textContent()).to.match(/^Perjanjian dibuat: /);

    const arabic = page.locator('[data-title-lang="ar"]');
    expect(await arabic.getAttribute('dir')).to.equal('rtl');
    expect(await arabic.textContent()).to.equal(`Arab: ${TITLE_AR}`);
    expect(await page.locator('#parties .official-name').textContent()).to.equal(SAUDI);
    expect(await page.locator('[data-title-lang="ms"]').count()).to.equal(0);

    const id = new URL(page.url()).hash.split('/')[2]!;
    const stored = (await request(b.t.app).get(`/api/agreements/${id}`).set(bearer(token))).body;
    expect(stored.title).to.deep.equal({ id: 'Pengaturan Teknis Penempatan Pekerja Domestik', en: 'Technical Arrangement on the Placement of Domestic Workers', ar: TITLE_AR });
    expect(stored.authenticLanguages).to.deep.equal(['id', 'en', 'ar']);
    expect(stored.parties[1]).to.deep.include({ name: 'Kerajaan Arab Saudi', officialName: SAUDI, country: 'SA' });
  });

  it('when the agreement is edited, then its Arabic title and official name are in their fields, a Malay title is added and an emptied official name is cleared', async () => {
    const created = await request(b.t.app)
      .post('/api/agreements')
      .set(bearer(token))
      .send({
        type: 'mou',
        title: { id: 'MoU Uji Bahasa', en: 'Language Test MoU', ar: TITLE_AR },
        authenticLanguages: ['id', 'en', 'ar'],
        parties: [
          { name: 'Republik Indonesia', kind: 'state', country: 'ID' },
          { name: 'Kerajaan Arab Saudi', officialName: SAUDI, kind: 'state', country: 'SA' },
        ],
      });
    expect(created.status).to.equal(201);
    const page = await openForm(`agreements/${created.body.id}/edit`, { lang: 'en', phone: true });
    expect(await page.inputValue('#title-ar')).to.equal(TITLE_AR);
    expect(await page.locator('label[for="title-ar"]').textContent()).to.equal('Title in Arabic');
    expect(await page.inputValue('#parties-1-officialName')).to.equal(SAUDI);
    expect(await page.locator('label[for="parties-1-officialName"]').textContent()).to.equal('Official name in its own script');
    await page.check('#authentic-ms');
    await page.fill('#title-ms', 'MoU Ujian Bahasa');
    await page.fill('#parties-1-officialName', '');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).to.be.at.most(0);
    await b.shot(page, 'form-other-titles-en-phone');
    expect(await axeViolations(page)).to.deep.equal([]);
    await page.click('#form-submit');
    await page.waitForFunction(() => document.querySelector('#detail-flash')?.textContent === 'Changes saved.');
    expect(await page.locator('[data-title-lang="ms"]').textContent()).to.equal('Malay: MoU Ujian Bahasa');
    expect(await page.locator('#parties .official-name').count()).to.equal(0);

    const stored = (await request(b.t.app).get(`/api/agreements/${created.body.id}`).set(bearer(token))).body;
    expect(stored.title).to.deep.equal({ id: 'MoU Uji Bahasa', en: 'Language Test MoU', ar: TITLE_AR, ms: 'MoU Ujian Bahasa' });
    expect(stored.authenticLanguages).to.include('ms');
    expect(stored.parties[1].officialName).to.equal(null);
  });

  it('when an agreement has titles in Arabic, Dhivehi, Pashto and Malay, then the page and the form set each one\'s direction as its script runs, and a browser without text info lets the text decide', async () => {
    // Dhivehi is written in Thaana, right to left: V8's text info says otherwise, the page must not
    const TITLE_DV = 'ދިވެހިރާއްޖޭގެ ސަރުކާރާއި އިންޑޮނީޝިއާގެ ސަރުކާރާ ދެމެދު ވެވޭ އެއްބަސްވުން';
    const TITLE_PS = 'د کډوالو کارګرانو د ساتنې تفاهم لیک';
    const created = await request(b.t.app)
      .post('/api/agreements')
      .set(bearer(token))
      .send({
        type: 'mou',
        title: { id: 'MoU Uji Arah Tulisan', en: 'Script Direction Test MoU', ar: TITLE_AR, dv: TITLE_DV, ps: TITLE_PS, ms: 'MoU Ujian Arah Tulisan' },
        authenticLanguages: ['id', 'en', 'ar', 'dv', 'ps', 'ms'],
        parties: [
          { name: 'Republik Indonesia', kind: 'state', country: 'ID' },
          { name: 'Republik Maladewa', kind: 'state', country: 'MV' },
        ],
      });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const directions = (p: Page) =>
      p.evaluate(() => Object.fromEntries([...document.querySelectorAll('[data-title-lang]')].map((el) => [el.getAttribute('data-title-lang'), getComputedStyle(el).direction])));

    context = await b.newContext({ lang: 'en' });
    const page = await b.signIn(context, drafter);
    await page.goto(`${b.baseUrl}/#/agreements/${created.body.id}`);
    await page.waitForSelector('[data-title-lang="dv"]');
    expect(await directions(page)).to.deep.equal({ ar: 'rtl', dv: 'rtl', ps: 'rtl', ms: 'ltr' });
    expect(await page.getAttribute('[data-title-lang="dv"]', 'dir')).to.equal('rtl');
    await b.shot(page, 'titles-direction-en', { fullPage: false });
    await page.goto(`${b.baseUrl}/#/agreements/${created.body.id}/edit`);
    await page.waitForSelector('#agreement-form');
    for (const code of ['ar', 'dv', 'ps']) expect(await page.getAttribute(`#title-${code}`, 'dir'), code).to.equal('rtl');
    expect(await page.locator('#title-ms').evaluate((el) => getComputedStyle(el).direction)).to.equal('ltr');

    // a browser without Intl.Locale's text info (Firefox): the direction is left to the text (dir="auto")
    const bare = await b.newContext({ lang: 'id', viewport: PHONE });
    // as source text: a compiled function would carry the test runner's helpers into the page
    await bare.addInitScript({ content: "delete Intl.Locale.prototype.getTextInfo; Object.defineProperty(Intl.Locale.prototype, 'textInfo', { get: () => undefined, configurable: true });" });
    const phone = await b.signIn(bare, drafter);
    await phone.goto(`${b.baseUrl}/#/agreements/${created.body.id}`);
    await phone.waitForSelector('[data-title-lang="dv"]');
    expect(await directions(phone)).to.deep.equal({ ar: 'rtl', dv: 'rtl', ps: 'rtl', ms: 'ltr' });
    expect(await phone.getAttribute('[data-title-lang="ar"]', 'dir'), 'left to the text').to.equal('auto');
    await b.shot(phone, 'titles-direction-id-phone-no-textinfo', { fullPage: false });
  });

  it('when the Saudi party\'s signatory is named in Arabic with a bracketed note, then the parties table shows the name right to left with its brackets in place', async () => {
    const name = 'معالي وزير الموارد البشرية (بالنيابة)';
    const title = 'وزير الموارد البشرية والتنمية الاجتماعية.';
    const created = await saudiArrangement({ id: 'Pengaturan Teknis Uji Penanda Tangan', en: 'Signatory Test Arrangement' }, [
      { name: 'Republik Indonesia', kind: 'state', country: 'ID' },
      { name: 'Kerajaan Arab Saudi', officialName: SAUDI, kind: 'state', country: 'SA', signatory: { name, title } },
    ]);
    for (const options of [{ lang: 'en' as const, phone: true }, { lang: 'id' as const }]) {
      context = await b.newContext({ lang: options.lang, viewport: options.phone ? PHONE : undefined });
      const page = await b.signIn(context, drafter);
      await page.goto(`${b.baseUrl}/#/agreements/${created.id}`);
      await page.waitForSelector('#parties tbody tr');
      const cell = page.locator('#parties tbody tr:nth-child(2) td').nth(1);
      expect(await cell.innerText()).to.equal(`${name}\n${title}`);
      // where the first and the last character are drawn: right to left, the last (the closing
      // bracket, the full stop) is left of the first; shown left to right it lands at the far right
      const placement = await cell.evaluate((td) =>
        [...td.querySelectorAll('div')].map((div) => {
          const text = div.firstChild!;
          const [first, last] = [0, text.textContent!.length - 1].map((from) => {
            const range = document.createRange();
            range.setStart(text, from);
            range.setEnd(text, from + 1);
            return range.getBoundingClientRect().left;
          });
          return { direction: getComputedStyle(div).direction, lastLeftOfFirst: last! < first! };
        }),
      );
      expect(placement).to.deep.equal([
        { direction: 'rtl', lastLeftOfFirst: true },
        { direction: 'rtl', lastLeftOfFirst: true },
      ]);
      await b.shot(page, `parties-arabic-signatory-${options.lang}`);
    }
  });

  it('when the Saudi party signs in Riyadh, written in Arabic, then the place stands apart from the date in the parties table and the signing dialog takes Arabic right to left', async () => {
    const place = 'الرياض (قصر اليمامة)';
    const created = await saudiArrangement({ id: 'Pengaturan Teknis Uji Tempat', en: 'Signing Place Test Arrangement' }, [
      { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Menteri Ketenagakerjaan' } },
      { name: 'Kerajaan Arab Saudi', officialName: SAUDI, kind: 'state', country: 'SA', signatory: { name: 'Minister of Human Resources' } },
    ]);
    const ready = await toAwaitingSignature(b.t, token, created.id);
    const saudi = ready.parties.find((p: any) => p.country === 'SA');
    expect((await signVia(b.t, token, created.id, saudi.id, { place })).status).to.equal(200);

    context = await b.newContext({ viewport: PHONE });
    const page = await b.signIn(context, drafter);
    await page.goto(`${b.baseUrl}/#/agreements/${created.id}`);
    await page.waitForSelector('#parties tbody tr');
    // isolated from the date before it, so its brackets and words keep their order
    const signedCell = page.locator('#parties tbody tr:nth-child(2) td').nth(3);
    expect(await signedCell.locator('bdi').textContent()).to.equal(place);
    await b.shot(page, 'parties-arabic-place-id-phone');

    await page.locator('#parties tbody tr:nth-child(1) .sign-party').click();
    await page.waitForSelector('#sign-dialog[open]');
    await page.fill('#place', place);
    expect(await page.locator('#place').evaluate((input) => getComputedStyle(input).direction)).to.equal('rtl');
    await page.fill('#place', 'Jakarta');
    expect(await page.locator('#place').evaluate((input) => getComputedStyle(input).direction)).to.equal('ltr');
  });
});
