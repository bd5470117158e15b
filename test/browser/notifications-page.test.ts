import { expect } from 'chai';
import { type BrowserHarness, LAPTOP, PHONE, useBrowserHarness } from '../support/browser.js';
import type { TestUser } from '../support/users.js';
import { drafterWithTwoReminders } from '../support/notifications.js';

/** The notifications page as its reader uses it: by keyboard, and with the unread filter. */
describe('web interface: reading notifications', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let drafter: TestUser;

  useBrowserHarness('web_notif_page', async (harness) => {
    b = harness;
    drafter = await drafterWithTwoReminders(b.t, { id: 'MoU Uji Baca', en: 'Reading Test MoU' });
  });

  const focused = (page: import('playwright-core').Page) =>
    page.evaluate(() => {
      const el = document.activeElement;
      return { tag: el?.tagName ?? '', text: el?.textContent?.trim() ?? '', item: el?.closest('.notif')?.getAttribute('data-id') ?? null };
    });

  it('when a keyboard user marks a reminder read (id on a phone, en on a desk), then focus stays in that reminder, on its link, and Tab goes on to the next reminder', async () => {
    for (const [lang, viewport, open] of [['id', PHONE, 'Buka perjanjian'], ['en', LAPTOP, 'Open the agreement']] as const) {
      const page = await b.signIn(await b.newContext({ viewport, lang }), drafter);
      await page.goto(`${b.baseUrl}/#/notifications?unread=true`);
      await page.waitForSelector('#notifications[aria-busy="false"]');
      const first = page.locator('.notif').first();
      const id = await first.getAttribute('data-id');
      await first.locator('.notif-actions button').focus();
      await page.keyboard.press('Enter');
      await first.locator('.notif-actions button').waitFor({ state: 'detached' });
      const now = await focused(page);
      expect(now.tag, `${lang}: focus fell to the page`).not.to.equal('BODY');
      expect(now, lang).to.deep.equal({ tag: 'A', text: open, item: id });
      await b.shot(page, `notifications-marked-read-${lang}`, { fullPage: false });
      await page.keyboard.press('Tab');
      const next = await focused(page);
      expect(next.item, `${lang}: Tab goes on to the next reminder`).to.equal(await page.locator('.notif').nth(1).getAttribute('data-id'));
      // the next test starts with both unread again
      await b.t.ctx.models.Notification.updateMany({}, { $set: { readAt: null } });
    }
  });

  const pill = (page: import('playwright-core').Page) => page.evaluate(() => document.querySelector('#nav-notifications .count-pill [aria-hidden]')?.textContent ?? '');
  const readAt = async (id: string | null) => (await b.t.ctx.models.Notification.findById(id, { readAt: 1 }).lean())?.readAt ?? null;
  const markRead = (page: import('playwright-core').Page, id: string | null) =>
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/api/me/notifications/${id}/read`));

  it('when the reader follows a reminder’s “Buka perjanjian” link (on a phone), then the agreement opens, and back on the page that reminder is read and both counts dropped by one', async () => {
    await b.t.ctx.models.Notification.updateMany({}, { $set: { readAt: null } });
    const page = await b.signIn(await b.newContext({ viewport: PHONE, lang: 'id' }), drafter);
    await page.goto(`${b.baseUrl}/#/notifications`);
    await page.waitForSelector('#notifications[aria-busy="false"] .notif');
    await page.waitForFunction(() => document.querySelector('#nav-notifications .count-pill [aria-hidden]')?.textContent === '2');
    const item = page.locator('.notif').filter({ hasText: 'Tanggapan Kemnaker' });
    const id = await item.getAttribute('data-id');

    const marked = markRead(page, id);
    await item.locator('a', { hasText: 'Buka perjanjian' }).click();
    await page.waitForFunction(() => document.querySelector('#agreement-title')?.textContent === 'MoU Uji Baca');
    expect((await marked).status()).to.equal(200);
    expect(await readAt(id), 'recorded as read').to.be.an.instanceOf(Date);

    await page.goBack();
    await page.waitForSelector('#notifications[aria-busy="false"] .notif');
    const back = page.locator('.notif').filter({ hasText: 'Tanggapan Kemnaker' });
    expect(await back.locator('.notif-state').textContent()).to.equal('Sudah dibaca');
    expect(await back.evaluate((li) => li.classList.contains('notif-unread'))).to.equal(false);
    expect(await page.locator('.notif').filter({ hasText: 'Tanggapan Biro Hukum' }).locator('.notif-state').textContent(), 'the other stays unread').to.equal('Belum dibaca');
    expect(await page.locator('#notif-summary').textContent()).to.equal('1 belum dibaca dari 2');
    await page.waitForFunction(() => document.querySelector('#nav-notifications .count-pill [aria-hidden]')?.textContent === '1');
    expect(await pill(page)).to.equal('1');
    await b.shot(page, 'notifications-followed-id-390', { fullPage: false });
  });

  it('when the reader opens a reminder’s link in another tab with the middle button (on a desk), then it is marked read in place: the page stays, and says so in both counts', async () => {
    await b.t.ctx.models.Notification.updateMany({}, { $set: { readAt: null } });
    const context = await b.newContext({ viewport: LAPTOP, lang: 'en' });
    const page = await b.signIn(context, drafter);
    await page.goto(`${b.baseUrl}/#/notifications`);
    await page.waitForSelector('#notifications[aria-busy="false"] .notif');
    await page.waitForFunction(() => document.querySelector('#nav-notifications .count-pill [aria-hidden]')?.textContent === '2');
    const item = page.locator('.notif').filter({ hasText: 'Tanggapan Biro Hukum' });
    const id = await item.getAttribute('data-id');

    const marked = markRead(page, id);
    await item.locator('a', { hasText: 'Open the agreement' }).click({ button: 'middle' });
    expect((await marked).status()).to.equal(200);
    await item.locator('.notif-state', { hasText: /^Read$/ }).waitFor();
    expect(new URL(page.url()).hash).to.equal('#/notifications');
    expect(await item.locator('button').count(), 'no “Mark as read” left').to.equal(0);
    expect(await page.locator('#notif-summary').textContent()).to.equal('1 unread of 2');
    await page.waitForFunction(() => document.querySelector('#nav-notifications .count-pill [aria-hidden]')?.textContent === '1');
    expect(await readAt(id)).to.be.an.instanceOf(Date);
    await b.shot(page, 'notifications-middle-click-en-1366', { fullPage: false });
    for (const other of context.pages()) if (other !== page) await other.close();
    await b.t.ctx.models.Notification.updateMany({}, { $set: { readAt: null } });
  });

  it('when every reminder has been read and the reader picks “Unread only” (id on a phone, en on a desk), then the page says none is unread, not “0 of 0” and “No notifications” as if there were none at all', async () => {
    await b.t.ctx.models.Notification.updateMany({}, { $set: { readAt: new Date() } });
    const expected = {
      id: { summary: '0 belum dibaca', empty: 'Tidak ada notifikasi yang belum dibaca.' },
      en: { summary: '0 unread', empty: 'No unread notifications.' },
    };
    for (const [lang, viewport] of [['id', PHONE], ['en', LAPTOP]] as const) {
      const page = await b.signIn(await b.newContext({ viewport, lang }), drafter);
      await page.goto(`${b.baseUrl}/#/notifications?unread=true`);
      await page.waitForSelector('#notifications[aria-busy="false"] .empty');
      expect(await page.locator('#notif-summary').textContent(), lang).to.equal(expected[lang].summary);
      expect(await page.locator('#notifications .empty').textContent(), lang).to.equal(expected[lang].empty);
      await b.shot(page, `notifications-none-unread-${lang}`, { fullPage: false });
      // the list of all still counts the two read ones
      await page.click('.tabs a:first-child');
      await page.waitForSelector('#notifications[aria-busy="false"] .notif');
      expect(await page.locator('#notif-summary').textContent(), lang).to.equal(lang === 'id' ? '0 belum dibaca dari 2' : '0 unread of 2');
    }
    await b.t.ctx.models.Notification.updateMany({}, { $set: { readAt: null } });
  });
});
