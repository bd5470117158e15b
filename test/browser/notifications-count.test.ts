import { expect } from 'chai';
import { type BrowserHarness, PHONE, useBrowserHarness } from '../support/browser.js';
import type { TestUser } from '../support/users.js';
import { drafterWithTwoReminders } from '../support/notifications.js';

/**
 * The notifications page counts what is still unread, and the count follows each "mark as read"
 * as the navigation's badge does (it stayed at what the page was opened with).
 */
describe('web interface: the unread count on the notifications page', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let drafter: TestUser;

  useBrowserHarness('web_notif_count', async (harness) => {
    b = harness;
    drafter = await drafterWithTwoReminders(b.t, { id: 'MoU Uji Notifikasi', en: 'Notification Test MoU' });
  });

  const summary = (page: import('playwright-core').Page) => page.locator('#notif-summary').textContent();

  it('when a drafter marks one of two reminders read (id, then en on a phone), then the page counts one unread of two, as the badge does', async () => {
    const context = await b.newContext({ viewport: PHONE });
    const page = await b.signIn(context, drafter);
    await page.goto(`${b.baseUrl}/#/notifications`);
    await page.waitForSelector('#notif-summary');
    const total = (await page.locator('.notif').count()).toString();
    expect(total).to.equal('2');
    expect(await summary(page)).to.equal('2 belum dibaca dari 2');
    const item = page.locator('.notif').filter({ hasText: 'Tanggapan Kemnaker' });
    await item.locator('button', { hasText: 'Tandai sudah dibaca' }).click();
    await item.locator('.notif-state', { hasText: 'Sudah dibaca' }).waitFor();
    await page.waitForFunction(() => document.querySelector('#nav-notifications .count-pill')?.textContent?.startsWith('1'));
    expect(await summary(page)).to.equal('1 belum dibaca dari 2');
    expect(await item.evaluate((li) => li.classList.contains('notif-unread')), 'no longer marked out as unread').to.equal(false);
    await b.shot(page, 'notifications-count-id-phone', { fullPage: false });
    await page.click('#menu-toggle');
    await page.click('#lang-en');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Notifications');
    expect(await summary(page)).to.equal('1 unread of 2');
    const other = page.locator('.notif').filter({ hasText: 'Tanggapan Biro Hukum' });
    await other.locator('button', { hasText: 'Mark as read' }).click();
    await other.locator('.notif-state', { hasText: /^Read$/ }).waitFor(); // not 'Unread'
    expect(await summary(page)).to.equal('0 unread of 2');
  });
});
