import { expect } from 'chai';
import { type BrowserHarness, PHONE, useBrowserHarness } from '../support/browser.js';
import { createUser, type TestUser } from '../support/users.js';
import { createAgreementVia } from '../support/agreements.js';
import { loginAs } from '../support/users.js';

/**
 * An error the API reports on a field names it by its path (`term.expiresAt`); the page said so
 * verbatim ("Rincian: term › expiresAt: harus di antara …"). It names the field as the form does.
 */
describe('web interface: errors name fields as people know them', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let drafter: TestUser;
  let token: string;

  useBrowserHarness('web_error_labels', async (harness) => {
    b = harness;
    drafter = await createUser(b.t, { role: 'drafter', name: 'Rina Perancang' });
    token = (await loginAs(b.t, 'drafter', { user: drafter })).token;
  });

  it('when the term’s end date lies outside the dates the service takes, then the dialog names the field “Tanggal berakhir” / “End date”, never term › expiresAt, at phone width', async () => {
    const expected = {
      id: { label: 'Tanggal berakhir', details: 'Rincian:' },
      en: { label: 'End date', details: 'Details:' },
    };
    for (const lang of ['id', 'en'] as const) {
      const a = await createAgreementVia(b.t, token, { title: { id: `MoU Uji Label ${lang}`, en: `Label Test MoU ${lang}` } });
      const page = await b.signIn(await b.newContext({ viewport: PHONE, lang }), drafter);
      await page.goto(`${b.baseUrl}/#/agreements/${a.id}`);
      await page.click('#term-edit');
      await page.waitForSelector('#term-dialog[open]');
      await page.fill('#term-expiresAt', '2300-01-01');
      await page.click('#term-dialog-ok');
      await page.waitForSelector('#term-dialog .dialog-error .error-details li');
      const item = page.locator('#term-dialog .dialog-error .error-details li[data-field="term.expiresAt"]');
      expect(await item.locator('strong').textContent(), lang).to.equal(expected[lang].label);
      const text = (await page.locator('#term-dialog .dialog-error').textContent()) ?? '';
      expect(text, lang).to.contain(expected[lang].details);
      expect(text, lang).to.contain('2200-12-31');
      expect(text, lang).not.to.match(/expiresAt|term ›/);
      expect(await page.getAttribute('#term-expiresAt', 'aria-invalid'), lang).to.equal('true');
      await b.shot(page, `error-labels-term-${lang}-phone`, { fullPage: false });
    }
  });

  it('when the API names a field of the term, the entry into force, a signature or a deadline, then the page gives it its name in both languages, and an unknown field keeps its path', async () => {
    const page = await b.signIn(await b.newContext({ lang: 'id' }), drafter);
    const labels = (lang: 'id' | 'en') =>
      page.evaluate(
        async ({ lang }) => {
          // the page's own modules, as the page loaded them (names in variables: the type checker does not follow them)
          const [i18nModule, feedbackModule] = ['/i18n.js', '/feedback.js'];
          (await import(i18nModule)).setLang(lang);
          const { fieldLabel } = await import(feedbackModule);
          const fields = ['term', 'term.expiresAt', 'term.durationMonths', 'term.noticePeriodDays', 'entryIntoForce.date', 'entryIntoForce.basis', 'signedAt', 'dueAt', 'note', 'recipients.0.email', 'parties.1.officialName', 'somethingNew.inner'];
          return fields.map(fieldLabel);
        },
        { lang },
      );
    expect(await labels('id')).to.deep.equal([
      'Masa berlaku',
      'Tanggal berakhir',
      'Jangka waktu',
      'Jangka waktu pemberitahuan',
      'Tanggal mulai berlaku',
      'Dasar mulai berlaku',
      'Tanggal tanda tangan',
      'Tenggat',
      'Catatan',
      'Penerima › #1 › E-mail',
      'Pihak 2 › Nama resmi dalam aksara sendiri',
      'somethingNew › inner',
    ]);
    expect(await labels('en')).to.deep.equal([
      'Term',
      'End date',
      'Duration',
      'Notice period',
      'Entry-into-force date',
      'Basis of entry into force',
      'Date of signature',
      'Due',
      'Note',
      'Recipients › #1 › E-mail',
      'Party 2 › Official name in its own script',
      'somethingNew › inner',
    ]);
  });
});
