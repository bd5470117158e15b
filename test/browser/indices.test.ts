import { expect } from 'chai';
import request from 'supertest';
import type { Page } from 'playwright-core';
import { axeViolations, PHONE, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia, signVia, toAwaitingSignature } from '../support/agreements.js';
import { ensureShippedIndices } from '../../domain/indices/shipped-indices.js';

/**
 * Performance indices in the browser: the admin tab (names by year, adding, renaming from a year,
 * retiring and reinstating), an agreement's indices (listed for everyone, ticked by a drafter in a
 * dialog and then counted by the reports), and the names each place shows for the year that
 * matters: the event's in the history, the report's in the reports filter.
 */
describe('web interface: performance indices', function () {
  this.timeout(180_000);

  let b: BrowserHarness;
  let admin: TestUser;
  let drafter: TestUser;
  let diplomat: TestUser;
  let adminToken: string;
  let drafterToken: string;

  /** The reporting year now (Jakarta's calendar), as the pages count it. */
  const YEAR = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric' }).format(new Date()));
  const DIPLOMACY = 'Indeks Diplomasi Pelindungan WNI di Luar Negeri';
  const DIPLOMACY_EN = 'Index of Diplomacy for the Protection of Indonesian Citizens Abroad';
  const INSTITUTIONS = 'Indeks Penguatan Sistem Kelembagaan Pelayanan dan Pelindungan WNI di Luar Negeri';

  useBrowserHarness('web_indices', async (harness) => {
    b = harness;
    await ensureShippedIndices(b.t.ctx);
    admin = await createUser(b.t, { role: 'admin', name: 'Ayu Administrator' });
    drafter = await createUser(b.t, { role: 'drafter', name: 'Rina Perancang' });
    diplomat = await createUser(b.t, { role: 'diplomat', name: 'Dimas Diplomat' });
    adminToken = (await loginAs(b.t, 'admin', { user: admin })).token;
    drafterToken = (await loginAs(b.t, 'drafter', { user: drafter })).token;
  });

  async function openTab(user: TestUser, options: { lang?: 'id' | 'en'; viewport?: { width: number; height: number } } = {}): Promise<Page> {
    const context = await b.newContext({ lang: options.lang, viewport: options.viewport });
    const page = await b.signIn(context, user);
    await page.goto(`${b.baseUrl}/#/admin?tab=indices`);
    await page.waitForSelector('#indices-list[aria-busy="false"] table');
    return page;
  }

  const row = (page: Page, code: string) => page.locator(`#indices-list tr[data-code="${code}"]`);
  /** Each name of an index as "years name", in the page's language. */
  const namesOf = async (page: Page, code: string) =>
    row(page, code)
      .locator('.index-names li')
      .evaluateAll((lis) => lis.map((li) => `${li.querySelector('.index-years')!.textContent} ${li.querySelector('.index-name')!.textContent}`));
  const focused = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

  /** The options of the reports page's index filter for a period given in the address. */
  async function filterOptions(page: Page, hash: string): Promise<string[]> {
    // the page is drawn anew: wait for the new filter, not the one already there
    await page.evaluate(() => document.querySelector('#report-index')?.setAttribute('data-stale', ''));
    await page.goto(`${b.baseUrl}/#/reports?${hash}`);
    await page.waitForFunction(() => document.querySelectorAll('#report-index:not([data-stale]) option').length > 1);
    return page.locator('#report-index option').allTextContents();
  }

  async function indexVersion(code: string): Promise<number> {
    const res = await request(b.t.app).get('/api/indices').set(bearer(adminToken));
    return res.body.items.find((i: any) => i.code === code).version;
  }

  it('when an admin adds an index from a year, then the tab lists it with its names, refuses a taken code in the page’s language, and the reports filter offers it from that year on only', async () => {
    const context = await b.newContext();
    const page = await b.signIn(context, admin);
    await page.click('#nav-admin');
    await page.click('#tab-indices');
    await page.waitForSelector('#indices-list[aria-busy="false"] table');
    expect(await page.locator('#admin-body h2').first().textContent()).to.equal('Indeks kinerja');
    expect(await page.locator('#indices-list tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.code))).to.deep.equal([
      'information_systems',
      'institutional_strengthening',
      'protection_diplomacy',
    ]);
    expect(await row(page, 'protection_diplomacy').locator('.index-state').textContent()).to.equal('Berlaku sejak 2022');

    // a code the API would refuse is said so here, in the page's words
    await page.fill('#index-code', 'Pelayanan Konsuler');
    await page.fill('#index-name-id', 'Indeks Pelayanan Kekonsuleran');
    await page.fill('#index-name-en', 'Consular Services Index');
    await page.click('#index-add-submit');
    expect(await page.locator('#index-form-result .alert').textContent()).to.equal('Periksa isian berikut:Kode: hanya 2–60 huruf kecil, angka, atau garis bawah');
    expect(await page.getAttribute('#index-code', 'aria-invalid')).to.equal('true');
    expect(await focused(page)).to.equal('index-code');

    await page.fill('#index-code', 'consular_services');
    await page.fill('#index-from-year', String(YEAR));
    await page.click('#index-add-submit');
    await page.waitForSelector('#index-add-dialog[open]');
    expect(await page.locator('#index-add-dialog h2').textContent()).to.equal('Tambahkan indeks consular_services?');
    expect(await page.locator('#index-add-dialog').textContent()).to.contain('Indeks tidak dapat dihapus');
    // cancelled: nothing added, focus back on the button
    await page.keyboard.press('Escape');
    await page.waitForSelector('#index-add-dialog', { state: 'detached' });
    expect(await focused(page)).to.equal('index-add-submit');
    expect(await row(page, 'consular_services').count()).to.equal(0);

    await page.click('#index-add-submit');
    await page.click('#index-add-dialog-ok');
    await row(page, 'consular_services').waitFor();
    expect(await page.locator('#indices-status').textContent()).to.equal(`Indeks “Indeks Pelayanan Kekonsuleran” ditambahkan dan berlaku mulai ${YEAR}.`);
    expect(await namesOf(page, 'consular_services')).to.deep.equal([`Mulai ${YEAR} Indeks Pelayanan Kekonsuleran`]);
    expect(await row(page, 'consular_services').locator('.index-name-other').textContent()).to.equal('Consular Services Index');
    expect(await page.inputValue('#index-code')).to.equal('');

    // the same code again: the server's refusal, in Indonesian
    await page.fill('#index-code', 'consular_services');
    await page.fill('#index-name-id', 'Indeks Lain');
    await page.fill('#index-name-en', 'Another Index');
    await page.click('#index-add-submit');
    await page.click('#index-add-dialog-ok');
    await page.waitForSelector('#index-form-result .alert-error');
    expect(await page.locator('#index-form-result .alert-error').textContent()).to.equal('Indeks “consular_services” sudah ada');
    expect(await page.getAttribute('#index-code', 'aria-invalid')).to.equal('true');

    // the reports: offered for its first year, not the year before; over several years, all of them
    expect(await filterOptions(page, `year=${YEAR}`)).to.include('Indeks Pelayanan Kekonsuleran');
    const before = await filterOptions(page, `year=${YEAR - 1}`);
    expect(before).to.not.include('Indeks Pelayanan Kekonsuleran');
    expect(before).to.include(DIPLOMACY);
    expect(await filterOptions(page, `from=${YEAR - 1}-01-01&to=${YEAR}-12-31`)).to.include('Indeks Pelayanan Kekonsuleran');
    // an address that asks for it in a year it was not in use keeps it, said so
    expect(await filterOptions(page, `year=${YEAR - 1}&index=consular_services`)).to.include(`Indeks Pelayanan Kekonsuleran (tidak berlaku pada ${YEAR - 1})`);
    expect(await page.locator('#report-index').inputValue()).to.equal('consular_services');
  });

  it('when an admin renames an index from next year, then the years before keep the old name: in the tab, in an agreement’s history and in the reports filter', async () => {
    const a = await createAgreementVia(b.t, drafterToken, { title: { id: 'MoU Uji Nama Indeks', en: 'Index Name Test MoU' } });
    const set = await request(b.t.app).put(`/api/agreements/${a.id}/indices`).set(bearer(drafterToken)).send({ indices: ['protection_diplomacy'] });
    expect(set.status).to.equal(200);

    const page = await openTab(admin);
    await page.click('#index-rename-protection_diplomacy');
    await page.waitForSelector('#index-rename-dialog[open]');
    expect(await focused(page)).to.equal('rename-year');
    await page.fill('#rename-year', String(YEAR + 1));
    expect(await page.locator('#rename-year-hint').textContent()).to.equal(`Sampai ${YEAR} tetap: “${DIPLOMACY}”.`);
    await page.fill('#rename-id', 'Indeks Diplomasi Pelindungan Warga Negara Indonesia');
    await page.fill('#rename-en', 'Index of Diplomacy for Protecting Indonesian Nationals');
    await page.click('#index-rename-dialog-ok');
    await page.waitForSelector('#index-rename-dialog', { state: 'detached' });
    await page.waitForFunction(() => document.querySelectorAll('tr[data-code="protection_diplomacy"] .index-names li').length === 2);
    expect(await namesOf(page, 'protection_diplomacy')).to.deep.equal([`2022–${YEAR} ${DIPLOMACY}`, `Mulai ${YEAR + 1} Indeks Diplomasi Pelindungan Warga Negara Indonesia`]);
    expect(await page.locator('#indices-status').textContent()).to.contain(`berlaku mulai ${YEAR + 1}`);
    expect(await focused(page)).to.equal('index-rename-protection_diplomacy');

    // the history was written this year: it names the index as it was called then, as does the summary
    await page.goto(`${b.baseUrl}/#/agreements/${a.id}`);
    await page.waitForSelector('#history tr[data-action="indices_set"]');
    expect(await page.locator('#history tr[data-action="indices_set"] .event-detail').textContent()).to.equal(DIPLOMACY);
    expect(await page.locator('#agreement-indices li').allTextContents()).to.deep.equal([DIPLOMACY]);
    await page.click('#lang-en');
    await page.waitForFunction((name) => document.querySelector('#history tr[data-action="indices_set"] .event-detail')?.textContent === name, DIPLOMACY_EN);

    // the reports: next year's filter has the new name, this year's the old one
    await page.click('#lang-id');
    expect(await filterOptions(page, `year=${YEAR + 1}`)).to.include('Indeks Diplomasi Pelindungan Warga Negara Indonesia');
    const now = await filterOptions(page, `year=${YEAR}`);
    expect(now).to.include(DIPLOMACY);
    expect(now).to.not.include('Indeks Diplomasi Pelindungan Warga Negara Indonesia');
  });

  it('when an admin retires an index in English, then the server’s refusal of its first year is in English, the tab marks it retired, Escape leaves it so and focus comes back, and it can be reinstated', async () => {
    const page = await openTab(admin, { lang: 'en' });
    await page.click('#index-retire-information_systems');
    await page.waitForSelector('#index-retire-dialog[open]');
    await page.fill('#retire-year', '2022');
    await page.click('#index-retire-dialog-ok');
    const refusal = page.locator('#index-retire-dialog .alert-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).to.equal('An index can be retired only after its first year (2022)');
    await b.shot(page, 'indices-retire-refused-en-laptop', { fullPage: false });
    await page.fill('#retire-year', String(YEAR + 1));
    expect(await page.locator('#retire-year-hint').textContent()).to.equal(`Last reported for ${YEAR}.`);
    await page.click('#index-retire-dialog-ok');
    await page.waitForSelector('#index-retire-dialog', { state: 'detached' });
    await page.waitForSelector('tr[data-code="information_systems"][data-retired="true"]');
    expect(await row(page, 'information_systems').locator('.index-state').textContent()).to.equal(`Retired from ${YEAR + 1}Reported for 2022–${YEAR}`);
    expect(await page.locator('#indices-status').textContent()).to.contain(`is retired from ${YEAR + 1}.`);
    expect(await focused(page)).to.equal('index-retire-information_systems');
    expect(await page.locator('#index-retire-information_systems').textContent()).to.equal('Reinstate');

    // the reports: not offered for a year it is retired in; over several years, marked
    const retiredYear = await filterOptions(page, `year=${YEAR + 1}`);
    expect(retiredYear.some((o) => o.startsWith('Index of the Use and Development'))).to.equal(false);
    const span = await filterOptions(page, `from=${YEAR}-01-01&to=${YEAR + 1}-12-31`);
    expect(span).to.include(`Index of the Use and Development of the Integrated Information System for Serving and Protecting Indonesian Citizens Abroad (retired from ${YEAR + 1})`);

    // reinstating asks first; Escape leaves it retired, with focus back on the button
    await page.goto(`${b.baseUrl}/#/admin?tab=indices`);
    await page.waitForSelector('#indices-list[aria-busy="false"] table');
    await page.focus('#index-retire-information_systems');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#index-reinstate-dialog[open]');
    expect(await page.locator('#index-reinstate-dialog').textContent()).to.contain(`reported for ${YEAR + 1} and the years after`);
    await page.keyboard.press('Escape');
    await page.waitForSelector('#index-reinstate-dialog', { state: 'detached' });
    expect(await focused(page)).to.equal('index-retire-information_systems');
    expect(await row(page, 'information_systems').getAttribute('data-retired')).to.equal('true');
    await page.keyboard.press('Enter');
    await page.click('#index-reinstate-dialog-ok');
    await page.waitForSelector('tr[data-code="information_systems"][data-retired="false"]');
    expect(await row(page, 'information_systems').locator('.index-state').textContent()).to.equal('In use since 2022');
    expect(await focused(page)).to.equal('index-retire-information_systems');
    expect((await request(b.t.app).get('/api/indices').set(bearer(adminToken))).body.items.find((i: any) => i.code === 'information_systems').retiredFromYear).to.equal(null);
  });

  it('when someone else changed the index meanwhile, then the rename saves nothing and says so', async () => {
    const page = await openTab(admin);
    const res = await request(b.t.app).patch('/api/indices/institutional_strengthening').set(bearer(adminToken)).send({ version: await indexVersion('institutional_strengthening'), position: 2 });
    expect(res.status).to.equal(200);
    await page.click('#index-rename-institutional_strengthening');
    await page.fill('#rename-id', 'Nama Yang Tidak Tersimpan');
    await page.click('#index-rename-dialog-ok');
    await page.waitForSelector('#index-rename-dialog #stale-notice');
    expect(await page.locator('#index-rename-dialog #stale-notice').textContent()).to.contain('Tidak ada yang disimpan.');
    const names = (await request(b.t.app).get('/api/indices').set(bearer(adminToken))).body.items.find((i: any) => i.code === 'institutional_strengthening').names;
    expect(names.map((n: any) => n.id)).to.deep.equal([INSTITUTIONS]);
  });

  it('when an admin moves an index up with the keyboard, then the tab and the API list follow the new order, focus stays with the index, and the ends offer only the way they can go', async () => {
    const page = await openTab(admin, { lang: 'en' });
    const codes = () => page.locator('#indices-list tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.code));
    const start = await codes();
    // the tests after this one expect the order as it was (the annual report's order is checked in reports-summary.test.ts)
    try {
      expect(start.slice(0, 3)).to.deep.equal(['information_systems', 'institutional_strengthening', 'protection_diplomacy']);
      expect(await page.isDisabled(`#index-up-${start[0]}`)).to.equal(true);
      expect(await page.isDisabled(`#index-down-${start.at(-1)}`)).to.equal(true);

      await page.focus('#index-up-protection_diplomacy');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('#indices-status')?.textContent?.includes('is now 2 of'));
      expect(await page.locator('#indices-status').textContent()).to.equal(`“${DIPLOMACY_EN}” is now 2 of ${start.length}. The annual report’s sections follow this order.`);
      expect(await focused(page)).to.equal('index-up-protection_diplomacy');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('#indices-status')?.textContent?.includes('is now 1 of'));
      // at the top it cannot go further up: focus moves to its other button
      expect(await focused(page)).to.equal('index-down-protection_diplomacy');
      expect(await page.isDisabled('#index-up-protection_diplomacy')).to.equal(true);
      const moved = ['protection_diplomacy', 'information_systems', 'institutional_strengthening', ...start.slice(3)];
      expect(await codes()).to.deep.equal(moved);
      const api = (await request(b.t.app).get('/api/indices').set(bearer(adminToken))).body.items.map((i: any) => i.code);
      expect(api).to.deep.equal(moved);
      await b.shot(page, 'indices-moved-en-laptop');
    } finally {
      await request(b.t.app).put('/api/indices/order').set(bearer(adminToken)).send({ codes: start }).expect(200);
    }
  });

  it('when a drafter ticks a signed agreement’s index with the keyboard, then its page lists it, a diplomat sees it without the button, and the year’s report and figures count it', async () => {
    const a = await createAgreementVia(b.t, drafterToken, { title: { id: 'MoU Uji Indeks Kelembagaan', en: 'Institutions Index Test MoU' } });
    const waiting = await toAwaitingSignature(b.t, drafterToken, a.id);
    for (const party of waiting.parties) expect((await signVia(b.t, drafterToken, a.id, party.id)).status).to.equal(200);

    const context = await b.newContext();
    const page = await b.signIn(context, drafter);
    await page.goto(`${b.baseUrl}/#/agreements/${a.id}`);
    await page.waitForSelector('#summary #indices-edit');
    expect(await page.locator('#agreement-indices').textContent()).to.equal('Belum dihitung untuk indeks kinerja mana pun.');

    // Escape closes the dialog and focus goes back to the button
    await page.focus('#indices-edit');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#indices-dialog[open]');
    expect(await page.locator('#indices-dialog legend').textContent()).to.equal(`Indeks kinerja yang berlaku pada ${YEAR}`);
    expect(await page.locator('#indices-dialog .dialog-intro').textContent()).to.equal(`Perjanjian ini ditandatangani pada ${YEAR}; laporan tahunan ${YEAR} menghitungnya untuk indeks yang dicentang.`);
    const offered = await page.locator('#indices-dialog label.check').allTextContents();
    expect(offered).to.include(INSTITUTIONS);
    expect(offered).to.include('Indeks Pelayanan Kekonsuleran');
    expect(await focused(page)).to.equal('index-information_systems');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#indices-dialog', { state: 'detached' });
    expect(await focused(page)).to.equal('indices-edit');

    // ticked with Space, saved with Enter
    await page.keyboard.press('Enter');
    await page.waitForSelector('#indices-dialog[open]');
    await page.focus('#index-institutional_strengthening');
    await page.keyboard.press('Space');
    await page.focus('#indices-dialog-ok');
    await page.keyboard.press('Enter');
    await page.waitForFunction((text) => document.querySelector('#detail-flash')?.textContent === text, `Perjanjian ini dihitung untuk: ${INSTITUTIONS}.`);
    expect(await focused(page)).to.equal('detail-flash');
    expect(await page.locator('#agreement-indices li').allTextContents()).to.deep.equal([INSTITUTIONS]);
    expect(await page.locator('#history tbody tr').last().getAttribute('data-action')).to.equal('indices_set');
    expect(await page.locator('#history tbody tr').last().locator('.event-detail').textContent()).to.equal(INSTITUTIONS);

    // the year's report counts it under the index, with a link to it
    await page.goto(`${b.baseUrl}/#/reports?year=${YEAR}&index=institutional_strengthening`);
    await page.waitForSelector('#report-figures table');
    const figure = page.locator('#report-figures tr', { hasText: `— ${INSTITUTIONS}` });
    expect(await figure.locator('td.num').textContent()).to.equal('1');
    expect(await figure.locator('a').allTextContents()).to.deep.equal([a.code]);
    await page.waitForSelector('#report-paragraphs .report-section');
    const section = page.locator('#report-paragraphs .report-section', { has: page.locator(`h3:text-is("${INSTITUTIONS}")`) });
    expect(await section.locator('a').allTextContents()).to.include('MoU Uji Indeks Kelembagaan');

    // a diplomat reads the indices, and has nothing to change them with
    const other = await b.newContext({ lang: 'en' });
    const reader = await b.signIn(other, diplomat);
    await reader.goto(`${b.baseUrl}/#/agreements/${a.id}`);
    await reader.waitForSelector('#summary #agreement-indices');
    expect(await reader.locator('#agreement-indices li').allTextContents()).to.deep.equal(['Index of Strengthening the Institutions for Serving and Protecting Indonesian Citizens Abroad']);
    expect(await reader.locator('#indices-edit').count()).to.equal(0);
  });

  for (const lang of ['id', 'en'] as const) {
    it(`when the tab and the agreement dialog are read in ${lang === 'id' ? 'Indonesian' : 'English'} on a laptop and a phone, then nothing is cut or scrolls sideways, and axe finds nothing serious`, async () => {
      // one index retired this year, so the tab shows its mark and the dialog an index no longer in use
      const systems = (await request(b.t.app).get('/api/indices').set(bearer(adminToken))).body.items.find((i: any) => i.code === 'information_systems');
      if (systems.retiredFromYear !== YEAR) {
        const retire = await request(b.t.app).patch('/api/indices/information_systems').set(bearer(adminToken)).send({ version: systems.version, retiredFromYear: YEAR });
        expect(retire.status).to.equal(200);
      }
      for (const [device, viewport] of [
        ['laptop', { width: 1280, height: 900 }],
        ['phone', PHONE],
      ] as const) {
        const page = await openTab(admin, { lang, viewport });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${device}: the page scrolls sideways`).to.be.at.most(0);
        const cut = await page.locator('.table-wrap').evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.getAttribute('aria-label')));
        expect(cut, `${device}: tables cut`).to.deep.equal([]);
        expect(await axeViolations(page), `${device}: axe`).to.deep.equal([]);
        await b.shot(page, `indices-admin-${lang}-${device}`);
        await page.click('#index-rename-protection_diplomacy');
        await page.waitForSelector('#index-rename-dialog[open]');
        expect(await axeViolations(page), `${device}: axe, rename dialog`).to.deep.equal([]);
        await b.shot(page, `indices-rename-${lang}-${device}`, { fullPage: false });
        await page.keyboard.press('Escape');

        const a = await createAgreementVia(b.t, drafterToken, { title: { id: 'MoU Uji Tampilan Indeks', en: 'Index Layout Test MoU' } });
        await request(b.t.app).put(`/api/agreements/${a.id}/indices`).set(bearer(drafterToken)).send({ indices: ['protection_diplomacy', 'information_systems', 'institutional_strengthening'] });
        const context = await b.newContext({ lang, viewport });
        const detail = await b.signIn(context, drafter);
        await detail.goto(`${b.baseUrl}/#/agreements/${a.id}`);
        await detail.waitForSelector('#summary #indices-edit');
        await detail.click('#indices-edit');
        await detail.waitForSelector('#indices-dialog[open]');
        // the retired index it still counts for is offered to be taken off, and said to be out of use
        expect(await detail.locator('#indices-dialog .index-not-in-use').allTextContents()).to.deep.equal([lang === 'id' ? ` (tidak berlaku pada ${YEAR})` : ` (not in use in ${YEAR})`]);
        expect(await detail.isChecked('#index-information_systems')).to.equal(true);
        const dialogOverflow = await detail.locator('#indices-dialog').evaluate((el) => el.scrollWidth - el.clientWidth);
        expect(dialogOverflow, `${device}: the dialog scrolls sideways`).to.be.at.most(0);
        expect(await axeViolations(detail), `${device}: axe, indices dialog`).to.deep.equal([]);
        await b.shot(detail, `indices-dialog-${lang}-${device}`, { fullPage: false });
        await detail.keyboard.press('Escape');
        expect(await detail.locator('#agreement-indices .index-not-in-use').count(), `${device}: the summary marks the retired index`).to.equal(1);
        await detail.locator('#summary').scrollIntoViewIfNeeded();
        await b.shot(detail, `indices-summary-${lang}-${device}`, { fullPage: false });
      }
    });
  }
});
