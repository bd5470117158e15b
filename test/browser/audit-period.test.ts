import fs from 'node:fs';
import { expect } from 'chai';
import { type BrowserHarness, LAPTOP, PHONE, useBrowserHarness } from '../support/browser.js';
import request from 'supertest';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer } from '../support/agreements.js';
import { loadDemo } from '../support/demo.js';
import { HISTORY_ACTIONS } from '../../domain/history/append-history-event.js';

/**
 * The auditor asks what happened across agreements in a period ("every stage change in 2022"): the
 * audit page's "History of a period" shows the events a page at a time, each worded as the
 * agreement's own page words it, and exports the whole result as CSV in the reader's language.
 */
describe('web interface: the history of a period on the audit page', function () {
  this.timeout(180_000);

  let b: BrowserHarness;
  let auditor: TestUser;
  let transitions2022: number;
  let secretCode: string;

  useBrowserHarness('web_audit_period', async (harness) => {
    b = harness;
    await loadDemo(b.t);
    auditor = await createUser(b.t, { role: 'auditor', name: 'Sari Auditor', unit: 'PWNI' });
    const agreements = b.t.ctx.models.Agreement.collection;
    const secret = await agreements.findOne({ audience: { $nin: ['*', 'PWNI'] } });
    secretCode = secret!.code as string;
    const visible = await agreements.find({ audience: { $in: ['*', 'PWNI'] } }, { projection: { _id: 1 } }).toArray();
    transitions2022 = await b.t.ctx.models.HistoryEvent.collection.countDocuments({
      action: 'transition',
      agreementId: { $in: visible.map((a) => a._id) },
      at: { $gte: new Date('2021-12-31T17:00:00Z'), $lt: new Date('2022-12-31T17:00:00Z') },
    });
  });

  const ask = async (lang: 'id' | 'en', viewport: { width: number; height: number }, action = 'transition') => {
    const context = await b.newContext({ lang, viewport });
    const page = await b.signIn(context, auditor);
    await page.goto(`${b.baseUrl}/#/audit`);
    await page.fill('#period-from', '2022-01-01');
    await page.fill('#period-to', '2022-12-31');
    await page.selectOption('#period-action', action);
    await page.click('#period-show');
    await page.locator('#period-result table, #period-result .alert, #period-result .empty').first().waitFor();
    return page;
  };

  it('then the action filter offers every action the history records, by the names the agreement page gives them', async () => {
    const context = await b.newContext({ lang: 'en', viewport: LAPTOP });
    const page = await b.signIn(context, auditor);
    await page.goto(`${b.baseUrl}/#/audit`);
    await page.locator('#period-action').waitFor();
    const options = await page.locator('#period-action option').evaluateAll((els) => els.map((o) => [(o as HTMLOptionElement).value, o.textContent]));
    expect(options.slice(1).map(([value]) => value).sort()).to.deep.equal([...HISTORY_ACTIONS].sort());
    expect(options).to.deep.include(['transition', 'Stage change']);
    expect(options[0]).to.deep.equal(['', 'All events']);
  });

  for (const [lang, viewport, words] of [
    ['id', PHONE, { caption: 'Riwayat Sabtu, 1 Januari 2022 sampai Sabtu, 31 Desember 2022', what: 'Perpindahan tahap', status: (n: number) => `Menampilkan 1–${n} dari ${n}`, head: 'Kode perjanjian,Judul perjanjian,No,Waktu,Oleh,E-mail,Peran,Peristiwa,Uraian,Perubahan', file: 'riwayat-2022-01-01-2022-12-31.csv' }],
    ['en', LAPTOP, { caption: 'History from Saturday, 1 January 2022 to Saturday, 31 December 2022', what: 'Stage change', status: (n: number) => `Showing 1–${n} of ${n}`, head: 'Agreement code,Agreement title,No,Time,By,E-mail,Role,Event,What happened,Changes', file: 'history-2022-01-01-2022-12-31.csv' }],
  ] as const) {
    it(`when an auditor asks for every stage change in 2022 (${lang}), then each shows in WIB with its agreement linked, worded as on the agreement's page, and the CSV holds them all`, async () => {
      expect(transitions2022, 'the demo moved stages in 2022').to.be.above(3).and.below(51);
      const page = await ask(lang, viewport);
      const rows = page.locator('#period-result tbody tr');
      expect(await rows.count()).to.equal(transitions2022);
      expect((await page.locator('#period-status').textContent())?.trim()).to.equal(words.status(transitions2022));
      expect(await page.locator('#period-result').textContent()).not.to.contain(secretCode);
      for (const action of await rows.evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.action))) expect(action).to.equal('transition');
      expect(await rows.first().locator('td').first().textContent()).to.contain('WIB');
      // what a screen reader names the table by: the days in words, as under the date boxes, not "2022-01-01"
      expect(await page.locator('#period-result caption').textContent()).to.equal(words.caption);

      // the same words as the agreement's own history, for the same event
      const first = rows.first();
      const link = first.locator('a.code-link');
      const { agreement, seq } = await first.evaluate((el) => ({ agreement: (el as HTMLElement).dataset.agreement, seq: (el as HTMLElement).dataset.seq }));
      const periodWords = (await first.locator('td.event').textContent())?.trim();
      expect(periodWords).to.contain(words.what).and.contain('→');
      await b.shot(page, `audit-period-${lang}`, { fullPage: lang === 'en' });

      const download = page.waitForEvent('download');
      await page.click('#period-export');
      const file = await download;
      expect(file.suggestedFilename()).to.equal(words.file);
      const csv = fs.readFileSync((await file.path())!, 'utf8');
      const lines = csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
      expect(lines[0]).to.match(new RegExp(`^${words.head}`));
      expect(lines).to.have.length(transitions2022 + 1);
      expect(csv).not.to.contain(secretCode);

      expect(await link.getAttribute('href')).to.equal(`#/agreements/${agreement}`);
      await link.click();
      const own = page.locator(`#history tr[data-seq="${seq}"] td.event`);
      await own.waitFor();
      expect((await own.textContent())?.trim()).to.equal(periodWords);
    });
  }

  it('when an agreement was attributed to a performance index in the period, then the event names the index as the agreement page does, not by its code', async () => {
    const admin = (await loginAs(b.t, 'admin', { unit: 'PWNI' })).token;
    const a = await b.t.ctx.models.Agreement.collection.findOne({ audience: '*', indices: { $ne: 'protection_diplomacy' } });
    await request(b.t.app).put(`/api/agreements/${String(a!._id)}/indices`).set(bearer(admin)).send({ indices: ['protection_diplomacy'] }).expect(200);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());
    const context = await b.newContext({ lang: 'en', viewport: LAPTOP });
    const page = await b.signIn(context, auditor);
    await page.goto(`${b.baseUrl}/#/audit`);
    await page.fill('#period-from', today);
    await page.fill('#period-to', today);
    await page.selectOption('#period-action', 'indices_set');
    await page.click('#period-show');
    const detail = page.locator('#period-result tbody tr .event-detail');
    await detail.first().waitFor();
    const words = (await detail.first().textContent())?.trim();
    expect(words).to.match(/^Index of Diplomacy for the Protection of Indonesian Citizens Abroad\b/);
    expect(words).not.to.match(/[a-z]+_[a-z]+/);
  });

  it('when a period holds more than a page, then the next page follows on, and a period too long is refused in the page language', async () => {
    const page = await ask('en', LAPTOP, '');
    const status = page.locator('#period-status');
    const total = Number(/of (\d+)$/.exec((await status.textContent())!.trim())![1]);
    expect(total, 'the demo has more than a page of events in 2022').to.be.above(50);
    expect(await page.locator('#period-result tbody tr').count()).to.equal(50);
    await page.click('#period-next');
    await page.locator('#period-status', { hasText: 'Showing 51–' }).waitFor();
    expect(await page.locator('#period-prev').evaluate((el) => el.tagName)).to.equal('BUTTON');

    await page.fill('#period-from', '2021-01-01');
    await page.click('#period-show');
    const refusal = page.locator('#period-result .alert');
    await refusal.waitFor();
    const text = (await refusal.textContent()) ?? '';
    expect(text).to.contain('A period covers at most 366 days');
    expect(text).not.to.contain('paling lama');
  });
});
