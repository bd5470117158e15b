import { expect } from 'chai';
import request from 'supertest';
import type { Page } from 'playwright-core';
import { PHONE, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, loginAs } from '../support/users.js';
import { bearer } from '../support/agreements.js';

/**
 * The personal calendar link is shown once, when it is made; a person who comes back to the
 * calendar page must still learn that they have one, or "create" quietly replaces the link their
 * Outlook reads and the deadlines stop arriving there.
 */
describe('web interface: the calendar page knows whether I have a calendar link', function () {
  this.timeout(120_000);

  let b: BrowserHarness;

  useBrowserHarness('web_calendar_feed', async (harness) => {
    b = harness;
  });

  async function openCalendar(page: Page): Promise<void> {
    await page.goto(`${b.baseUrl}/#/calendar`);
    await page.waitForSelector('#feed-status');
  }

  it('when a signatory who made a link earlier opens the calendar, then the page says since when they have it, the button says the old link stops working, and revoking it is said as done', async () => {
    const user = await createUser(b.t, { role: 'signatory', name: 'Sari Penandatangan' });
    const { token } = await loginAs(b.t, 'signatory', { user });
    const feed = (await request(b.t.app).post('/api/me/calendar-token').set(bearer(token)).expect(201)).body.token;
    const page = await b.signIn(await b.newContext({ viewport: PHONE, lang: 'id' }), user);
    await openCalendar(page);
    expect(await page.locator('#feed-status').innerText()).to.match(/^Anda sudah memiliki tautan kalender, dibuat \d{1,2} \w{3} \d{4}, \d{2}\.\d{2} WIB; belum pernah dibaca oleh aplikasi kalender\.$/);
    expect(await page.locator('#feed-create').textContent()).to.equal('Buat tautan baru (tautan lama tidak berlaku lagi)');
    expect(await page.locator('#feed-revoke').isVisible()).to.equal(true);

    // a calendar application reads it: the page says when
    await request(b.t.app).get(`/api/calendar/${feed}.ics`).expect(200);
    await page.reload();
    await openCalendar(page);
    expect(await page.locator('#feed-status').innerText()).to.match(/; terakhir dibaca \d{1,2} \w{3} \d{4}, \d{2}\.\d{2} WIB\.$/);

    await page.click('#feed-revoke');
    await page.waitForSelector('#feed-result [role="status"]');
    expect(await page.locator('#feed-result').innerText()).to.equal('Tautan kalender dicabut.');
    expect(await page.locator('#feed-status').innerText()).to.equal('Anda belum memiliki tautan kalender.');
    expect(await page.locator('#feed-create').textContent()).to.equal('Buat tautan kalender');
    expect(await page.locator('#feed-revoke').isVisible()).to.equal(false);
    await request(b.t.app).get(`/api/calendar/${feed}.ics`).expect(404);
  });

  it('when a person without a link opens the calendar in English, then the page says they have none and offers no link to revoke; once made, it says so', async () => {
    const user = await createUser(b.t, { role: 'signatory', name: 'Sam Signer' });
    const page = await b.signIn(await b.newContext({ viewport: { width: 1280, height: 900 }, lang: 'en' }), user);
    await openCalendar(page);
    expect(await page.locator('#feed-status').innerText()).to.equal('You have no calendar link yet.');
    expect(await page.locator('#feed-create').textContent()).to.equal('Create a calendar link');
    expect(await page.locator('#feed-revoke').isVisible()).to.equal(false);

    await page.click('#feed-create');
    await page.waitForSelector('#feed-url');
    expect(await page.locator('#feed-status').innerText()).to.match(/^You have a calendar link, created \d{1,2} \w{3} \d{4}, \d{2}:\d{2} WIB; no calendar application has read it yet\.$/);
    expect(await page.locator('#feed-create').textContent()).to.equal('Create a new link (the old one stops working)');
    expect(await page.locator('#feed-revoke').isVisible()).to.equal(true);
    const { token } = await loginAs(b.t, 'signatory', { user });
    const status = (await request(b.t.app).get('/api/me/calendar-token').set(bearer(token)).expect(200)).body;
    expect(status).to.have.keys(['exists', 'createdAt', 'lastUsedAt']);
    expect(status.exists).to.equal(true);
    expect(status.lastUsedAt).to.equal(null);
  });
  it('when the calendar is opened on a phone in Indonesian, then “Semua tenggat” and “Hanya yang ditujukan kepada saya” stand side by side, their underlines on one line', async () => {
    const user = await createUser(b.t, { role: 'diplomat', name: 'Dimas Diplomat' });
    const page = await b.signIn(await b.newContext({ viewport: PHONE, lang: 'id' }), user);
    await openCalendar(page);
    const boxes = await page.$$eval('nav.tabs:has(#cal-mine) .tab', (els) => els.map((el) => { const r = el.getBoundingClientRect(); return { top: Math.round(r.top), bottom: Math.round(r.bottom), right: Math.round(r.right) }; }));
    expect(boxes, 'two tabs').to.have.length(2);
    expect(boxes[1].top, 'the second tab beside the first, not under it').to.equal(boxes[0].top);
    expect(boxes[1].bottom, 'underlines on one line').to.equal(boxes[0].bottom);
    expect(Math.max(...boxes.map((x) => x.right))).to.be.at.most(PHONE.width);
    await b.shot(page, 'calendar-tabs-id-phone', { fullPage: false });
  });
});
