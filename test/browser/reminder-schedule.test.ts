import { expect } from 'chai';
import request from 'supertest';
import type { Page } from 'playwright-core';
import { LAPTOP, PHONE, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer } from '../support/agreements.js';

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
    expect(res.body.schedule).to.deep.equal({
      daysBefore: [14, 7, 3, 1],
      onTheDay: true,
      sendAtLocalTime: '08:00',
      overdueFirstAfterWorkingDays: 1,
      overdueEveryWorkingDays: 2,
      overdueMaxReminders: 5,
      escalateFromOverdueReminder: 2,
    });
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
