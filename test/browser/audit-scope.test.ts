import { expect } from 'chai';
import { type BrowserHarness, LAPTOP, PHONE, useBrowserHarness } from '../support/browser.js';
import { createUser, type TestUser } from '../support/users.js';
import { loadDemo } from '../support/demo.js';

/**
 * What "verify every chain" covered. An auditor of PWNI may not see the demo's confidential PKS led
 * by Ditjen Protkons, so the check recomputes the chains of the agreements they may see: the
 * result has to say so, not "every chain is intact", which an administrator alone can be told.
 */
describe('web interface: what the whole-registry audit covered', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let auditor: TestUser;
  let admin: TestUser;
  let all: number;

  useBrowserHarness('web_audit_scope', async (harness) => {
    b = harness;
    await loadDemo(b.t);
    auditor = await createUser(b.t, { role: 'auditor', name: 'Sari Auditor', unit: 'PWNI' });
    admin = await createUser(b.t, { role: 'admin', name: 'Ayu Administrator', unit: 'PWNI' });
    all = await b.t.ctx.models.Agreement.countDocuments({});
  });

  const verifyAll = async (user: TestUser, lang: 'id' | 'en', viewport = LAPTOP) => {
    const context = await b.newContext({ lang, viewport });
    const page = await b.signIn(context, user);
    await page.goto(`${b.baseUrl}/#/audit`);
    await page.click('#verify-all');
    const notice = page.locator('#audit-all .alert');
    await notice.waitFor();
    return { page, text: (await notice.textContent())?.trim() ?? '' };
  };

  for (const [lang, viewport, words] of [
    ['id', PHONE, (n: number, e: number) => `Tidak ada rantai yang rusak di antara perjanjian yang dapat Anda lihat: ${n} perjanjian, ${e} peristiwa diperiksa. Perjanjian rahasia unit lain tidak termasuk; administrator dapat memverifikasinya.`],
    ['en', LAPTOP, (n: number, e: number) => `Every chain you may see is intact: ${n} agreements, ${e} events checked. Other units’ confidential agreements are not included; an administrator can verify them.`],
  ] as const) {
    it(`when an auditor verifies every chain (${lang}), then the result says it covered the agreements they may see, not the registry`, async () => {
      const visibleCount = b.t.ctx.models.Agreement.collection.countDocuments({ audience: { $in: ['*', 'PWNI'] } });
      const { page, text } = await verifyAll(auditor, lang, viewport);
      const visible = await visibleCount;
      expect(visible, 'the demo has a confidential agreement of another unit').to.be.below(all);
      const events = Number(/(\d+) (peristiwa|events)/.exec(text)?.[1]);
      expect(text).to.equal(words(visible, events));
      await b.shot(page, `audit-scope-auditor-${lang}`, { fullPage: false });
    });
  }

  it('when an administrator verifies every chain, then the result speaks of every chain, all agreements counted', async () => {
    const { text } = await verifyAll(admin, 'en');
    expect(text).to.match(new RegExp(`^Every chain is intact: ${all} agreements, \\d+ events checked\\.$`));
  });
});
