import { expect } from 'chai';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createTestApp, type TestApp } from './app.js';
import type { TestUser } from './users.js';
import type { Clock } from '../../lib/clock.js';

/** Debian's Chromium unless CHROMIUM_PATH says otherwise; browser tests skip without it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where screenshots are kept as test artefacts (git-ignored). */
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? path.resolve('test/browser/screenshots');
export const PHONE = { width: 390, height: 844 };
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The serious and critical axe-core violations on the page, as "rule (impact): targets". The AAA
 * contrast rule (7:1 for text) is on too: much of the interface is small text (dates, hashes,
 * labels) read on laptops in bright offices and on phones outdoors. Two regions of one name are
 * counted too, though axe calls them moderate: a screen reader's list of regions then offers
 * "Users" twice, the card and the table in it, and nothing tells them apart.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'], rules: { 'color-contrast-enhanced': { enabled: true } } });
    return result.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'landmark-unique')
      .map((v: any) => `${v.id} (${v.impact}): ${v.nodes.map((n: any) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  });
}
export const LAPTOP = { width: 1366, height: 900 };

/**
 * Counts, in every page of `context`, the change events its live connection has brought
 * (`window.__changes`, read from a copy of the stream), so that a test knows a change has reached
 * the page rather than waiting some time for it (liveChanges).
 */
export async function countLiveChanges(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as any;
    w.__changes = 0;
    const fetchBefore = window.fetch.bind(window);
    window.fetch = async (...args: Parameters<typeof fetch>) => {
      const res = await fetchBefore(...args);
      if (!String(args[0]).includes('/api/events') || !res.body) return res;
      const [forPage, forCount] = res.body.tee();
      void (async () => {
        const reader = forCount.pipeThrough(new TextDecoderStream()).getReader();
        let text = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          text += value;
          const blocks = text.split(/\r?\n\r?\n/);
          text = blocks.pop()!;
          w.__changes += blocks.filter((block) => /^event: change$/m.test(block)).length;
        }
      })().catch(() => undefined);
      return new Response(forPage, { status: res.status, statusText: res.statusText, headers: res.headers });
    };
  });
}

/** How many change events the page's live connection has brought (see countLiveChanges). */
export const liveChanges = (page: Page): Promise<number> => page.evaluate(() => (window as any).__changes as number);

export interface BrowserHarness {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  /** what pages reported as errors: uncaught exceptions and console errors (CSP violations land there) */
  pageErrors: string[];
  newContext(options?: { viewport?: { width: number; height: number }; lang?: 'id' | 'en' }): Promise<BrowserContext>;
  newPage(context: BrowserContext): Promise<Page>;
  /** Signs in through the form, as a person would, and waits for the board. */
  signIn(context: BrowserContext, user: TestUser): Promise<Page>;
  /** Before each test: forgets what earlier tests' pages reported. */
  startTest(): void;
  /**
   * After each test: closes every context opened since it started and, when it passed, fails it if
   * its pages reported errors (a CSP violation or a script error fails the test that caused it,
   * even if the page looked right).
   */
  endTest(test: { state?: string } | undefined): Promise<void>;
  /** A full-page screenshot under SCREENSHOT_DIR (`fullPage: false` for what is on screen, e.g. a dialog). */
  shot(page: Page, name: string, options?: { fullPage?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/** The real app on a real database, listening on loopback, and a headless Chromium. */
export async function startBrowserHarness(label: string, options: { clock?: Clock; env?: Record<string, string> } = {}): Promise<BrowserHarness> {
  const t = await createTestApp({ label, clock: options.clock, env: options.env });
  const server: Server = t.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const pageErrors: string[] = [];
  const openContexts: BrowserContext[] = [];
  const harness: BrowserHarness = {
    t,
    baseUrl,
    browser,
    pageErrors,
    async newContext({ viewport = LAPTOP, lang } = {}) {
      const context = await browser.newContext({ viewport, acceptDownloads: true, hasTouch: viewport.width <= PHONE.width, isMobile: false });
      openContexts.push(context);
      // the language choice as the switch stores it, before the first page loads
      if (lang) await context.addInitScript((l) => localStorage.setItem('pwni.lang', l), lang);
      return context;
    },
    async newPage(context) {
      const page = await context.newPage();
      page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text())) pageErrors.push(`console: ${msg.text()}`);
      });
      return page;
    },
    async signIn(context, user) {
      const page = await harness.newPage(context);
      await page.goto(`${baseUrl}/`);
      await page.fill('#login-email', user.email);
      await page.fill('#login-password', user.password);
      await page.click('#login-submit');
      await page.waitForSelector('table.board-table:visible, .board-cards:visible, #board-empty:visible');
      return page;
    },
    startTest() {
      pageErrors.length = 0;
    },
    async endTest(test) {
      // close() is a no-op on a context the test closed itself
      for (const context of openContexts.splice(0)) await context.close();
      if (test?.state === 'passed') expect(pageErrors, 'errors reported by the page').to.deep.equal([]);
    },
    async shot(page, name, { fullPage = true } = {}) {
      fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage });
    },
    async close() {
      await browser.close();
      // live pages hold GET /api/events open: the server would otherwise wait for them
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.close();
    },
  };
  return harness;
}

/**
 * A browser suite's hooks, registered in its `describe`: skipped with a warning where there is no
 * Chromium; one harness for the suite, on which `setUp` makes what its tests share (users, demo
 * data); each test's page errors checked after it, and the harness closed at the end.
 */
export function useBrowserHarness(label: string, setUp: (harness: BrowserHarness) => Promise<void>, options: Parameters<typeof startBrowserHarness>[1] = {}): void {
  let harness: BrowserHarness | undefined;
  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      console.warn(`\n    Browser tests skipped: no Chromium at ${CHROMIUM}\n`);
      this.skip();
    }
    harness = await startBrowserHarness(label, options);
    await setUp(harness);
  });
  after(async () => harness?.close());
  beforeEach(() => harness?.startTest());
  afterEach(async function () {
    await harness?.endTest(this.currentTest);
  });
}
