import { expect } from 'chai';
import { LAPTOP, PHONE, axeViolations, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, type TestUser } from '../support/users.js';

/** The settings page read as a whole: each section says its name once, and every control still has one. */
describe('web interface: the settings page', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let diplomat: TestUser;

  useBrowserHarness('web_settings_page', async (harness) => {
    b = harness;
    diplomat = await createUser(b.t, { role: 'diplomat', name: 'Dimas Diplomat' });
  });

  const expected = {
    id: { zone: 'Zona waktu', password: 'Ganti kata sandi', fields: ['Kata sandi saat ini', 'Kata sandi baru', 'Ulangi kata sandi baru'] },
    en: { zone: 'Time zone', password: 'Change password', fields: ['Current password', 'New password', 'Confirm new password'] },
  };

  for (const lang of ['id', 'en'] as const) {
    it(`when the settings page is read (${lang}), then the time zone section names itself once, not as its heading and again as the label right under it, and the list of zones is still named so`, async () => {
      const words = expected[lang];
      for (const viewport of [PHONE, LAPTOP]) {
        const page = await b.signIn(await b.newContext({ viewport, lang }), diplomat);
        await page.goto(`${b.baseUrl}/#/settings`);
        await page.waitForSelector('#settings-zone');
        const lines = (await page.locator('#settings-zone-section').innerText()).split('\n').map((l) => l.trim());
        expect(lines.filter((l) => l === words.zone), `${lang} ${viewport.width}: “${words.zone}” shown as a heading and as a label`).to.have.length(1);
        // a screen reader still hears the select's name
        expect(await page.getByRole('combobox', { name: words.zone, exact: true }).getAttribute('id')).to.equal('settings-zone');
        // the password section's fields each have a name of their own, not the section's
        for (const name of words.fields) expect(await page.getByLabel(name, { exact: true }).count(), name).to.equal(1);
        expect(await page.locator('#settings-password-section-heading').textContent()).to.equal(words.password);
        expect(await axeViolations(page)).to.deep.equal([]);
        await b.shot(page, `settings-page-${lang}-${viewport.width}`);
      }
    });
  }
  it('when a diplomat at a mission opens the list of zones, then headquarters’ and the missions’ zones come first, in a group of their own, and the world’s zones follow without repeating them', async () => {
    for (const lang of ['id', 'en'] as const) {
      const page = await b.signIn(await b.newContext({ viewport: PHONE, lang }), diplomat);
      await page.goto(`${b.baseUrl}/#/settings`);
      await page.waitForSelector('#settings-zone');
      const groups = await page.$$eval('#settings-zone optgroup', (els) => els.map((g) => ({ label: g.label, zones: [...g.querySelectorAll('option')].map((o) => o.value) })));
      expect(groups.map((g) => g.label), lang).to.deep.equal(lang === 'id' ? ['Kantor pusat dan perwakilan', 'Semua zona waktu'] : ['Headquarters and missions', 'All time zones']);
      expect(groups[0].zones.slice(0, 4), lang).to.deep.equal(['Asia/Jakarta', 'Asia/Kuala_Lumpur', 'Asia/Singapore', 'Asia/Riyadh']);
      expect(groups[0].zones, lang).to.include('Asia/Qatar');
      expect(groups[1].zones.filter((z) => groups[0].zones.includes(z)), lang).to.deep.equal([]);
      expect(groups[1].zones, lang).to.include.members(['Africa/Abidjan', 'Europe/Amsterdam', 'Asia/Makassar']);
      // the zone in force is still the one chosen
      expect(await page.inputValue('#settings-zone')).to.equal('Asia/Jakarta');
      await page.selectOption('#settings-zone', 'Asia/Kuala_Lumpur');
      expect(await page.locator('#settings-zone-now').textContent()).to.contain('Asia/Kuala_Lumpur');
    }
  });
});
