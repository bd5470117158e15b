import fs from 'node:fs';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { CHROMIUM, startBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { createAgreementVia } from '../support/agreements.js';

/**
 * What a mission on a slow link downloads: before signing in only the shell and the sign-in page
 * with their texts; each other page's module, with its texts, the first time it is shown; a board view in a handful of API calls,
 * however many stages there are.
 */
const PAGE_MODULES = ['board', 'detail', 'notifications', 'calendar', 'audit', 'admin', 'signatures', 'agreement-form', 'reports'].map((name) => `/pages/${name}.js`);

describe('page loading in a browser', function () {
  this.timeout(60_000);

  let h: BrowserHarness | undefined;
  let drafter: TestUser;
  let agreementId: string;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      console.warn(`\n    Browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)\n`);
      this.skip();
    }
    h = await startBrowserHarness('page_loading');
    drafter = await createUser(h.t, { role: 'drafter', name: 'Rina Perancang' });
    const { token } = await loginAs(h.t, 'drafter', { user: drafter });
    agreementId = (await createAgreementVia(h.t, token, { title: { id: 'Nota Kesepahaman Muat Halaman', en: 'Page Loading Memorandum' } })).id;
  });

  after(async () => h?.close());

  /** Every path the page asks the server for, in order. */
  function recordRequests(page: Page): string[] {
    const paths: string[] = [];
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.origin === h!.baseUrl) paths.push(`${req.method()} ${url.pathname}${url.search}`);
    });
    return paths;
  }

  it('when the sign-in page opens, then no other page module is downloaded, and signing in fetches only the board’s', async () => {
    const context = await h!.newContext();
    try {
      const page = await h!.newPage(context);
      const requested = recordRequests(page);
      await page.goto(`${h!.baseUrl}/`);
      await page.waitForSelector('#login-form');
      await page.waitForLoadState('networkidle');
      const before = requested.map((r) => r.split(' ')[1]);
      expect(before).to.include.members(['/app.js', '/pages/login.js']);
      expect(before.filter((p) => PAGE_MODULES.includes(p)), 'page modules fetched before signing in').to.deep.equal([]);
      expect(before.filter((p) => p.startsWith('/api/')), 'API calls before signing in').to.deep.equal([]);
      // texts: the header's and the sign-in page's only
      expect(before.filter((p) => p.startsWith('/i18n')), 'texts fetched before signing in').to.deep.equal(['/i18n.js', '/i18n/shell.js']);

      requested.length = 0;
      await page.fill('#login-email', drafter.email);
      await page.fill('#login-password', drafter.password);
      await page.click('#login-submit');
      await page.waitForSelector('table.board-table');
      await page.waitForLoadState('networkidle');
      const after = requested.map((r) => r.split(' ')[1]);
      expect(after.filter((p) => PAGE_MODULES.includes(p))).to.deep.equal(['/pages/board.js']);
      expect(after.filter((p) => p.startsWith('/i18n')).sort(), 'texts fetched with the board').to.deep.equal(['/i18n/board.js', '/i18n/common.js']);
      // the board itself: its page with counts per stage in one answer, whatever the number of stages
      const apiCalls = requested.filter((r) => / \/api\//.test(r) && !r.startsWith('POST /api/auth/login') && !r.includes('/api/events'));
      expect(apiCalls.length, apiCalls.join('\n')).to.be.at.most(3);
      expect(apiCalls.filter((r) => r.startsWith('GET /api/agreements?'))).to.have.length(1);
      expect(h!.pageErrors, 'errors reported by the page').to.deep.equal([]);
    } finally {
      await context.close();
    }
  });

  it('when an agreement page opens, then all its API calls leave before the first answer comes back (one round trip, not two)', async () => {
    const context = await h!.newContext();
    try {
      const page = await h!.signIn(context, drafter);
      const events: string[] = [];
      const mine = (url: string) => new URL(url).pathname.startsWith(`/api/agreements/${agreementId}`);
      page.on('request', (req) => {
        if (mine(req.url())) events.push(`request ${new URL(req.url()).pathname}`);
      });
      page.on('response', (res) => {
        if (mine(res.url())) events.push(`response ${new URL(res.url()).pathname}`);
      });
      await page.goto(`${h!.baseUrl}/#/agreements/${agreementId}`);
      await page.waitForSelector('#summary');
      await page.waitForSelector('#next-steps');
      const requests = events.filter((e) => e.startsWith('request '));
      expect(requests.map((e) => e.replace(`request /api/agreements/${agreementId}`, '') || '/').sort()).to.deep.equal(['/', '/deadlines', '/documents', '/history', '/transitions']);
      const firstAnswer = events.findIndex((e) => e.startsWith('response '));
      expect(firstAnswer, events.join('\n')).to.be.greaterThan(events.lastIndexOf(requests.at(-1)!));
      expect(h!.pageErrors, 'errors reported by the page').to.deep.equal([]);
    } finally {
      await context.close();
    }
  });

  it('when an agreement page is opened first, then its API calls leave with its module, not after the module has arrived, and each is asked once', async () => {
    const context = await h!.newContext();
    try {
      // signed in on the board: the agreement page's module has not been fetched in this context yet
      const page = await h!.signIn(context, drafter);
      const events: string[] = [];
      page.on('request', (req) => {
        const p = new URL(req.url()).pathname;
        if (p === '/pages/detail.js' || p.startsWith(`/api/agreements/${agreementId}`)) events.push(`request ${p}`);
      });
      page.on('response', (res) => {
        if (new URL(res.url()).pathname === '/pages/detail.js') events.push('response /pages/detail.js');
      });
      await page.goto(`${h!.baseUrl}/#/agreements/${agreementId}`);
      await page.waitForSelector('.detail[aria-busy="false"] #next-steps h2');
      const moduleArrived = events.indexOf('response /pages/detail.js');
      expect(moduleArrived, events.join('\n')).to.be.greaterThan(-1);
      const apiCalls = events.filter((e) => e.startsWith('request /api/'));
      expect(apiCalls.map((e) => e.replace(`request /api/agreements/${agreementId}`, '') || '/').sort(), events.join('\n')).to.deep.equal(['/', '/deadlines', '/documents', '/history', '/transitions']);
      for (const call of apiCalls) expect(events.indexOf(call), events.join('\n')).to.be.lessThan(moduleArrived);
      expect(await page.locator('#agreement-title').textContent()).to.equal('Nota Kesepahaman Muat Halaman');
      expect(h!.pageErrors, 'errors reported by the page').to.deep.equal([]);
    } finally {
      await context.close();
    }
  });
});
