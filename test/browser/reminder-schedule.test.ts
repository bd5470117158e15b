import { expect } from 'chai';
import request from 'supertest';
import type { Page } from 'playwright-core';
import { LAPTOP, PHONE, axeViolations, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';
import { SHIPPED_SCHEDULE } from '../support/reminders.js';

/**
 * An admin looking for the reminder settings found, under Reminders, a button to run them and the
 * deliveries, but not when reminders go out nor who receives an escalation: the escalation tab
 * with no address saved read as if escalations went nowhere (they go to the active admins). The
 * tab now states the schedule in force, as the API gives it.
 */
describe('web interface: the reminder schedule on the admin page', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let admin: TestUser;

  useBrowserHarness('web_reminder_schedule', async (harness) => {
    b = harness;
    admin = await createUser(b.t, { role: 'admin', name: 'Ayu Administrator' });
  });

  async function remindersTab(lang: 'id' | 'en', viewport: { width: number; height: number }): Promise<Page> {
    const page = await b.signIn(await b.newContext({ lang, viewport }), admin);
    await page.goto(`${b.baseUrl}/#/admin?tab=reminders`);
    await page.waitForSelector('#reminder-schedule li');
    return page;
  }

  const items = (page: Page) => page.locator('#reminder-schedule li').allTextContents();

  it('when an admin asks for the deliveries, then the answer carries the schedule in force', async () => {
    const token = (await loginAs(b.t, 'admin', { user: admin })).token;
    const res = await request(b.t.app).get('/api/reminders').set(bearer(token));
    expect(res.status).to.equal(200);
    expect(res.body.schedule).to.deep.equal(SHIPPED_SCHEDULE);
  });

  it('when an admin opens the reminders tab on a phone (id), then it says when reminders go out and who receives escalations', async () => {
    const page = await remindersTab('id', PHONE);
    expect(await page.locator('#reminder-schedule-title').textContent()).to.equal('Kapan pengingat dikirim');
    expect(await items(page)).to.deep.equal([
      '14, 7, 3, dan 1 hari sebelum tenggat, pada jam yang sama dengan tenggatnya.',
      'Pada hari tenggat, pukul 08.00 menurut zona waktu tenggat (atau pada jam tenggat bila lebih awal).',
      'Setelah tenggat terlewat: hari kerja pertama sesudahnya, lalu setiap 2 hari kerja, paling banyak 5 kali, pukul 08.00.',
      'Mulai pengingat keterlambatan ke-2, pengingat juga dikirim ke alamat eskalasi unit penanggung jawab (tab Eskalasi), atau ke semua admin yang aktif bila unit itu belum punya alamat eskalasi.',
    ]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(PHONE.width);
    await b.shot(page, 'reminder-schedule-id-phone', { fullPage: false });
  });

  it('when an admin opens the reminders tab on a desktop (en), then the schedule reads in English', async () => {
    const page = await remindersTab('en', LAPTOP);
    expect(await page.locator('#reminder-schedule-title').textContent()).to.equal('When reminders go out');
    expect(await items(page)).to.deep.equal([
      '14, 7, 3 and 1 days before the deadline, at the time it is due.',
      'On the day it is due, at 08:00 in the deadline’s time zone (or at the due time, if earlier).',
      'Once it is overdue: on the first working day after, then every 2 working days, at most 5 times, at 08:00.',
      'From the 2nd overdue reminder on, it also goes to the lead unit’s escalation addresses (Escalation tab), or to every active admin if the unit has none.',
    ]);
    await b.shot(page, 'reminder-schedule-en-laptop', { fullPage: false });
  });
});

/**
 * The tab stated the schedule but nothing could change it. It is now a form: saving says what
 * changed and how many open deadlines follow; "restore the defaults" puts the shipped one back.
 */
describe('web interface: the admin changes the reminder schedule', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let admin: TestUser;
  const SHIPPED = SHIPPED_SCHEDULE;

  useBrowserHarness('web_reminder_schedule_form', async (harness) => {
    b = harness;
    admin = await createUser(b.t, { role: 'admin', name: 'Ayu Administrator' });
    // one open deadline, which a change moves onto the new schedule
    const drafter = (await loginAs(b.t, 'drafter', { unit: 'PWNI' })).token;
    const agreement = await createAgreementVia(b.t, drafter);
    const dueAt = new Date(b.t.ctx.clock.now().getTime() + 40 * 24 * 3600_000).toISOString();
    const res = await request(b.t.app).post(`/api/agreements/${agreement.id}/deadlines`).set(bearer(drafter)).send({ kind: 'custom', dueAt, note: 'Laporan', recipients: ['jadwal@pwni.test'] });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
  });

  const stored = async () => {
    const token = (await loginAs(b.t, 'admin', { user: admin })).token;
    return (await request(b.t.app).get('/api/reminders/schedule').set(bearer(token))).body;
  };

  async function formPage(lang: 'id' | 'en', viewport: { width: number; height: number }): Promise<Page> {
    const page = await b.signIn(await b.newContext({ lang, viewport }), admin);
    await page.goto(`${b.baseUrl}/#/admin?tab=reminders`);
    await page.waitForSelector('#reminder-schedule-form');
    return page;
  }

  it('when an admin on a phone (id) types a day outside the limits, then the field says so in Indonesian and nothing is saved', async () => {
    const page = await formPage('id', PHONE);
    await page.fill('#rs-daysBefore', '10, 120');
    await page.click('#reminder-schedule-save');
    await page.locator('#reminder-schedule-result .alert-error li').waitFor();
    expect(await page.locator('#reminder-schedule-result .alert-error li').allInnerTexts()).to.deep.equal(['Hari sebelum tenggat: harus berupa jumlah hari yang bulat, dari 1 sampai 90']);
    expect(await page.getAttribute('#rs-daysBefore', 'aria-invalid')).to.equal('true');
    await page.fill('#rs-overdueMaxReminders', '2');
    await page.fill('#rs-escalateFromOverdueReminder', '3');
    await page.fill('#rs-daysBefore', '10, 2');
    await page.click('#reminder-schedule-save');
    await page.waitForFunction(() => document.querySelector('#reminder-schedule-result li')?.textContent?.includes('Eskalasi'));
    expect(await page.locator('#reminder-schedule-result .alert-error li').allInnerTexts()).to.deep.equal([
      'Eskalasi mulai dari pengingat keterlambatan nomor: Tidak boleh melebihi jumlah pengingat keterlambatan (2). Isi 0 bila tanpa eskalasi.',
    ]);
    expect((await stored()).schedule).to.deep.equal(SHIPPED);
  });

  it('when an admin on a phone (id) saves a new schedule, then the page says what changed and states the new schedule', async () => {
    const page = await formPage('id', PHONE);
    await page.fill('#rs-daysBefore', '10, 2');
    expect(await page.inputValue('#rs-sendAtLocalTime')).to.equal('08.00');
    await page.fill('#rs-sendAtLocalTime', '13.30');
    await page.uncheck('#rs-onTheDay');
    await page.click('#reminder-schedule-save');
    await page.waitForSelector('.alert-success');
    expect(await page.locator('.alert-success').innerText()).to.match(
      /^Jadwal pengingat disimpan\. Yang berubah: Hari sebelum tenggat 14, 7, 3, 1 → 10, 2; Kirim pengingat pada hari tenggat ya → tidak; Jam kirim 08\.00 → 13\.30\. \d+ tenggat yang masih berjalan kini mengikuti jadwal ini\.$/,
    );
    await page.waitForSelector('#reminder-schedule li');
    expect(await page.locator('#reminder-schedule li').allTextContents()).to.deep.equal([
      '10 dan 2 hari sebelum tenggat, pada jam yang sama dengan tenggatnya.',
      'Setelah tenggat terlewat: hari kerja pertama sesudahnya, lalu setiap 2 hari kerja, paling banyak 5 kali, pukul 13.30.',
      'Mulai pengingat keterlambatan ke-2, pengingat juga dikirim ke alamat eskalasi unit penanggung jawab (tab Eskalasi), atau ke semua admin yang aktif bila unit itu belum punya alamat eskalasi.',
    ]);
    expect(await page.locator('#reminder-schedule-note').innerText()).to.match(/^Terakhir diubah oleh Ayu Administrator, /);
    expect(await page.inputValue('#rs-daysBefore')).to.equal('10, 2');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(PHONE.width);
    expect(await axeViolations(page)).to.deep.equal([]);
    expect((await stored()).schedule).to.deep.equal({ ...SHIPPED, daysBefore: [10, 2], onTheDay: false, sendAtLocalTime: '13:30' });
    await b.shot(page, 'reminder-schedule-form-id-phone');
  });

  it('when an admin on a desktop (en) restores the defaults, then the shipped schedule is back and the page says what changed', async () => {
    const page = await formPage('en', LAPTOP);
    await page.click('#reminder-schedule-restore');
    await page.waitForSelector('.alert-success');
    expect(await page.locator('.alert-success').innerText()).to.match(
      /^Reminder schedule saved\. Changed: Days before the deadline 10, 2 → 14, 7, 3, 1; Send a reminder on the due date no → yes; Time of day 13:30 → 08:00\. \d+ open (deadline now follows|deadlines now follow) it\.$/,
    );
    await page.waitForSelector('#reminder-schedule li');
    expect(await page.locator('#reminder-schedule li').first().textContent()).to.equal('14, 7, 3 and 1 days before the deadline, at the time it is due.');
    expect(await page.isDisabled('#reminder-schedule-restore')).to.equal(true);
    expect(await axeViolations(page)).to.deep.equal([]);
    expect(await stored()).to.deep.include({ schedule: SHIPPED, isDefault: true });
    await b.shot(page, 'reminder-schedule-form-en-laptop');
  });
});
