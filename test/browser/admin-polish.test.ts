import { expect } from 'chai';
import request from 'supertest';
import type { Page } from 'playwright-core';
import { axeViolations, LAPTOP, PHONE, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';

/**
 * What a new user's walk through the administration, audit, calendar and board pages found, in
 * Debian's Chromium: a holiday replaced or removed without asking, nothing to restore it; a hash
 * that widened a phone's page; tables scrolling sideways on a phone; a refusal that named the wrong
 * thing and a role choice left showing what was refused; pages a role may not use shown with their
 * forms; the browser's own validation bubbles in the browser's language; codes instead of words.
 */
describe('web interface: administration and the pages around it, as a new user found them', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let admin: TestUser;
  let diplomat: TestUser;
  let auditor: TestUser;
  let agreement: Record<string, any>;

  useBrowserHarness('web_admin_polish', async (harness) => {
    b = harness;
    // the only admin: the last-admin refusals depend on it
    admin = await createUser(b.t, { role: 'admin', name: 'Ayu Administrator' });
    diplomat = await createUser(b.t, { role: 'diplomat', name: 'Dimas Diplomat' });
    auditor = await createUser(b.t, { role: 'auditor', name: 'Sari Auditor' });
    const drafter = await createUser(b.t, { role: 'drafter', name: 'Rina Perancang' });
    const drafterToken = (await loginAs(b.t, 'drafter', { user: drafter })).token;
    agreement = await createAgreementVia(b.t, drafterToken, { title: { id: 'Nota Kesepahaman Uji Tampilan', en: 'Display Test Memorandum' } });
    // due in two days: the "3 days before" reminder is due at once, so the sweep records deliveries
    const due = new Date(Date.now() + 2 * 24 * 60 * 60 * 1000).toISOString();
    const deadline = await request(b.t.app).post(`/api/agreements/${agreement.id}/deadlines`).set(bearer(drafterToken)).send({ kind: 'custom', dueAt: due, note: 'Kirim tanggapan', recipients: [diplomat.email] });
    expect(deadline.status, JSON.stringify(deadline.body)).to.equal(201);
    const adminToken = (await loginAs(b.t, 'admin', { user: admin })).token;
    const sweep = await request(b.t.app).post('/api/reminders/sweep').set(bearer(adminToken)).send({});
    expect(sweep.body.remindersRecorded, JSON.stringify(sweep.body)).to.be.greaterThan(0);
    await request(b.t.app).put('/api/reminders/escalation/PWNI').set(bearer(adminToken)).send({ emails: ['direktur.pelindungan.wni@kemlu.go.id', 'sekretaris.direktorat@kemlu.go.id'] });
  });

  async function signIn(user: TestUser, { lang = 'id', viewport = LAPTOP }: { lang?: 'id' | 'en'; viewport?: { width: number; height: number } } = {}): Promise<Page> {
    const context = await b.newContext({ lang, viewport });
    return b.signIn(context, user);
  }

  /**
   * Opens a page and waits for `ready` drawn by it. Only the hash changes between pages, so the
   * document stays and the previous page's elements would match `ready` at once (two agreement
   * pages both show an error): they are marked first, and only an unmarked match counts.
   */
  async function go(page: Page, hash: string, ready: string) {
    await page.evaluate(() => document.querySelectorAll('main > *').forEach((el) => el.setAttribute('data-left', '')));
    await page.goto(`${b.baseUrl}/${hash}`);
    await page.waitForFunction((selector) => [...document.querySelectorAll(selector)].some((el) => !el.closest('[data-left]')), ready);
  }

  const text = (page: Page, selector: string) => page.locator(selector).first().innerText();
  const focused = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
  const noAxeViolations = async (page: Page, label: string) => expect(await axeViolations(page), `axe on ${label}`).to.deep.equal([]);

  it('when an admin adds a holiday on a date that has one, then it says which one it replaces and asks first; Escape leaves it as it was', async () => {
    const page = await signIn(admin);
    await go(page, '#/admin?tab=holidays&year=2026', '#holidays-list[aria-busy="false"]');
    await page.fill('#holiday-date', '2026-12-25');
    await page.fill('#holiday-name-id', 'Natal (uji)');
    await page.fill('#holiday-name-en', 'Christmas (test)');
    await page.click('#holiday-add-submit');
    await page.waitForSelector('#holiday-replace-dialog[open]');
    expect(await text(page, '#holiday-replace-dialog h2')).to.equal('Ganti hari libur 25 Des 2026?');
    expect(await text(page, '#holiday-replace-dialog-text')).to.equal('Tanggal ini sudah tercatat sebagai Kelahiran Yesus Kristus (Hari libur nasional, SKB resmi). Isian baru akan menggantikannya.');
    await noAxeViolations(page, 'replace dialog');
    await b.shot(page, 'polish-holiday-replace-id-laptop', { fullPage: false });
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('#holiday-replace-dialog'));
    expect(await focused(page)).to.equal('holiday-add-submit');
    expect(await text(page, 'tr[data-date="2026-12-25"] td:nth-of-type(2)')).to.equal('Kelahiran Yesus Kristus');

    await page.click('#holiday-add-submit');
    await page.click('#holiday-replace-dialog-ok');
    await page.waitForSelector('.alert-success');
    expect(await text(page, '.alert-success')).to.equal('Hari libur 25 Des 2026 diganti. Tenggat yang ditetapkan mulai sekarang memperhitungkannya.');
    expect(await text(page, 'tr[data-date="2026-12-25"] td:nth-of-type(2)')).to.equal('Natal (uji)');
    expect(await text(page, 'tr[data-date="2026-12-25"] td:nth-of-type(3)')).to.equal('Ditambahkan admin');
  });

  it('when an admin removes a shipped holiday, then it asks, naming the holiday and what happens to deadlines, and the holiday can be restored as shipped', async () => {
    const page = await signIn(admin, { lang: 'en' });
    await go(page, '#/admin?tab=holidays&year=2026', '#holidays-list[aria-busy="false"]');
    expect(await text(page, 'tr[data-date="2026-08-17"] td:nth-of-type(3)')).to.equal('Official decree');
    await page.click('#remove-2026-08-17');
    await page.waitForSelector('#holiday-remove-dialog[open]');
    expect(await text(page, '#holiday-remove-dialog h2')).to.equal('Remove the holiday on 17 Aug 2026?');
    expect(await text(page, '#holiday-remove-dialog-text')).to.equal(
      'Independence Day becomes a working day. Deadlines set from now on count it as one; deadlines already running keep their dates.\n\nThis holiday comes from the national holiday list and can be restored later.',
    );
    await page.click('#holiday-remove-dialog-cancel');
    await page.waitForFunction(() => !document.querySelector('#holiday-remove-dialog'));
    expect(await page.locator('tr[data-date="2026-08-17"]').count()).to.equal(1);

    await page.click('#remove-2026-08-17');
    await page.click('#holiday-remove-dialog-ok');
    await page.waitForSelector('#holidays-removed');
    expect(await page.locator('tr[data-date="2026-08-17"]').count()).to.equal(0);
    expect(await text(page, '.alert-success')).to.equal('Holiday 17 Aug 2026 removed; it is now a working day.');
    expect(await text(page, '#holidays-removed li')).to.contain('17 Aug 2026 · Independence Day (Public holiday)');
    await noAxeViolations(page, 'removed holidays');
    await b.shot(page, 'polish-holiday-removed-en-laptop');

    await page.click('#restore-2026-08-17');
    await page.waitForSelector('tr[data-date="2026-08-17"]');
    expect(await text(page, '.alert-success')).to.equal('Holiday 17 Aug 2026 restored. Deadlines set from now on take it into account.');
    expect(await text(page, 'tr[data-date="2026-08-17"] td:nth-of-type(3)')).to.equal('Official decree');
    expect(await page.locator('#holidays-removed').count()).to.equal(0);
  });

  it('when an admin removes a holiday that falls on a Sunday, then the dialog and the result say the day stays off, not that it becomes a working day', async () => {
    const page = await signIn(admin);
    await go(page, '#/admin?tab=holidays&year=2026', '#holidays-list[aria-busy="false"]');
    await page.click('#remove-2026-04-05');
    await page.waitForSelector('#holiday-remove-dialog[open]');
    expect(await text(page, '#holiday-remove-dialog-text')).to.equal(
      'Kebangkitan Yesus Kristus (Paskah) jatuh pada hari Minggu, yang tetap bukan hari kerja: tidak ada tenggat yang berubah karenanya.\n\nHari libur ini berasal dari daftar hari libur nasional dan dapat dipulihkan nanti.',
    );
    await page.click('#holiday-remove-dialog-ok');
    await page.waitForSelector('#holidays-removed');
    expect(await text(page, '.alert-success')).to.equal('Hari libur 5 Apr 2026 dihapus; tanggal itu tetap hari libur akhir pekan.');
    await page.click('#restore-2026-04-05');
    await page.waitForSelector('tr[data-date="2026-04-05"]');

    // a weekday holiday still becomes a working day, in English too
    const en = await signIn(admin, { lang: 'en' });
    await go(en, '#/admin?tab=holidays&year=2026', '#holidays-list[aria-busy="false"]');
    await en.click('#remove-2026-04-05');
    await en.waitForSelector('#holiday-remove-dialog[open]');
    expect(await text(en, '#holiday-remove-dialog-text')).to.match(/^Easter Sunday falls on a Sunday, which stays a day off: no deadline changes because of it\./);
    await en.click('#holiday-remove-dialog-cancel');
    await en.click('#remove-2026-01-16');
    await en.waitForSelector('#holiday-remove-dialog[open]');
    expect(await text(en, '#holiday-remove-dialog-text')).to.match(/^Isra Mi'raj of the Prophet Muhammad becomes a working day\./);
  });

  it('when the admin pages are shown on a phone, then nothing scrolls sideways and each table reads as cards, in words', async () => {
    for (const lang of ['id', 'en'] as const) {
      const page = await signIn(admin, { lang, viewport: PHONE });
      for (const [name, hash, ready] of [
        ['holidays', '#/admin?tab=holidays&year=2026', '#holidays-list[aria-busy="false"]'],
        ['reminders', '#/admin?tab=reminders', '#deliveries-recent[aria-busy="false"]'],
        ['escalation', '#/admin?tab=escalation', '#escalation-list[aria-busy="false"]'],
      ]) {
        await go(page, hash, ready);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} ${lang}`).to.be.at.most(PHONE.width);
        const wider = await page.evaluate(() => [...document.querySelectorAll('.table-wrap')].filter((w) => w.scrollWidth > w.clientWidth).map((w) => w.getAttribute('aria-label')));
        expect(wider, `tables scrolling sideways on ${name} ${lang}`).to.deep.equal([]);
        await noAxeViolations(page, `${name} ${lang} phone`);
        await b.shot(page, `polish-admin-${name}-${lang}-phone`);
      }
      // the deliveries say their channel and rung in words, each under its label
      await go(page, '#/admin?tab=reminders', '#deliveries-recent[aria-busy="false"]');
      const row = page.locator('#deliveries-recent tbody tr').first();
      const cells = await row.locator('td').evaluateAll((tds) => tds.map((td) => `${(td as HTMLElement).dataset.label}: ${(td as HTMLElement).innerText}`));
      expect(await page.locator('#deliveries-recent thead').boundingBox().then((box) => box!.height)).to.be.at.most(1);
      expect(cells).to.include(lang === 'id' ? 'Saluran: E-mail' : 'Channel: E-mail');
      expect(cells).to.include(lang === 'id' ? 'Jadwal: 3 hari sebelum tenggat' : 'Slot: 3 days before the deadline');
    }
  });

  it('when an auditor verifies one agreement on a phone, then its 64-character hash wraps and the page does not scroll sideways', async () => {
    const page = await signIn(auditor, { lang: 'en', viewport: PHONE });
    await go(page, '#/audit', '#verify-all');
    await page.fill('#audit-q', agreement.code);
    await page.click('#audit-find');
    await page.click(`#verify-${agreement.id}`);
    await page.waitForSelector('.audit-item-result .alert');
    expect(await text(page, '.audit-item-result .alert')).to.match(/^Chain intact: \d+ events? checked\. Last hash: [0-9a-f]{64}$/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(PHONE.width);
    await b.shot(page, 'polish-audit-en-phone');
  });

  it('when the last active admin disables themself or changes their own role, then the refusal says what was refused and the role shown stays admin', async () => {
    const page = await signIn(admin);
    await go(page, '#/admin', '#users-list[aria-busy="false"]');
    const row = page.locator(`tr[data-email="${admin.email}"]`);
    // disabling asks first; the refusal shows in the dialog that asked
    await page.click(`#toggle-${admin.id}`);
    await page.click('#user-disable-dialog-ok');
    await page.locator('#user-disable-dialog .alert-error').waitFor();
    expect(await page.locator('#user-disable-dialog .alert-error').innerText()).to.equal('Admin aktif terakhir tidak dapat dinonaktifkan: aktifkan atau tambahkan admin lain terlebih dahulu');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('#user-disable-dialog'));

    await page.selectOption(`#role-${admin.id}`, 'diplomat');
    await page.click(`#role-save-${admin.id}`);
    await page.waitForFunction((id) => document.querySelector(`#user-${id}`)?.closest('tr')?.querySelector('.alert-error')?.textContent?.includes('Peran'), admin.id);
    expect(await row.locator('.alert-error').innerText()).to.equal('Peran admin aktif terakhir tidak dapat diubah: aktifkan atau tambahkan admin lain terlebih dahulu');
    expect(await page.inputValue(`#role-${admin.id}`)).to.equal('admin');
  });

  it('when a diplomat opens the admin or audit page, or an address that names no page, then the page says so in words, with no form and a way back', async () => {
    for (const lang of ['id', 'en'] as const) {
      const page = await signIn(diplomat, { lang });
      await go(page, '#/admin', '#route-message');
      expect(await text(page, 'main h1')).to.equal(lang === 'id' ? 'Halaman ini khusus untuk administrator' : 'This page is for administrators only');
      expect(await text(page, '#route-message')).to.equal(
        lang === 'id'
          ? 'Anda masuk sebagai Diplomat, sehingga halaman Administrasi tidak dapat Anda buka. Bila Anda memerlukannya, hubungi administrator.'
          : 'You are signed in as Diplomat, so the Administration page is not open to you. If you need it, ask an administrator.',
      );
      expect(await page.locator('main form, main input, main select, main button').count()).to.equal(0);
      expect(await page.locator('main').innerText()).not.to.contain("'diplomat'");
      expect(await page.evaluate(() => document.activeElement?.tagName)).to.equal('H1');
      await noAxeViolations(page, `denied ${lang}`);
      await b.shot(page, `polish-denied-admin-${lang}-laptop`);

      await go(page, '#/audit', '#route-message');
      expect(await text(page, 'main h1')).to.equal(lang === 'id' ? 'Halaman ini khusus untuk auditor dan administrator' : 'This page is for auditors and administrators only');
      expect(await page.locator('main form, main input, main button').count()).to.equal(0);

      await go(page, '#/tidak-ada', '#route-message');
      expect(location(page)).to.equal('#/tidak-ada');
      expect(await text(page, 'main h1')).to.equal(lang === 'id' ? 'Halaman tidak ditemukan' : 'Page not found');
      expect(await page.getAttribute('#route-to-board', 'href')).to.equal('#/agreements');
      await noAxeViolations(page, `not found ${lang}`);

      // a malformed id and one that names no agreement
      for (const id of ['abc', 'aaaaaaaaaaaaaaaaaaaaaaaa']) {
        await go(page, `#/agreements/${id}`, 'main .alert-error');
        const said = (await page.locator('main').innerText()).toLowerCase().match(/tidak ditemukan|not found/g) ?? [];
        expect(said, await page.locator('main').innerText()).to.have.length(1);
      }
    }
    // the auditor still has the audit page, the admin both
    const auditorPage = await signIn(auditor);
    await go(auditorPage, '#/audit', '#verify-all');
    await go(auditorPage, '#/admin', '#route-message');
  });

  it('when the filter drawer is open on a phone and Escape is pressed, then it closes and focus is back on its button', async () => {
    const page = await signIn(diplomat, { viewport: PHONE });
    await page.tap('#filters-toggle');
    await page.focus('#filter-q');
    await page.keyboard.press('Escape');
    expect(await page.getAttribute('#filters-toggle', 'aria-expanded')).to.equal('false');
    expect(await page.locator('#filters').isVisible()).to.equal(false);
    expect(await focused(page)).to.equal('filters-toggle');
  });

  it('when the add-user form is shown on a laptop, then its five controls stand level, the password’s hint under it', async () => {
    const page = await signIn(admin, { viewport: { width: 1280, height: 900 } });
    await go(page, '#/admin', '#user-create');
    const tops = await page.evaluate(() => ['new-name', 'new-email', 'new-role', 'new-unit', 'new-password'].map((id) => Math.round(document.getElementById(id)!.getBoundingClientRect().top)));
    expect(new Set(tops).size, String(tops)).to.equal(1);
    await b.shot(page, 'polish-user-form-id-1280');
  });

  it('when a form is sent with a wrong value, then what is wrong is said in the page’s language and the first wrong field has focus', async () => {
    const page = await signIn(admin);
    await go(page, '#/admin', '#users-list[aria-busy="false"]');
    const posts: string[] = [];
    page.on('request', (r) => r.method() !== 'GET' && posts.push(r.url()));
    await page.fill('#new-email', 'bukan-email');
    await page.fill('#new-password', 'pendek');
    await page.click('#user-create-submit');
    await page.waitForSelector('#user-form-result [role=alert]');
    expect(await text(page, '#user-form-result [role=alert]')).to.equal('Periksa isian berikut:\n\nNama: wajib diisi\nE-mail: bukan alamat e-mail yang valid\nKata sandi awal: minimal 10 karakter');
    expect(await focused(page)).to.equal('new-name');
    expect(await page.getAttribute('#new-email', 'aria-invalid')).to.equal('true');
    expect(posts).to.deep.equal([]);

    // a new password too short: said beside the form, which stays to be corrected
    await page.click(`#reset-${diplomat.id}`);
    await page.fill(`#pw-${diplomat.id}`, 'abc');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#pw-result-${diplomat.id} [role=alert]`);
    expect(await text(page, `#pw-result-${diplomat.id} [role=alert]`)).to.equal('Periksa isian berikut:\n\nKata sandi baru: minimal 10 karakter');
    expect(await page.locator(`#pw-${diplomat.id}`).count()).to.equal(1);
    expect(posts).to.deep.equal([]);

    // the board's country filter, in English on a phone
    const board = await signIn(diplomat, { lang: 'en', viewport: PHONE });
    const before = location(board);
    await board.tap('#filters-toggle');
    await board.fill('#filter-country', 'q');
    await board.tap('#filter-apply');
    await board.waitForSelector('#filters-problems [role=alert]');
    expect(await text(board, '#filters-problems [role=alert]')).to.equal('Please check what was entered:\n\nCountry: enter a two- or three-letter ISO code, e.g. MY');
    expect(await focused(board)).to.equal('filter-country');
    expect(location(board)).to.equal(before);
    await b.shot(board, 'polish-board-country-en-phone');
  });

  it('when a deadline is open, then its button says it records the outcome, not that it closes something', async () => {
    for (const [lang, label] of [['id', 'Catat hasil'], ['en', 'Record outcome']] as const) {
      const page = await signIn(diplomat, { lang });
      await go(page, `#/agreements/${agreement.id}`, 'button.deadline-close');
      expect(await text(page, 'button.deadline-close')).to.equal(label);
    }
  });

  it('when a month without deadlines is shown on a phone, then no blank gap follows it and the month buttons sit two above one', async () => {
    for (const lang of ['id', 'en'] as const) {
      const page = await signIn(diplomat, { lang, viewport: PHONE });
      await go(page, '#/calendar?month=2031-01', '#calendar-body[aria-busy="false"]');
      const gap = await page.evaluate(() => document.getElementById('feed')!.getBoundingClientRect().top - document.getElementById('cal-none')!.getBoundingClientRect().bottom);
      expect(gap, `${lang}: space between the empty month and the next card`).to.be.at.most(24);
      const box = (id: string) => page.evaluate((i) => document.getElementById(i)!.getBoundingClientRect().toJSON(), id);
      const [prev, next, today] = [await box('cal-prev'), await box('cal-next'), await box('cal-today')];
      expect(prev.top, lang).to.equal(next.top);
      expect(today.top, lang).to.be.greaterThan(prev.bottom);
      // each label on one line
      expect(Math.max(prev.height, next.height, today.height), lang).to.be.below(48);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(PHONE.width);
      await b.shot(page, `polish-calendar-empty-${lang}-phone`);
    }
  });
});

function location(page: Page): string {
  return new URL(page.url()).hash;
}
