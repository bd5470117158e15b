import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import type { BrowserContext, Page } from 'playwright-core';
import type { Clock } from '../../lib/clock.js';
import type { TestApp } from '../support/app.js';
import { LAPTOP, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia, moveVia } from '../support/agreements.js';
import { uploadVia } from '../support/documents.js';

/**
 * The web interface as people use it, in Debian's Chromium driven by playwright-core, against the
 * real app on a real database. Set SCREENSHOT_DIR to keep screenshots of the board and a detail page.
 */
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Real time, shifted: lets a test create an agreement "90 days ago" while the browser lives now. */
class ShiftedClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

describe('web interface in a browser', function () {
  this.timeout(60_000);

  let b: BrowserHarness | undefined;
  let t: TestApp | undefined;
  let baseUrl: string;
  let drafter: TestUser;
  let diplomat: TestUser;
  let drafterToken: string;
  let mou: Record<string, any>;
  let pks: Record<string, any>;
  let guideline: Record<string, any>;

  const clock = new ShiftedClock();
  let context: BrowserContext | undefined;

  useBrowserHarness(
    'web_ui',
    async (harness) => {
      b = harness;
      t = b.t;
      baseUrl = b.baseUrl;

      drafter = await createUser(t, { role: 'drafter', name: 'Rina Perancang' });
      diplomat = await createUser(t, { role: 'diplomat', name: 'Dimas Diplomat' });
      drafterToken = (await loginAs(t, 'drafter', { user: drafter })).token;

      mou = await createAgreementVia(t, drafterToken, {
        title: { id: 'Nota Kesepahaman Uji Peramban', en: 'Browser Test Memorandum' },
      });
      pks = await createAgreementVia(t, drafterToken, {
        type: 'cooperation_agreement',
        title: { id: 'Perjanjian Kerja Sama Uji Data', en: 'Test Data Cooperation Agreement' },
        authenticLanguages: ['id'],
        parties: [
          { name: 'Kementerian Luar Negeri', kind: 'agency', country: 'ID', signatory: { name: 'Direktur PWNI' } },
          { name: 'Lembaga Perlindungan Saksi dan Korban', kind: 'agency', country: 'ID' },
        ],
      });
      await moveVia(t, drafterToken, pks.id, 'interagency_consultation', { note: 'Dikirim ke LPSK' });
      guideline = await createAgreementVia(t, drafterToken, {
        type: 'guideline',
        title: { id: 'Pedoman Uji Penanganan Kasus', en: 'Test Guideline on Case Handling' },
        authenticLanguages: ['id'],
        parties: [{ name: 'Kementerian Luar Negeri', kind: 'agency', country: 'ID', signatory: { name: 'Menteri Luar Negeri' } }],
      });
      await moveVia(t, drafterToken, guideline.id, 'legal_review');
    },
    { clock },
  );

  // after the harness's own hooks: each test starts with a laptop-sized context
  beforeEach(async () => {
    context = await b!.newContext({ viewport: LAPTOP });
  });

  async function newPage(): Promise<Page> {
    return b!.newPage(context!);
  }

  /** Signs in through the form, as a person would, and waits for the board. */
  async function signIn(user: TestUser, options: { lang?: 'id' | 'en' } = {}): Promise<Page> {
    const page = await newPage();
    await page.goto(`${baseUrl}/`);
    if (options.lang === 'en') await page.click('#lang-en');
    await page.fill('#login-email', user.email);
    await page.fill('#login-password', user.password);
    await page.click('#login-submit');
    await page.waitForSelector('table.board-table, #board-empty');
    return page;
  }

  const rowFor = (page: Page, code: string) => page.locator('table.board-table tbody tr', { has: page.locator(`a.code-link:text-is("${code}")`) });

  async function boardCodes(page: Page): Promise<string[]> {
    return page.locator('table.board-table a.code-link').allTextContents();
  }

  async function openDetail(page: Page, agreement: Record<string, any>) {
    await page.goto(`${baseUrl}/#/agreements/${agreement.id}`);
    await page.waitForSelector('#history table, #history .muted');
    await page.waitForSelector('#next-steps');
  }

  it('when the page is opened without a session, then the sign-in form shows in Indonesian', async () => {
    const page = await newPage();
    const res = await page.goto(`${baseUrl}/`);
    expect(res?.headers()['content-security-policy']).to.contain("default-src 'self'");
    await page.waitForSelector('#login-form');
    expect(await page.locator('h1').textContent()).to.equal('Masuk');
    expect(await page.locator('label[for="login-email"]').textContent()).to.equal('Alamat e-mail');
    expect(await page.getAttribute('html', 'lang')).to.equal('id');
    // focus is on the page heading, so a screen reader starts there
    expect(await page.evaluate(() => document.activeElement?.tagName)).to.equal('H1');
  });

  it('when the password is wrong, then the API’s message shows in the chosen language', async () => {
    const page = await newPage();
    await page.goto(`${baseUrl}/`);
    await page.fill('#login-email', drafter.email);
    await page.fill('#login-password', 'not-the-password');
    await page.click('#login-submit');
    const error = page.locator('#login-error');
    await error.waitFor({ state: 'visible' });
    expect((await error.textContent())?.trim()).to.equal('E-mail atau kata sandi salah');
    expect(await page.getAttribute('#login-password', 'aria-invalid')).to.equal('true');

    await page.click('#lang-en');
    await page.fill('#login-password', 'still-not-the-password');
    await page.click('#login-submit');
    await page.waitForFunction(() => document.querySelector('#login-error')?.textContent?.includes('Invalid'));
    expect((await error.textContent())?.trim()).to.equal('Invalid e-mail or password');
    expect(page.url()).to.match(/#\/login$/);
    expect(await page.evaluate(() => sessionStorage.length)).to.equal(0);
  });

  it('when a drafter signs in, then the board lists the agreements of the test with stage badges and counts per stage', async () => {
    const page = await signIn(drafter);
    expect(await page.locator('h1').textContent()).to.equal('Daftar Perjanjian');
    expect(await boardCodes(page)).to.have.members([mou.code, pks.code, guideline.code]);

    const mouRow = rowFor(page, mou.code);
    expect(await mouRow.locator('td.title').textContent()).to.equal('Nota Kesepahaman Uji Peramban');
    expect(await mouRow.locator('.badge.stage').textContent()).to.equal('Penyusunan draf');
    expect(await mouRow.locator('td.parties').textContent()).to.contain('Republik Indonesia, Malaysia');
    expect(await mouRow.locator('td.in-stage .days').textContent()).to.equal('0 hari');
    expect(await rowFor(page, pks.code).locator('.badge.stage').textContent()).to.equal('Konsultasi antarinstansi');

    await page.waitForSelector('#stage-counts');
    const count = (stage: string) => page.locator(`#stage-counts a[data-stage="${stage}"] .count-value`).textContent();
    expect(await count('all')).to.equal('3');
    expect(await count('drafting')).to.equal('1');
    expect(await count('interagency_consultation')).to.equal('1');
    expect(await count('legal_review')).to.equal('1');
    expect(await page.locator('#page-status').textContent()).to.equal('Menampilkan 1–3 dari 3');

    // the token lives in this tab's sessionStorage, not in localStorage
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('session')))).to.deep.equal([]);
    expect(await page.evaluate(() => JSON.parse(sessionStorage.getItem('pwni.session') ?? '{}').token)).to.be.a('string');

    if (SCREENSHOT_DIR) {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'board.png'), fullPage: true });
    }
  });

  it('when filtering by stage or by text, then only the matching agreements remain and the filter is in the address', async () => {
    const page = await signIn(drafter);
    await page.selectOption('#filter-stage', 'interagency_consultation');
    await page.click('#filter-apply');
    await page.waitForFunction(() => location.hash.includes('stage=interagency_consultation'));
    await page.waitForFunction(() => document.querySelectorAll('table.board-table tbody tr').length === 1);
    expect(await boardCodes(page)).to.deep.equal([pks.code]);
    expect(await page.locator('#stage-counts a[aria-current="true"]').getAttribute('data-stage')).to.equal('interagency_consultation');

    // a count chip is a link to its stage
    await page.click('#stage-counts a[data-stage="legal_review"]');
    await page.waitForFunction(() => location.hash.includes('stage=legal_review'));
    await page.waitForFunction(() => document.querySelector('table.board-table a.code-link')?.textContent !== undefined);
    await page.waitForFunction((code) => [...document.querySelectorAll('table.board-table a.code-link')].map((a) => a.textContent).join() === code, guideline.code);

    await page.click('#filter-reset');
    await page.waitForFunction(() => document.querySelectorAll('table.board-table tbody tr').length === 3);
    await page.fill('#filter-q', 'peramban');
    await page.press('#filter-q', 'Enter');
    await page.waitForFunction(() => document.querySelectorAll('table.board-table tbody tr').length === 1);
    expect(await boardCodes(page)).to.deep.equal([mou.code]);

    await page.fill('#filter-q', 'tidak-ada-yang-cocok');
    await page.click('#filter-apply');
    await page.waitForSelector('#board-empty');
    expect(await page.locator('#board-empty').textContent()).to.equal('Tidak ada perjanjian yang cocok dengan saringan.');
  });

  it('when a drafter moves an agreement with a note, then the new stage and the history entry show, and the chain verifies', async () => {
    const page = await signIn(drafter);
    await page.click(`a.code-link:text-is("${mou.code}")`);
    await page.waitForSelector('#next-steps-list');
    expect(await page.locator('h1').textContent()).to.equal('Nota Kesepahaman Uji Peramban');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('agreement-title');
    expect(await page.locator('#agreement-stage .badge.stage').textContent()).to.equal('Penyusunan draf');
    expect(await page.locator('#parties tbody tr').count()).to.equal(2);
    expect(await page.locator('#timeline .step[aria-current="step"] .step-label').textContent()).to.equal('Penyusunan draf');

    const note = 'Draf dikirim ke K/L terkait untuk tanggapan';
    await page.click('button.move[data-to="interagency_consultation"]');
    await page.fill('#confirm-note', note);
    await page.click('#confirm-dialog-ok');
    await page.waitForSelector('#detail-flash');
    expect(await page.locator('#detail-flash').textContent()).to.equal('Tahap diubah menjadi: Konsultasi antarinstansi');
    expect(await page.locator('#agreement-stage .badge.stage').textContent()).to.equal('Konsultasi antarinstansi');
    expect(await page.locator('#timeline .step[aria-current="step"] .step-label').textContent()).to.equal('Konsultasi antarinstansi');

    const last = page.locator('#history tbody tr').last();
    expect(await last.getAttribute('data-action')).to.equal('transition');
    expect(await last.textContent()).to.contain('Penyusunan draf → Konsultasi antarinstansi');
    expect(await last.locator('blockquote.note').textContent()).to.equal(note);
    expect(await last.textContent()).to.contain('Rina Perancang');
    expect(await page.locator('#stage-changes li').last().locator('blockquote.note').textContent()).to.equal(note);

    // the server agrees
    const stored = await request(t!.app).get(`/api/agreements/${mou.id}`).set(bearer(drafterToken));
    expect(stored.body.stage).to.equal('interagency_consultation');

    await page.click('#verify-chain');
    await page.waitForSelector('#verify-result .verify-valid');
    expect(await page.locator('#verify-result').textContent()).to.match(/Rantai utuh: 2 peristiwa diperiksa\. Hash terakhir: [0-9a-f]{64}/);

    if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'detail.png'), fullPage: true });
  });

  it('when a move is refused by its conditions, then the unmet conditions are listed in the chosen language and the button is disabled', async () => {
    const page = await signIn(drafter);
    await openDetail(page, guideline);
    const step = page.locator('.next-step[data-to="awaiting_signature"]');
    expect(await step.locator('button.move').isDisabled()).to.equal(true);
    expect(await step.locator('.unmet li[data-guard="final_texts"] .unmet-text').textContent()).to.equal('Naskah final belum ada dalam bahasa Indonesia');

    await page.click('#lang-en');
    await page.waitForFunction(() => document.querySelector('#next-steps h2')?.textContent === 'Next steps');
    expect(await step.locator('.unmet li[data-guard="final_texts"] .unmet-text').textContent()).to.equal('No final text yet in Indonesian');
    expect(await step.locator('button.move').textContent()).to.equal('Move to: Awaiting signature');
  });

  it('when a diplomat opens an agreement, then the next steps and their conditions show without move buttons', async () => {
    const page = await signIn(diplomat);
    expect(await page.locator('#user-role').textContent()).to.equal('Diplomat');
    await openDetail(page, guideline);
    expect(await page.locator('#next-steps-list .next-step').count()).to.be.greaterThan(0);
    expect(await page.locator('button.move').count()).to.equal(0);
    expect(await page.locator('#move-note').count()).to.equal(0);
    // who may move it, named as the role tag in the header names them, with no English word in brackets
    expect(await page.locator('#steps-read-only').textContent()).to.equal('Hanya perancang atau administrator yang dapat memindahkan tahap.');
    expect(await page.locator('.next-step[data-to="awaiting_signature"] .unmet li').first().textContent()).to.equal('Naskah final belum ada dalam bahasa Indonesia');
    // reading the history is for everyone
    expect(await page.locator('#verify-chain').isVisible()).to.equal(true);
    await page.click('#lang-en');
    await page.waitForFunction(() => document.querySelector('#next-steps h2')?.textContent === 'Next steps');
    expect(await page.locator('#steps-read-only').textContent()).to.equal('Only legal drafters or administrators can move the stage.');
  });

  it('when the language is switched, then the labels change, titles follow, and the choice is remembered', async () => {
    const page = await signIn(drafter);
    expect(await page.locator('th').first().textContent()).to.equal('Kode');

    await page.click('#lang-en');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Agreements');
    // the heading is drawn at once, the table when the list arrives
    await page.waitForFunction(() => document.querySelector('table.board-table thead th')?.textContent === 'Code');
    expect(await page.getAttribute('html', 'lang')).to.equal('en');
    expect(await page.getAttribute('#lang-en', 'aria-pressed')).to.equal('true');
    expect(await page.locator('table.board-table thead th').allTextContents()).to.deep.equal(['Code', 'Title', 'Type', 'Stage', 'Parties', 'Signing', 'Time in stage']);
    expect(await page.locator('#nav-board').textContent()).to.equal('Agreements');
    expect(await page.locator('#logout').textContent()).to.equal('Log out');
    await page.waitForSelector('#stage-counts');
    expect(await page.locator('#stage-counts a[data-stage="all"] .count-label').textContent()).to.equal('All');
    expect(await rowFor(page, pks.code).locator('td.title').textContent()).to.equal('Test Data Cooperation Agreement');
    expect(await rowFor(page, pks.code).locator('.badge.stage').textContent()).to.equal('Inter-agency consultation');
    expect(await rowFor(page, pks.code).locator('td.in-stage .days').textContent()).to.equal('0 days');
    // focus stays on the switch, not thrown back to the top
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('lang-en');

    // remembered across a reload (localStorage), still signed in (sessionStorage of this tab)
    await page.reload();
    await page.waitForSelector('table.board-table');
    expect(await page.locator('h1').textContent()).to.equal('Agreements');
    expect(await page.evaluate(() => localStorage.getItem('pwni.lang'))).to.equal('en');

    await page.click('#lang-id');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Daftar Perjanjian');
    expect(await rowFor(page, pks.code).locator('td.title').textContent()).to.equal('Perjanjian Kerja Sama Uji Data');
  });

  it('when a document is downloaded, then the browser saves the file with its name, fetched with the token', async () => {
    const upload = await uploadVia(t!, drafterToken, pks.id, { kind: 'draft', language: 'id', fileName: 'rancangan-pks-uji.pdf' });
    expect(upload.status).to.equal(201);
    const page = await signIn(drafter);
    await openDetail(page, pks);
    const row = page.locator(`#documents tr[data-document="${upload.body.id}"]`);
    expect(await row.locator('.file-name').textContent()).to.equal('rancangan-pks-uji.pdf');
    expect(await row.textContent()).to.contain('Rancangan');

    const [file] = await Promise.all([page.waitForEvent('download'), row.locator('button.download').click()]);
    expect(file.suggestedFilename()).to.equal('rancangan-pks-uji.pdf');
    const saved = await file.path();
    expect(fs.readFileSync(saved!).subarray(0, 5).toString()).to.equal('%PDF-');

    // the stamped copy is named in the page's language, either way
    const [stamped] = await Promise.all([page.waitForEvent('download'), row.locator('button.download-stamped').click()]);
    expect(stamped.suggestedFilename()).to.equal(`rancangan-pks-uji (${pks.code} v${upload.body.version} berstempel).pdf`);
    await page.click('#lang-en');
    await page.waitForFunction((id) => document.querySelector(`#documents tr[data-document="${id}"] button.download-stamped`)?.textContent === 'Stamped', upload.body.id);
    const [english] = await Promise.all([page.waitForEvent('download'), row.locator('button.download-stamped').click()]);
    expect(english.suggestedFilename()).to.equal(`rancangan-pks-uji (${pks.code} v${upload.body.version} stamped).pdf`);
  });

  it('when a reminder has been sent, then the notifications page lists it and it can be marked read', async () => {
    const dueAt = new Date(Date.now() + 6 * 60 * 60 * 1000).toISOString();
    const created = await request(t!.app)
      .post(`/api/agreements/${guideline.id}/deadlines`)
      .set(bearer(drafterToken))
      .send({ kind: 'custom', dueAt, note: 'Tanggapan Biro Hukum' });
    expect(created.status).to.equal(201);
    const admin = await loginAs(t!, 'admin');
    const sweep = await request(t!.app).post('/api/reminders/sweep').set(bearer(admin.token));
    expect(sweep.status).to.equal(200);

    const page = await signIn(drafter);
    await page.waitForSelector('#nav-notifications .count-pill');
    await page.click('#nav-notifications');
    await page.waitForSelector('#notif-summary');
    const item = page.locator('.notif').filter({ hasText: 'Tanggapan Biro Hukum' });
    expect(await item.locator('.notif-subject').textContent()).to.match(/^\[Pengingat\] .*Tanggapan Biro Hukum/);
    expect(await item.locator('.notif-agreement').textContent()).to.contain(guideline.code);
    await item.locator('button', { hasText: 'Tandai sudah dibaca' }).click();
    await item.locator('.notif-state', { hasText: 'Sudah dibaca' }).waitFor();
    const stored = await request(t!.app).get('/api/me/notifications').set(bearer(drafterToken));
    expect(stored.status).to.equal(200);
    const mine = stored.body.items.filter((n: any) => n.deadlineId === created.body.id);
    expect(mine).to.have.length(1);
    expect(mine[0].subject).to.match(/Tanggapan Biro Hukum/);
    expect(mine[0].readAt).to.be.a('string');
    const unread = await request(t!.app).get('/api/me/notifications').query({ unread: true }).set(bearer(drafterToken));
    expect(unread.body.items.map((n: any) => n.deadlineId)).to.not.include(created.body.id);

    await page.click('#lang-en');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Notifications');
    expect(await item.locator('.notif-subject').textContent()).to.match(/^\[Reminder\] /);
    await item.locator('a', { hasText: 'Open the agreement' }).click();
    await page.waitForSelector('#next-steps');
    expect(await page.locator('h1').textContent()).to.equal('Test Guideline on Case Handling');
  });

  it('when the user logs out, then the session is gone and pages ask to sign in again', async () => {
    const page = await signIn(drafter);
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('pwni.session') ?? '{}').token as string);
    await page.click('#logout');
    await page.waitForSelector('#login-form');
    expect(await page.locator('.login-card [role="status"]').textContent()).to.equal('Anda telah keluar.');
    expect(await page.evaluate(() => sessionStorage.getItem('pwni.session'))).to.equal(null);
    // the token was revoked on the server, not only forgotten
    const res = await request(t!.app).get('/api/me').set(bearer(token));
    expect(res.status).to.equal(401);

    await page.goto(`${baseUrl}/#/agreements/${mou.id}`);
    await page.waitForSelector('#login-form');
    // after signing in, the page asked for first
    await page.fill('#login-email', drafter.email);
    await page.fill('#login-password', drafter.password);
    await page.click('#login-submit');
    await page.waitForSelector('#next-steps');
    expect(page.url()).to.contain(`#/agreements/${mou.id}`);
  });

  // The last two add agreements, so they run after the tests that count them.

  it('when an agreement has outlived its stage, then the board marks it overdue and the overdue filter finds it', async () => {
    clock.offsetMs = -90 * DAY_MS;
    let old: Record<string, any>;
    try {
      old = await createAgreementVia(t!, drafterToken, { title: { id: 'Nota Kesepahaman Lama', en: 'Old Memorandum' } });
    } finally {
      clock.offsetMs = 0;
    }
    const page = await signIn(drafter);
    const row = rowFor(page, old.code);
    expect(await row.locator('td.in-stage .days').textContent()).to.match(/^(89|90) hari$/);
    expect(await row.locator('.overdue').textContent()).to.contain('Terlambat');
    expect(await rowFor(page, mou.code).locator('.overdue').count()).to.equal(0);

    await page.selectOption('#filter-due', 'overdue');
    await page.click('#filter-apply');
    await page.waitForFunction(() => location.hash.includes('due=overdue'));
    await page.waitForFunction(() => document.querySelectorAll('table.board-table tbody tr').length === 1);
    expect(await boardCodes(page)).to.deep.equal([old.code]);
    expect(await page.inputValue('#filter-due')).to.equal('overdue');
  });

  it('when more agreements match than fit a page, then the board pages through them with the API', async () => {
    const title = (i: number) => ({ id: `Pengaturan Teknis Paginasi ${i}`, en: `Paging Technical Arrangement ${i}` });
    for (let i = 1; i <= 21; i++) await createAgreementVia(t!, drafterToken, { type: 'technical_arrangement', title: title(i) });
    const page = await signIn(drafter);
    await page.selectOption('#filter-type', 'technical_arrangement');
    await page.selectOption('#filter-sort', 'code');
    await page.click('#filter-apply');
    await page.waitForFunction(() => document.querySelector('#page-status')?.textContent === 'Menampilkan 1–20 dari 21');
    expect(await page.locator('table.board-table tbody tr').count()).to.equal(20);
    expect(await page.locator('#page-prev').getAttribute('aria-disabled')).to.equal('true');
    const firstPage = await boardCodes(page);

    await page.click('#page-next');
    await page.waitForFunction(() => document.querySelector('#page-status')?.textContent === 'Menampilkan 21–21 dari 21');
    const secondPage = await boardCodes(page);
    expect(secondPage).to.have.length(1);
    expect(firstPage).not.to.include(secondPage[0]);
    expect([...firstPage, ...secondPage]).to.deep.equal([...firstPage, ...secondPage].sort());
    expect(page.url()).to.contain('offset=20');
    expect(await page.locator('#page-next').getAttribute('aria-disabled')).to.equal('true');

    await page.click('#page-prev');
    await page.waitForFunction(() => document.querySelector('#page-status')?.textContent === 'Menampilkan 1–20 dari 21');
  });
});
