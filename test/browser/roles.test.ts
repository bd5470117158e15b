import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { Types } from 'mongoose';
import type { Page } from 'playwright-core';
import type { TestApp } from '../support/app.js';
import { axeViolations, LAPTOP, PHONE, SCREENSHOT_DIR, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia, moveVia } from '../support/agreements.js';

/**
 * Each role's work beyond the agreement page, in Debian's Chromium: the diplomat's board with
 * every filter, shared as a link, exported as CSV, and changing live when someone else acts; the
 * phone layout; the calendar; the auditor verifying every chain; the administrator adding a
 * holiday and a user. Every page is checked with axe-core in both languages and at phone width,
 * and its screenshots are kept in test/browser/screenshots/ (git-ignored) to be looked at.
 */
const SHOTS = SCREENSHOT_DIR;

describe('web interface for each role: board, live changes, phone, calendar, audit, administration', function () {
  this.timeout(90_000);

  let b: BrowserHarness | undefined;
  let t: TestApp | undefined;
  let baseUrl: string;
  let admin: TestUser;
  let drafter: TestUser;
  let diplomat: TestUser;
  let auditor: TestUser;
  let drafterToken: string;
  let malaysia: Record<string, any>;
  let saudi: Record<string, any>;
  let nine: Record<string, any>;

  useBrowserHarness('web_roles', async (harness) => {
    b = harness;
    t = b.t;
    baseUrl = b.baseUrl;

    admin = await createUser(t, { role: 'admin', name: 'Ayu Administrator' });
    drafter = await createUser(t, { role: 'drafter', name: 'Rina Perancang' });
    diplomat = await createUser(t, { role: 'diplomat', name: 'Dimas Diplomat' });
    auditor = await createUser(t, { role: 'auditor', name: 'Sari Auditor' });
    drafterToken = (await loginAs(t, 'drafter', { user: drafter })).token;

    malaysia = await createAgreementVia(t, drafterToken, { title: { id: 'Nota Kesepahaman Pekerja Domestik', en: 'Domestic Workers Memorandum' }, subjects: ['pekerja-migran'] });
    await moveVia(t, drafterToken, malaysia.id, 'negotiation');
    saudi = await createAgreementVia(t, drafterToken, {
      type: 'technical_arrangement',
      title: { id: 'Pengaturan Teknis Penempatan Satu Kanal', en: 'One-Channel Placement Arrangement' },
      parties: [
        { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Menteri Ketenagakerjaan' } },
        { name: 'Kerajaan Arab Saudi', kind: 'state', country: 'SA', signatory: { name: 'Minister of Human Resources' } },
      ],
    });
    await moveVia(t, drafterToken, saudi.id, 'negotiation');
    nine = await createAgreementVia(t, drafterToken, {
      type: 'cooperation_agreement',
      title: { id: 'Perjanjian Kerja Sama Penanganan TPPO', en: 'Trafficking Cooperation Agreement' },
      authenticLanguages: ['id'],
      parties: Array.from({ length: 9 }, (_, i) => ({ name: `Instansi Mitra ${i + 1}`, kind: 'agency', country: 'ID', signatory: { name: `Pejabat ${i + 1}` } })),
    });
    await moveVia(t, drafterToken, nine.id, 'interagency_consultation');
    await moveVia(t, drafterToken, nine.id, 'legal_review');
    const { uploadMissingFinalTexts } = await import('../support/documents.js');
    await uploadMissingFinalTexts(t, drafterToken, nine.id);
    await moveVia(t, drafterToken, nine.id, 'text_agreed');
    await moveVia(t, drafterToken, nine.id, 'awaiting_signature');
    const full = (await request(t.app).get(`/api/agreements/${nine.id}`).set(bearer(drafterToken))).body;
    for (const party of full.parties.slice(0, 5)) {
      const res = await request(t.app).post(`/api/agreements/${nine.id}/parties/${party.id}/signature`).set(bearer(drafterToken)).send({ signedAt: new Date().toISOString(), place: 'Jakarta', method: 'wet_ink' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    }
    // a deadline this month, so the calendar has something to show
    const due = new Date(Date.now() + 2 * 24 * 60 * 60 * 1000).toISOString();
    const deadline = await request(t.app).post(`/api/agreements/${malaysia.id}/deadlines`).set(bearer(drafterToken)).send({ kind: 'custom', dueAt: due, note: 'Kirim draf balasan', recipients: [diplomat.email] });
    expect(deadline.status, JSON.stringify(deadline.body)).to.equal(201);

    fs.mkdirSync(SHOTS, { recursive: true });
  });

  async function newPage(viewport = LAPTOP): Promise<Page> {
    const context = await b!.newContext({ viewport });
    return b!.newPage(context);
  }

  async function signIn(user: TestUser, options: { lang?: 'id' | 'en'; viewport?: { width: number; height: number }; page?: Page } = {}): Promise<Page> {
    const page = options.page ?? (await newPage(options.viewport));
    if (!options.page) await page.goto(`${baseUrl}/`);
    await page.waitForSelector('#login-form');
    if (options.lang === 'en') await page.click('#lang-en');
    await page.fill('#login-email', user.email);
    await page.fill('#login-password', user.password);
    await page.click('#login-submit');
    await page.waitForSelector('#board-results[aria-busy="false"], #main h1:not(:text("Masuk")):not(:text("Sign in"))');
    return page;
  }

  const codesOnBoard = (page: Page) => page.locator('table.board-table a.code-link').allTextContents();

  /** axe-core in the page: no serious or critical violation. */
  async function checkAccessibility(page: Page, label: string) {
    const violations = await axeViolations(page);
    expect(violations, `axe on ${label}`).to.deep.equal([]);
  }

  async function shot(page: Page, name: string) {
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  }

  it('when a diplomat filters by country and stage, then the view is in the address, another person opening it sees the same, and it costs three API calls at most', async () => {
    const page = await signIn(diplomat);
    await page.fill('#filter-country', 'sa');
    await page.selectOption('#filter-stage', 'negotiation');
    await page.click('#filter-apply');
    await page.waitForFunction(() => location.hash.includes('country=SA') && location.hash.includes('stage=negotiation'));
    await page.waitForFunction(() => document.querySelectorAll('table.board-table tbody tr').length === 1);
    expect(await codesOnBoard(page)).to.deep.equal([saudi.code]);
    expect(await page.locator('#stage-counts a[data-stage="negotiation"] .count-value').textContent()).to.equal('1');
    const shared = page.url();

    // a colleague opens the link: signs in, lands on the same view, and the board costs at most three calls
    const other = await newPage();
    const calls: string[] = [];
    other.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/') && !r.url().includes('/api/auth/login')) calls.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    await other.goto(shared);
    await signIn(diplomat, { page: other });
    await other.waitForFunction(() => location.hash.includes('country=SA'));
    await other.waitForFunction(() => document.querySelectorAll('table.board-table tbody tr').length === 1);
    expect(await codesOnBoard(other)).to.deep.equal([saudi.code]);
    expect(await other.inputValue('#filter-country')).to.equal('SA');
    expect(await other.inputValue('#filter-stage')).to.equal('negotiation');
    await other.waitForTimeout(300);
    expect(calls.length, calls.join('; ')).to.be.at.most(3);
    expect(calls.filter((c) => c === 'GET /api/agreements')).to.have.length(1);

    // subject and due-soon filters round-trip through the address too
    await other.fill('#filter-country', '');
    await other.selectOption('#filter-stage', '');
    await other.fill('#filter-subject', 'pekerja-migran');
    await other.click('#filter-apply');
    await other.waitForFunction(() => location.hash.includes('subject=pekerja-migran'));
    await other.waitForFunction((code) => [...document.querySelectorAll('table.board-table a.code-link')].map((a) => a.textContent).join() === code, malaysia.code);

    // the CSV of the current filter, in the page's language: its name, its column names and the names in its cells
    const [file] = await Promise.all([other.waitForEvent('download'), other.click('#export-csv')]);
    expect(file.suggestedFilename()).to.match(/^perjanjian-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = fs.readFileSync((await file.path())!);
    expect([...csv.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').trimEnd().split('\r\n');
    expect(lines).to.have.length(2);
    expect(lines[0]).to.match(/^\uFEFFKode,Jenis,Tahap,.*,Unit penanggung jawab,Klasifikasi,/);
    expect(lines[1]).to.match(new RegExp(`^${malaysia.code},Nota Kesepahaman \\(MoU\\),`));
    await other.click('#lang-en');
    await other.waitForFunction(() => document.querySelector('#export-csv')?.textContent === 'Download CSV');
    const [english] = await Promise.all([other.waitForEvent('download'), other.click('#export-csv')]);
    expect(english.suggestedFilename()).to.match(/^agreements-\d{4}-\d{2}-\d{2}\.csv$/);
    const englishLines = fs.readFileSync((await english.path())!, 'utf8').trimEnd().split('\r\n');
    expect(englishLines[0]).to.match(/^\uFEFFCode,Type,Stage,.*,Lead unit,Confidentiality,/);
    expect(englishLines[1]).to.match(new RegExp(`^${malaysia.code},Memorandum of Understanding \\(MoU\\),`));
  });

  it('when the navigation of a role with many pages wraps on a laptop, then the user, the time zone and sign-out stay at the right edge', async () => {
    for (const [user, lang] of [[admin, 'id'], [drafter, 'en']] as const) {
      const page = await signIn(user, { lang, viewport: { width: 1280, height: 800 } });
      const edges = await page.evaluate(() => {
        const inner = document.querySelector('.nav-inner')!.getBoundingClientRect();
        const links = document.querySelector('.nav-links')!.getBoundingClientRect();
        const who = document.querySelector('.nav-user')!.getBoundingClientRect();
        const padding = parseFloat(getComputedStyle(document.querySelector('.nav-inner')!).paddingRight);
        return { wrapped: who.top >= links.bottom - 1, gap: Math.round(inner.right - padding - who.right) };
      });
      // wrapped or not, its right edge is the bar's (it sat at the left under the links)
      expect(edges.gap, `${user.role} ${JSON.stringify(edges)}`).to.be.at.most(1);
      await page.context().close();
    }
  });

  it('when parties sign, then the board shows “5 of 9 signed” with a bar, as a table on a laptop and as cards with a filter drawer on a phone', async () => {
    const page = await signIn(diplomat, { lang: 'en' });
    const cell = page.locator('table.board-table tr', { has: page.locator(`a.code-link:text-is("${nine.code}")`) }).locator('.signing-progress');
    expect(await cell.locator('.signing-text').textContent()).to.equal('5 of 9 signed');
    expect(await cell.locator('progress').getAttribute('value')).to.equal('5');
    // the filters' first row stands level: stage, type, search and deadline start at one height
    const tops = await page.evaluate(() => ['filter-stage', 'filter-type', 'filter-q', 'filter-due'].map((id) => Math.round(document.getElementById(id)!.getBoundingClientRect().top)));
    expect(new Set(tops).size, `tops ${tops.join(', ')}`).to.equal(1);

    const phone = await signIn(diplomat, { viewport: PHONE });
    expect(await phone.locator('table.board-table').isVisible()).to.equal(false);
    const card = phone.locator('.board-cards li', { has: phone.locator(`a.code-link:text-is("${nine.code}")`) });
    expect(await card.locator('.signing-text').textContent()).to.equal('5 dari 9 sudah menandatangani');
    expect(await card.locator('.badge.stage').textContent()).to.equal('Ditandatangani sebagian');
    // the filters wait in a drawer; the toggle opens it by touch and says so to screen readers
    expect(await phone.locator('#filters').isVisible()).to.equal(false);
    await phone.tap('#filters-toggle');
    expect(await phone.getAttribute('#filters-toggle', 'aria-expanded')).to.equal('true');
    expect(await phone.locator('#filters').isVisible()).to.equal(true);
    await phone.selectOption('#filter-type', 'cooperation_agreement');
    await phone.tap('#filter-apply');
    await phone.waitForFunction(() => location.hash.includes('type=cooperation_agreement'));
    await phone.waitForFunction(() => document.querySelectorAll('.board-cards li').length === 1);
    // every target is large enough to touch
    const small = await phone.evaluate(() =>
      [...document.querySelectorAll('main a, main button, main select, main input')]
        .filter((el) => (el as HTMLElement).offsetParent !== null)
        .map((el) => ({ el: el.id || el.textContent, h: el.getBoundingClientRect().height }))
        .filter((x) => x.h < 24),
    );
    expect(small).to.deep.equal([]);
  });

  it('when someone else moves a stage or comments, then an open board and an open agreement page change within seconds without a reload', async () => {
    const board = await signIn(diplomat);
    const detail = await signIn(diplomat);
    await detail.goto(`${baseUrl}/#/agreements/${malaysia.id}`);
    await detail.waitForSelector('#history table');
    // pages that reload lose this mark: it proves the change came without a reload
    await board.evaluate(() => ((window as any).__noReload = true));
    await detail.evaluate(() => ((window as any).__noReload = true));
    const row = board.locator('table.board-table tr', { has: board.locator(`a.code-link:text-is("${malaysia.code}")`) });
    expect(await row.locator('.badge.stage').textContent()).to.equal('Perundingan');

    // the drafter works in a second browser
    const drafterPage = await signIn(drafter);
    await drafterPage.goto(`${baseUrl}/#/agreements/${malaysia.id}`);
    const move = drafterPage.locator('button.move[data-to="legal_review"]');
    await move.waitFor();
    const started = Date.now();
    await move.click();
    await drafterPage.click('#confirm-dialog-ok');
    await drafterPage.waitForSelector('#detail-flash');

    await board.waitForFunction((code) => {
      const link = [...document.querySelectorAll('table.board-table a.code-link')].find((a) => a.textContent === code);
      return link?.closest('tr')?.querySelector('.badge.stage')?.textContent === 'Telaah hukum';
    }, malaysia.code, { timeout: 5000 });
    const seen = Date.now() - started;
    expect(seen, 'milliseconds until the board changed').to.be.below(5000);
    expect(await board.evaluate(() => (window as any).__noReload)).to.equal(true);
    expect(await board.locator('#live-note').textContent()).to.contain(malaysia.code);

    // the agreement page follows (it reloads its data in place, the tab is not reloaded)
    await detail.waitForFunction(() => document.querySelector('#agreement-stage .badge.stage')?.textContent === 'Telaah hukum', null, { timeout: 5000 });
    expect(await detail.evaluate(() => (window as any).__noReload)).to.equal(true);

    // a comment through the API shows in the history of the open page
    const res = await request(t!.app).post(`/api/agreements/${malaysia.id}/comments`).set(bearer(drafterToken)).send({ text: 'Draf balasan dikirim' });
    expect(res.status).to.equal(201);
    await detail.waitForFunction(() => document.querySelector('#history')?.textContent?.includes('Draf balasan dikirim'), null, { timeout: 5000 });
  });

  it('when an auditor verifies every chain, then a tampered one is listed with its first broken link, and one history can be exported', async () => {
    const victim = await createAgreementVia(t!, drafterToken, { title: { id: 'Perjanjian Yang Diubah Diam-diam', en: 'Quietly Altered Agreement' } });
    await moveVia(t!, drafterToken, victim.id, 'negotiation', { note: 'catatan asli' });
    await t!.ctx.models.HistoryEvent.collection.updateOne({ agreementId: new Types.ObjectId(victim.id), seq: 2 }, { $set: { 'changes.note': 'catatan palsu' } });

    const page = await signIn(auditor, { lang: 'en' });
    await page.click('#nav-audit');
    await page.waitForSelector('#verify-all');
    await page.click('#verify-all');
    await page.waitForSelector('#audit-broken-summary');
    expect(await page.locator('#audit-broken-summary').textContent()).to.match(/^1 broken chain among the \d+ agreements you may see; all were checked\.$/);
    const broken = page.locator('table.audit-broken tbody tr');
    expect(await broken.count()).to.equal(1);
    expect(await broken.locator('a.code-link').textContent()).to.equal(victim.code);
    expect(await broken.locator('td').nth(2).textContent()).to.contain('The event content does not match its hash');
    await shot(page, 'audit-broken-en-laptop');

    await page.fill('#audit-q', victim.code);
    await page.click('#audit-find');
    await page.waitForSelector(`#verify-${victim.id}`);
    const [json] = await Promise.all([page.waitForEvent('download'), page.click(`#export-json-${victim.id}`)]);
    expect(json.suggestedFilename()).to.equal(`history-${victim.code}.json`);
    const exported = JSON.parse(fs.readFileSync((await json.path())!, 'utf8'));
    expect(exported.items.map((e: any) => e.seq)).to.deep.equal([1, 2]);
    expect(exported.items[1].changes.note).to.equal('catatan palsu');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click(`#export-csv-${victim.id}`)]);
    expect(csv.suggestedFilename()).to.equal(`history-${victim.code}.csv`);
    const csvLines = fs.readFileSync((await csv.path())!, 'utf8').split('\r\n');
    expect(csvLines[0]).to.equal('\uFEFFNo,Time,By,E-mail,Role,Event,What happened,Changes,Previous hash,Hash,UTC time (ISO 8601)');
    expect(csvLines[1]).to.match(/^1,\d{4}-\d{2}-\d{2} \d{2}:\d{2} WIB,[^,]*,[^,]*,Legal drafter,Created,/);
    expect(csvLines[2]).to.match(/^2,\d{4}-\d{2}-\d{2} \d{2}:\d{2} WIB,[^,]*,[^,]*,Legal drafter,Stage change,[\s\S]*,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // what happened in the agreement page's words, each line of it on its own, beside the JSON kept for the hash
    expect(csvLines[2]).to.match(/,Stage change,"Drafting → Negotiation\ncatatan palsu","\{/);

    // in Indonesian, the same history in Indonesian
    await page.click('#lang-id');
    await page.waitForFunction(() => document.querySelector('#audit-find')?.textContent === 'Cari');
    await page.fill('#audit-q', victim.code);
    await page.click('#audit-find');
    await page.waitForSelector(`#export-csv-${victim.id}`);
    const [riwayat] = await Promise.all([page.waitForEvent('download'), page.click(`#export-csv-${victim.id}`)]);
    expect(riwayat.suggestedFilename()).to.equal(`riwayat-${victim.code}.csv`);
    const riwayatLines = fs.readFileSync((await riwayat.path())!, 'utf8').split('\r\n');
    expect(riwayatLines[0]).to.equal('\uFEFFNo,Waktu,Oleh,E-mail,Peran,Peristiwa,Uraian,Perubahan,Hash sebelumnya,Hash,Waktu UTC (ISO 8601)');
    expect(riwayatLines[2]).to.match(/^2,\d{4}-\d{2}-\d{2} \d{2}:\d{2} WIB,[^,]*,[^,]*,Perancang,Perpindahan tahap,"Penyusunan draf → Perundingan\ncatatan palsu","\{/);
  });

  it('when an admin adds a holiday and a user, and deletes a user with a reason, then each shows at once', async () => {
    const page = await signIn(admin);
    await page.click('#nav-admin');
    await page.waitForSelector('table.users-table');
    await page.fill('#new-name', 'Budi Baru');
    await page.fill('#new-email', 'budi.baru@test.pwni.local');
    await page.selectOption('#new-role', 'signatory');
    await page.fill('#new-unit', 'PWNI');
    await page.fill('#new-password', 'kuda-batere-benar-2026');
    await page.click('#user-create-submit');
    await page.waitForSelector('tr[data-email="budi.baru@test.pwni.local"]');
    const budiRole = page.locator('tr[data-email="budi.baru@test.pwni.local"] td select');
    expect(await budiRole.inputValue()).to.equal('signatory');
    // the role changes from the table
    await budiRole.selectOption('drafter');
    await page.locator('tr[data-email="budi.baru@test.pwni.local"] button', { hasText: 'Ubah peran' }).click();
    await page.waitForSelector('.alert-success');
    expect(await page.locator('tr[data-email="budi.baru@test.pwni.local"] td select').inputValue()).to.equal('drafter');
    const login = await request(t!.app).post('/api/auth/login').send({ email: 'budi.baru@test.pwni.local', password: 'kuda-batere-benar-2026' });
    expect(login.status).to.equal(200);

    // deleting asks for a reason first
    const budiRow = page.locator('tr[data-email="budi.baru@test.pwni.local"]');
    await budiRow.locator('button', { hasText: 'Hapus' }).click();
    await page.waitForSelector('#delete-dialog[open]');
    await shot(page, 'admin-delete-dialog-id-laptop');
    await page.click('#delete-confirm');
    await page.waitForSelector('#delete-dialog [role=alert]');
    expect(await page.locator('#delete-dialog [role=alert]').textContent()).to.equal('Isi alasan penghapusan.');
    await page.fill('#delete-reason', 'Akun uji coba, tidak dipakai');
    await page.click('#delete-confirm');
    await page.waitForFunction(() => !document.querySelector('tr[data-email="budi.baru@test.pwni.local"]'));
    expect(await request(t!.app).post('/api/auth/login').send({ email: 'budi.baru@test.pwni.local', password: 'kuda-batere-benar-2026' }).then((r) => r.status)).to.equal(401);

    await page.click('#tab-holidays');
    await page.waitForSelector('#holiday-add');
    const year = new Date().getFullYear() + 1;
    await page.fill('#holiday-date', `${year}-06-15`);
    await page.selectOption('#holiday-kind', 'collective_leave');
    await page.fill('#holiday-name-id', 'Cuti bersama uji');
    await page.fill('#holiday-name-en', 'Test collective leave');
    await page.click('#holiday-add-submit');
    await page.waitForFunction((y) => location.hash.includes(`year=${y}`), year);
    await page.waitForSelector(`tr[data-date="${year}-06-15"]`);
    expect(await page.locator(`tr[data-date="${year}-06-15"] td`).first().textContent()).to.equal('Cuti bersama');
    const api = await request(t!.app).get(`/api/holidays?year=${year}`).set(bearer(drafterToken));
    expect(api.body.days.find((d: any) => d.date === `${year}-06-15`)).to.include({ kind: 'collective_leave', source: 'admin' });

    await page.click('#tab-escalation');
    await page.fill('#esc-unit', 'PWNI');
    await page.fill('#esc-emails', 'direktur@pwni.test, sesdit@pwni.test');
    await page.click('#escalation-save');
    await page.waitForSelector('tr[data-unit="PWNI"]');
    expect(await page.locator('tr[data-unit="PWNI"] td').first().textContent()).to.equal('direktur@pwni.test, sesdit@pwni.test');

    await page.click('#tab-reminders');
    await page.click('#sweep-run');
    await page.waitForSelector('.alert-success');
    expect(await page.locator('.alert-success').textContent()).to.match(/^Selesai: \d+ pengingat dicatat, 0 terkirim, \d+ hanya masuk log \(SMTP belum diatur\), \d+ gagal\.$/);
    // No SMTP in this test app: the page says e-mail is not sent.
    expect(await page.locator('#reminder-channels .alert-warning').textContent()).to.match(/^E-mail tidak dikirim: SMTP_HOST belum diatur\./);
  });

  it('when the calendar is opened, then this month’s deadlines show in the grid and the list, and the personal feed link can be made', async () => {
    const page = await signIn(diplomat, { lang: 'en' });
    await page.click('#nav-calendar');
    await page.waitForSelector('#calendar-body[aria-busy="false"]');
    const due = new Date(Date.now() + 2 * 24 * 60 * 60 * 1000);
    const sameMonth = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', month: '2-digit' }).format(due) === new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', month: '2-digit' }).format(new Date());
    if (!sameMonth) await page.click('#cal-next');
    await page.waitForSelector('#cal-grid .cal-item');
    expect(await page.locator('#cal-grid .cal-item').first().textContent()).to.contain(malaysia.code);
    await page.click('#cal-view-list');
    await page.waitForSelector('#cal-list .cal-item');
    expect(await page.locator('#cal-list li').first().textContent()).to.contain('Kirim draf balasan');
    await page.click('#feed-create');
    await page.waitForSelector('#feed-url');
    const url = await page.inputValue('#feed-url');
    expect(url).to.match(/\/api\/calendar\/[A-Za-z0-9_-]+\.ics$/);
    const ics = await request(t!.app).get(new URL(url).pathname);
    expect(ics.status).to.equal(200);
    expect(ics.text).to.contain('BEGIN:VCALENDAR');
    expect(ics.text).to.contain(malaysia.code);
  });

  it('when every page is shown in both languages on a laptop and a phone, then axe-core finds no serious or critical violation, and screenshots are kept', async function () {
    this.timeout(300_000);
    const pages: Array<{ user: TestUser; name: string; hash: string; ready: string }> = [
      { user: diplomat, name: 'board', hash: '#/agreements', ready: '#board-results[aria-busy="false"]' },
      { user: diplomat, name: 'board-filtered', hash: '#/agreements?type=cooperation_agreement&due=30', ready: '#board-results[aria-busy="false"]' },
      { user: diplomat, name: 'detail-nine-parties', hash: `#/agreements/${nine.id}`, ready: '#next-steps' },
      { user: diplomat, name: 'calendar', hash: '#/calendar', ready: '#calendar-body[aria-busy="false"]' },
      { user: diplomat, name: 'calendar-list', hash: '#/calendar?view=list', ready: '#calendar-body[aria-busy="false"]' },
      { user: diplomat, name: 'notifications', hash: '#/notifications', ready: '#notifications[aria-busy="false"]' },
      { user: auditor, name: 'audit', hash: '#/audit', ready: '#verify-all' },
      { user: admin, name: 'admin-users', hash: '#/admin', ready: '#users-list[aria-busy="false"]' },
      { user: admin, name: 'admin-holidays', hash: '#/admin?tab=holidays', ready: '#holidays-list[aria-busy="false"]' },
      { user: admin, name: 'admin-escalation', hash: '#/admin?tab=escalation', ready: '#escalation-list[aria-busy="false"]' },
      { user: admin, name: 'admin-reminders', hash: '#/admin?tab=reminders', ready: '#deliveries-recent[aria-busy="false"]' },
    ];
    for (const [label, viewport] of [['laptop', LAPTOP], ['phone', PHONE]] as const) {
      for (const lang of ['id', 'en'] as const) {
        const login = await newPage(viewport);
        await login.goto(`${baseUrl}/`);
        if (lang === 'en') await login.click('#lang-en');
        await login.waitForSelector('#login-form');
        await checkAccessibility(login, `login ${lang} ${label}`);
        await shot(login, `login-${lang}-${label}`);
        const sessions = new Map<TestUser, Page>();
        for (const p of pages) {
          let page = sessions.get(p.user);
          if (!page) {
            page = await signIn(p.user, { lang, viewport });
            sessions.set(p.user, page);
          }
          await page.goto(`${baseUrl}/${p.hash}`);
          await page.waitForSelector(p.ready);
          await page.waitForTimeout(150);
          await checkAccessibility(page, `${p.name} ${lang} ${label}`);
          await shot(page, `${p.name}-${lang}-${label}`);
        }
      }
    }
  });

  it('when the board is printed, then the table prints without navigation, filters or buttons', async () => {
    const page = await signIn(diplomat);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).to.equal(false);
    expect(await page.locator('#filters').isVisible()).to.equal(false);
    expect(await page.locator('#export-csv').isVisible()).to.equal(false);
    expect(await page.locator('table.board-table').isVisible()).to.equal(true);
    await page.pdf({ path: path.join(SHOTS, 'board-print.pdf') }).catch(() => {});
    await shot(page, 'board-print-id-laptop');
  });

  it('when the board loads on a laptop and a phone, then nothing moves as the counts and rows arrive (cumulative layout shift under 0.1)', async () => {
    for (const viewport of [LAPTOP, PHONE]) {
      const page = await signIn(diplomat, { viewport });
      await page.context().addInitScript(() => {
        (window as any).__cls = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries() as any[]) if (!e.hadRecentInput) (window as any).__cls += e.value;
        }).observe({ type: 'layout-shift', buffered: true });
      });
      // a fresh load of the board, as when a shared link is opened
      await page.reload();
      await page.waitForSelector('#board-results[aria-busy="false"]');
      await page.waitForTimeout(500);
      const cls = await page.evaluate(() => (window as any).__cls);
      expect(cls, `CLS at ${viewport.width} px`).to.be.below(0.1);
      console.log(`      board CLS at ${viewport.width} px: ${cls.toFixed(4)}`);
    }
  });

  // keyboard: the filter form, the drawer and the admin dialog work without a mouse
  it('when only the keyboard is used, then filters apply with Enter and the delete dialog closes with Escape', async () => {
    const page = await signIn(diplomat);
    await page.focus('#filter-q');
    await page.keyboard.type(saudi.code);
    await page.keyboard.press('Enter');
    await page.waitForFunction((code) => location.hash.includes(`q=${code}`), saudi.code);
    await page.waitForFunction(() => document.querySelectorAll('table.board-table tbody tr').length === 1);

    const adminPage = await signIn(admin);
    await adminPage.goto(`${baseUrl}/#/admin`);
    await adminPage.waitForSelector('table.users-table');
    await adminPage.focus(`tr[data-email="${diplomat.email}"] button.button-danger`);
    await adminPage.keyboard.press('Enter');
    await adminPage.waitForSelector('#delete-dialog[open]');
    expect(await adminPage.evaluate(() => document.activeElement?.id)).to.equal('delete-reason');
    await adminPage.keyboard.press('Escape');
    await adminPage.waitForFunction(() => !document.querySelector('#delete-dialog'));
    expect(await adminPage.locator(`tr[data-email="${diplomat.email}"]`).count()).to.equal(1);
  });
});
