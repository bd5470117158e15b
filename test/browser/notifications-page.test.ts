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
