import { expect } from 'chai';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { axeViolations, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { bearer } from '../support/agreements.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { loadDemo } from '../support/demo.js';

/**
 * Every page, as every role, in both languages, with the demo data: nothing on it reads "null",
 * "undefined", "NaN" or "[object Object]" (a value the page forgot to turn into words, or a
 * missing element appended as text, as the reports page once did for roles without its import
 * card), and no request is refused; and axe-core finds nothing serious on any of them, with the
 * navigation's unread count showing (a reminder sweep has run over the demo's overdue deadlines);
 * and no id is used twice (a label, aria-describedby or a test finding the wrong element: the
 * agreement form's language boxes once took the ids of the header's language buttons).
 */
const ROLES = ['admin', 'drafter', 'diplomat', 'signatory', 'auditor'] as const;
const PAGES = ['agreements', 'agreements/new', 'signatures', 'notifications', 'calendar', 'reports', 'audit', 'admin', 'settings'];
const RAW = /\b(null|undefined|NaN)\b|\[object /;

describe('web interface: every page as every role', function () {
  this.timeout(240_000);

  let b: BrowserHarness;
  const users = {} as Record<(typeof ROLES)[number], TestUser>;
  let agreementIds: string[] = [];

  useBrowserHarness('web_every_page', async (harness) => {
    b = harness;
    await loadDemo(b.t);
    for (const role of ROLES) users[role] = await createUser(b.t, { role, name: `Uji ${role}` });
    // one agreement of each kind of page: signed, in force, awaiting signature, in drafting
    const codes = ['PKS-ID-2022-01', 'MOU-MY-2022-01', 'PED-ID-2022-01', 'MOU-ID-2022-01'];
    const found = await b.t.ctx.models.Agreement.collection.find({ code: { $in: codes } }, { projection: { _id: 1, code: 1 } }).toArray();
    expect(found).to.have.length(codes.length);
    // by code: a find without a sort promises no order (on MongoDB least of all)
    agreementIds = codes.map((code) => String(found.find((a) => a.code === code)!._id));
    // the demo's overdue deadlines give people reminders, so the navigation shows its unread count
    const { token } = await loginAs(b.t, 'admin', { user: users.admin });
    await request(b.t.app).post('/api/reminders/sweep').set(bearer(token)).expect(200);
  });

  /** What the page shows that is a raw value rather than words: text, and the attributes people hear or see. */
  const rawValues = (page: Page) =>
    page.evaluate((pattern) => {
      const raw = new RegExp(pattern);
      const found: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) if (raw.test(walker.currentNode.nodeValue ?? '')) found.push(walker.currentNode.nodeValue!.trim().slice(0, 80));
      for (const el of document.querySelectorAll('[title], [aria-label], [alt], [placeholder]')) {
        for (const name of ['title', 'aria-label', 'alt', 'placeholder']) {
          const value = el.getAttribute(name);
          if (value && raw.test(value)) found.push(`${name}="${value.slice(0, 80)}"`);
        }
      }
      return found;
    }, RAW.source);

  /** The ids more than one element of the page bears (axe-core looks only at those a label or an aria attribute names). */
  const duplicateIds = (page: Page) =>
    page.evaluate(() => {
      const seen = new Map<string, number>();
      for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
      return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    });

  it('when a drafter prints an agreement, then the paper has what the agreement says and none of the tools that act on it', async () => {
    const page = await b.signIn(await b.newContext(), users.drafter);
    await page.goto(`${b.baseUrl}/#/agreements/${agreementIds[1]}`);
    // MOU-MY-2022-01 has its documents, so every tool is there to be left out
    await page.waitForSelector('#history table, #history ol');
    for (const tool of ['#upload-panel', '#check-panel', '#packet-panel', '#link-form', '.comment-form']) expect(await page.locator(tool).count(), tool).to.equal(1);
    await page.emulateMedia({ media: 'print' });
    for (const tool of ['#upload-panel', '#check-panel', '#packet-panel', '#link-form', '.comment-form', '#next-steps', '.site-header', '#edit-agreement']) {
      expect(await page.locator(tool).first().isVisible(), tool).to.equal(false);
    }
    for (const content of ['h1', '#parties', '#history', '#documents']) expect(await page.locator(content).first().isVisible(), content).to.equal(true);
    await b.shot(page, 'agreement-print-id');
  });

  for (const lang of ['id', 'en'] as const) {
    it(`when each role opens every page in ${lang === 'id' ? 'Indonesian' : 'English'}, then no page shows a raw null, undefined or NaN, no id is used twice, axe finds nothing serious, and no request is refused (a page a role may not open says who it is for without asking the API)`, async () => {
      const seen: Record<string, string[]> = {};
      const axe: Record<string, string[]> = {};
      const duplicated: Record<string, string[]> = {};
      const failed: string[] = [];
      for (const role of ROLES) {
        const context = await b.newContext({ lang });
        const page = await b.signIn(context, users[role]);
        page.on('response', (res) => {
          if (res.status() >= 400) failed.push(`${role} ${res.status()} ${new URL(res.url()).pathname}`);
        });
        for (const hash of [...PAGES, ...agreementIds.map((id) => `agreements/${id}`)]) {
          await page.goto(`${b.baseUrl}/#/${hash}`);
          // the page has drawn its heading and has nothing left loading
          await page.waitForFunction(() => document.querySelector('main h1') && !document.querySelector('main .loading, main [aria-busy="true"]'));
          const raw = await rawValues(page);
          if (raw.length) seen[`${role} #/${hash}`] = raw;
          const ids = await duplicateIds(page);
          if (ids.length) duplicated[`${role} #/${hash}`] = ids;
          const violations = await axeViolations(page);
          if (violations.length) axe[`${role} #/${hash}`] = violations;
        }
        await context.close();
      }
      expect(seen).to.deep.equal({});
      expect(duplicated, 'ids used more than once').to.deep.equal({});
      // serious and critical axe-core findings, AAA contrast included (support/browser.ts)
      expect(axe).to.deep.equal({});
      // the shell tells a role that types another role's address who the page is for, without asking the API
      expect(failed).to.deep.equal([]);
    });
  }
});
