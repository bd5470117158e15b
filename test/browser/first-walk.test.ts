import { expect } from 'chai';
import request from 'supertest';
import { Types } from 'mongoose';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations, countLiveChanges, PHONE, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia, moveVia, patchVia, toAwaitingSignature } from '../support/agreements.js';
import { textPdf } from '../support/pdf-fixtures.js';
import { ensureShippedIndices } from '../../domain/indices/shipped-indices.js';

/**
 * What a new user met on a first walk through the tracker: their own change read out as someone
 * else's, a calendar without the overdue work, internal codes in the history, a phone whose
 * screen was half header, a stage moved by one click, and "GMT+7" where Indonesians write WIB.
 */
describe('web interface: a new user’s first walk through', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let drafter: TestUser;
  let signatory: TestUser;
  let token: string;
  let context: BrowserContext | undefined;

  /** 15 Aug 2022, 17.00 in Jakarta: long past, as the demo's overdue stages are. */
  const LONG_AGO = new Date('2022-08-15T10:00:00Z');

  useBrowserHarness('web_first_walk', async (harness) => {
    b = harness;
    await ensureShippedIndices(b.t.ctx);
    drafter = await createUser(b.t, { role: 'drafter', name: 'Rina Perancang' });
    signatory = await createUser(b.t, { role: 'signatory', name: 'Menteri Uji', email: 'menteri.id@test.local' });
    token = (await loginAs(b.t, 'drafter', { user: drafter })).token;
  });

  /** The agreement's current stage deadline (and the agreement's own due date with it) moved to `dueAt`. */
  async function stageDueAt(id: string, dueAt: Date) {
    const agreementId = new Types.ObjectId(id);
    await b.t.ctx.models.Agreement.updateOne({ _id: agreementId }, { $set: { stageDueAt: dueAt } });
    const res = await b.t.ctx.models.Deadline.updateMany({ agreementId, kind: 'stage_due', status: 'open' }, { $set: { dueAt } });
    expect(res.modifiedCount).to.equal(1);
  }

  /** Records, in the page, what the status region says and each time the agreement's panels are put in. */
  async function watchPage(ctx: BrowserContext) {
    await countLiveChanges(ctx);
    await ctx.addInitScript(() => {
      const w = window as any;
      w.__said = [];
      w.__draws = 0;
      document.addEventListener('DOMContentLoaded', () => {
        const announcer = document.getElementById('announcer')!;
        new MutationObserver(() => announcer.textContent && w.__said.push(announcer.textContent)).observe(announcer, { childList: true, characterData: true, subtree: true });
        new MutationObserver((records) => {
          for (const r of records) for (const n of r.addedNodes) if (n instanceof Element && n.matches('.detail-grid')) w.__draws++;
        }).observe(document.getElementById('main')!, { childList: true, subtree: true });
      });
    });
  }

  /** The answer to `pattern` held back until the change's live event has reached the page (as on a slow link). */
  async function holdAnswer(ctx: BrowserContext, pattern: string) {
    await ctx.route(pattern, async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const page = route.request().frame().page();
      const before = await page.evaluate(() => (window as any).__changes as number);
      const response = await route.fetch();
      await page.waitForFunction((n) => (window as any).__changes > n, before);
      await route.fulfill({ response });
    });
  }

  const flash = (page: Page, text: string) => page.waitForFunction((t) => document.querySelector('#detail-flash')?.textContent === t, text);

  it('when a drafter moves a stage, then a dialog asks first (Escape cancels), the note goes into the history, and the change is not read out as someone else’s', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Konfirmasi', en: 'Confirm Test MoU' } });
    context = await b.newContext();
    await watchPage(context);
    await holdAnswer(context, '**/api/agreements/*/transitions');
    const page = await b.signIn(context, drafter);
    await page.goto(`${b.baseUrl}/#/agreements/${a.id}`);
    await page.waitForSelector('#next-steps h2');

    // by keyboard: the button opens the dialog, Escape closes it, nothing moves and focus comes back
    const button = page.locator('button.move[data-to="interagency_consultation"]');
    await button.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#confirm-dialog');
    expect(await page.locator('#confirm-dialog h2').textContent()).to.equal('Pindahkan ke “Konsultasi antarinstansi”?');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('confirm-note');
    expect(await page.locator('label[for="confirm-note"]').textContent()).to.equal('Catatan untuk riwayat (tidak wajib)');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#confirm-dialog', { state: 'detached' });
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.to)).to.equal('interagency_consultation');
    expect((await request(b.t.app).get(`/api/agreements/${a.id}`).set(bearer(token))).body.stage).to.equal('drafting');

    await page.evaluate(() => {
      (window as any).__said = [];
      (window as any).__draws = 0;
    });
    await button.click();
    await page.fill('#confirm-note', 'Draf dikirim ke K/L');
    await page.click('#confirm-dialog-ok');
    await flash(page, 'Tahap diubah menjadi: Konsultasi antarinstansi');
    await page.waitForTimeout(1000);
    const { said, draws } = await page.evaluate(() => ({ said: (window as any).__said as string[], draws: (window as any).__draws as number }));
    expect(said.filter((s) => s.includes('pengguna lain')), 'read out as someone else’s change').to.deep.equal([]);
    expect(draws, 'times the page was drawn after the move').to.equal(1);
    expect(await page.locator('#history tbody tr').last().locator('blockquote.note').textContent()).to.equal('Draf dikirim ke K/L');
  });

  it('when a drafter uploads from the next steps, then the upload is not read out as someone else’s change', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Unggah Sendiri', en: 'Own Upload Test MoU' } });
    await moveVia(b.t, token, a.id, 'negotiation');
    await moveVia(b.t, token, a.id, 'legal_review');
    context = await b.newContext();
    await watchPage(context);
    await holdAnswer(context, '**/api/agreements/*/documents');
    const page = await b.signIn(context, drafter);
    await page.goto(`${b.baseUrl}/#/agreements/${a.id}`);
    await page.waitForSelector('#next-steps h2');
    // the condition names the languages, not their codes
    expect(await page.locator('.next-step[data-to="text_agreed"] li[data-guard="final_texts"] .unmet-text').textContent()).to.equal('Naskah final belum ada dalam bahasa Indonesia dan Inggris');
    await page.evaluate(() => {
      (window as any).__said = [];
      (window as any).__draws = 0;
    });
    const offer = page.locator('.next-step[data-to="text_agreed"] .step-upload[data-kind="final"][data-language="id"]');
    await offer.locator('summary').click();
    await offer.locator('input[type="file"]').setInputFiles({ name: 'naskah-final-id.pdf', mimeType: 'application/pdf', buffer: await textPdf(2, { title: 'naskah-final-id.pdf' }) });
    await offer.locator('button[type="submit"]').click();
    await flash(page, 'Berkas diunggah: naskah-final-id.pdf (versi 1).');
    await page.waitForTimeout(1000);
    const { said, draws } = await page.evaluate(() => ({ said: (window as any).__said as string[], draws: (window as any).__draws as number }));
    expect(said.filter((s) => s.includes('pengguna lain')), 'read out as someone else’s change').to.deep.equal([]);
    expect(draws).to.equal(1);
    expect(await page.locator('.next-step[data-to="text_agreed"] li[data-guard="final_texts"] .unmet-text').textContent()).to.equal('Naskah final belum ada dalam bahasa Inggris');
  });

  it('when the board has said how many it shows and an agreement is opened, then the status region no longer says it', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Status', en: 'Status Test MoU' } });
    context = await b.newContext();
    const page = await b.signIn(context, drafter);
    await page.waitForFunction(() => document.getElementById('announcer')?.textContent?.startsWith('Menampilkan'));
    await page.goto(`${b.baseUrl}/#/agreements/${a.id}`);
    await page.waitForSelector('#next-steps h2');
    await page.waitForTimeout(300);
    expect(await page.locator('#announcer').textContent()).to.equal('');
  });

  it('when stage deadlines are overdue, then the calendar lists them first and the month view counts them, as the board finds them', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Kalender Terlambat', en: 'Overdue Calendar Test MoU' } });
    await stageDueAt(a.id, LONG_AGO);
    const boardOverdue = (await request(b.t.app).get('/api/agreements?overdue=true&limit=100').set(bearer(token))).body.items.map((x: any) => x.code).sort();
    expect(boardOverdue).to.include(a.code);
    const openPastDue = (await request(b.t.app).get(`/api/deadlines?status=open&dueBefore=${new Date().toISOString()}&limit=200`).set(bearer(token))).body.total;

    context = await b.newContext();
    const page = await b.signIn(context, drafter);
    await page.goto(`${b.baseUrl}/#/calendar?view=list`);
    await page.waitForSelector('#cal-overdue');
    expect(await page.locator('#cal-overdue-title').textContent()).to.equal(`Sudah terlambat (${openPastDue})`);
    const stageCodes = (await page.locator('#cal-overdue li[data-kind="stage_due"] .cal-code').allTextContents()).sort();
    expect(stageCodes, 'the stage deadlines overdue are the agreements the board marks overdue').to.deep.equal(boardOverdue);
    const item = page.locator('#cal-overdue li', { hasText: a.code });
    expect(await item.locator('.cal-time').textContent()).to.equal('15 Agu 2022, 17.00 WIB ');
    expect(await item.locator('.overdue-flag').textContent()).to.equal('! Terlambat');
    // the group stands first in the list
    expect(await page.evaluate(() => document.querySelector('#cal-list, #cal-overdue, #cal-none')?.id)).to.equal('cal-overdue');

    await page.click('#cal-view-month');
    await page.waitForSelector('#cal-overdue-note');
    expect(await page.locator('#cal-overdue-note').textContent()).to.equal(`! ${openPastDue} tenggat sudah terlambat. Lihat daftarnya`);
    await page.click('#lang-en');
    const english = openPastDue === 1 ? '! 1 deadline is overdue. See the list' : `! ${openPastDue} deadlines are overdue. See the list`;
    await page.waitForFunction((text) => document.querySelector('#cal-overdue-note')?.textContent === text, english);
    await page.click('#cal-overdue-link');
    await page.waitForSelector('#cal-overdue');
    expect(await page.locator('#cal-overdue-title').textContent()).to.equal(`Overdue (${openPastDue})`);
    expect(await page.locator('#cal-overdue li', { hasText: a.code }).locator('.cal-time').textContent()).to.equal('15 Aug 2022, 17:00 WIB ');
    expect(await axeViolations(page)).to.deep.equal([]);
  });

  it('when the history holds indices and an edit of the parties, then both are named in the reader’s language and read as cards on a phone', async () => {
    const a = await createAgreementVia(b.t, token, { type: 'cooperation_agreement', authenticLanguages: ['id'], title: { id: 'PKS Uji Riwayat', en: 'History Test PKS' } });
    const current = (await request(b.t.app).get(`/api/agreements/${a.id}`).set(bearer(token))).body;
    const set = await request(b.t.app).put(`/api/agreements/${a.id}/indices`).set(bearer(token)).send({ indices: ['institutional_strengthening'], version: current.version });
    expect(set.status, JSON.stringify(set.body)).to.equal(200);
    await patchVia(b.t, token, a.id, { parties: [...a.parties.map((p: any) => ({ id: p.id, name: p.name, kind: p.kind, country: p.country })), { name: 'LPSK', kind: 'agency', country: 'ID' }] });

    for (const lang of ['id', 'en'] as const) {
      context = await b.newContext({ lang, viewport: PHONE });
      const page = await b.signIn(context, drafter);
      await page.goto(`${b.baseUrl}/#/agreements/${a.id}`);
      await page.waitForSelector('#history tbody tr');
      const indices = page.locator('#history tr[data-action="indices_set"]');
      const updated = page.locator('#history tr[data-action="updated"]');
      if (lang === 'id') {
        expect(await indices.locator('td.event strong').textContent()).to.equal('Indeks kinerja ditetapkan');
        expect(await indices.locator('.event-detail').textContent()).to.equal('Indeks Penguatan Sistem Kelembagaan Pelayanan dan Pelindungan WNI di Luar Negeri');
        expect(await updated.locator('.event-detail').textContent()).to.equal('Pihak ditambahkan: LPSK');
      } else {
        expect(await indices.locator('td.event strong').textContent()).to.equal('Performance indices set');
        expect(await indices.locator('.event-detail').textContent()).to.equal('Index of Strengthening the Institutions for Serving and Protecting Indonesian Citizens Abroad');
        expect(await updated.locator('.event-detail').textContent()).to.equal('Party added: LPSK');
      }
      // every event, hash included, inside the screen: nothing to scroll sideways
      const box = await page.locator('#history').boundingBox();
      for (const cell of ['td.event', 'td.hash', 'td.nowrap']) {
        const c = await indices.locator(cell).boundingBox();
        expect(c!.x + c!.width, `${cell} (${lang})`).to.be.at.most(box!.x + box!.width);
      }
      expect(await page.evaluate(() => document.querySelector('#history .table-wrap')!.scrollWidth <= document.querySelector('#history .table-wrap')!.clientWidth)).to.equal(true);
      expect(await indices.locator('td.hash').getAttribute('data-label')).to.equal('Hash');
      await b.shot(page, `history-cards-${lang}-phone`);
      await context.close();
    }
  });

  it('when a phone shows any page, then the header is one row and the menu button opens and closes the navigation by touch or keyboard', async () => {
    context = await b.newContext({ viewport: PHONE, lang: 'en' });
    const page = await b.signIn(context, drafter);
    const header = async () => (await page.locator('.site-header').boundingBox())!.height;
    expect(await header(), 'header height on a phone').to.be.below(100);
    expect(await page.isVisible('#nav-board')).to.equal(false);
    const toggle = page.locator('#menu-toggle');
    expect((await toggle.textContent())?.trim()).to.equal('Menu');
    expect(await toggle.getAttribute('aria-expanded')).to.equal('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).to.equal('true');
    expect(await page.isVisible('#nav-board')).to.equal(true);
    expect(await page.isVisible('#lang-id')).to.equal(true);
    expect(await axeViolations(page)).to.deep.equal([]);
    await b.shot(page, 'header-menu-open-en-phone', { fullPage: false });
    // Escape closes it and gives focus back to the button
    await page.focus('#nav-board');
    await page.keyboard.press('Escape');
    expect(await toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('menu-toggle');
    // a link followed closes it
    await page.keyboard.press('Enter');
    await page.click('#nav-notifications');
    await page.waitForSelector('h1:text-is("Notifications")');
    expect(await toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(await header()).to.be.below(100);

    // the desktop keeps its header: no menu button, the navigation always there
    const desk = await b.newContext({ lang: 'en' });
    const wide = await b.signIn(desk, drafter);
    expect(await wide.isVisible('#menu-toggle')).to.equal(false);
    expect(await wide.isVisible('#nav-board')).to.equal(true);
    expect(await wide.isVisible('#logout')).to.equal(true);
  });

  it('when a signatory reads English, then times say WIB and an overdue signature shows its deadline once', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Tenggat Sekali', en: 'Deadline Once Test MoU' } });
    await toAwaitingSignature(b.t, token, a.id);
    await stageDueAt(a.id, LONG_AGO);
    context = await b.newContext({ lang: 'en' });
    const page = await b.signIn(context, signatory);
    await page.goto(`${b.baseUrl}/#/signatures`);
    await page.waitForSelector('#mysig-list');
    const card = page.locator(`#mysig-list li[data-id="${a.id}"]`);
    expect(await card.locator('.sig-due').textContent()).to.equal('Stage due: 15 Aug 2022, 17:00 WIB ! Overdue');
    await page.goto(`${b.baseUrl}/#/agreements/${a.id}`);
    await page.waitForSelector('#summary');
    expect(await page.locator('#summary dl.facts > div:has(dt:text-is("Stage due")) dd').textContent()).to.equal('15 Aug 2022, 17:00 WIB');
    expect(await page.locator('#history').textContent()).to.not.contain('GMT+7');
  });
});
