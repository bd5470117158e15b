import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, type TestUser } from '../support/users.js';

/**
 * The agreement form, when a party's signatory e-mail belongs to an account that may not record
 * signatures: the agreement is saved and its page says, in the reader's language, that this person
 * will not be able to sign and what can be done (it said only "created").
 */
describe('web interface: a signatory e-mail that belongs to an account that cannot sign', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let drafter: TestUser;
  let diplomat: TestUser;
  let signatory: TestUser;

  useBrowserHarness('web_signatory_warning', async (harness) => {
    b = harness;
    drafter = await createUser(b.t, { role: 'drafter', name: 'Rina Perancang' });
    diplomat = await createUser(b.t, { role: 'diplomat', name: 'Dimas Diplomat', email: 'dimas.diplomat@test.pwni.local' });
    signatory = await createUser(b.t, { role: 'signatory', name: 'Sri Penanda Tangan' });
  });

  const flash = (page: Page) => page.locator('#detail-flash');

  it('when a drafter names a diplomat as a party’s signatory (id), then the page warns that they cannot sign; once an English reader names a signatory instead, the change is simply saved', async () => {
    const page = await b.signIn(await b.newContext({ lang: 'id' }), drafter);
    await page.click('#nav-new');
    await page.waitForSelector('#agreement-form');
    await page.selectOption('#type', 'mou');
    await page.fill('#title-id', 'Nota Kesepahaman Uji Penanda Tangan');
    await page.fill('#title-en', 'Signatory Test Memorandum');
    await page.fill('#parties-0-signatory-name', 'Direktur PWNI');
    await page.fill('#parties-0-signatory-email', signatory.email);
    await page.fill('#parties-1-name', 'Malaysia');
    await page.fill('#parties-1-country', 'MY');
    await page.fill('#parties-1-signatory-name', 'Dimas');
    await page.fill('#parties-1-signatory-email', diplomat.email);
    await page.click('#form-submit');
    await page.waitForSelector('#detail-flash');
    const code = await page.locator('#agreement-code').textContent();
    expect(await flash(page).textContent()).to.equal(
      `Perjanjian dibuat: ${code}. Langkah berikutnya: unggah rancangan. ` +
        'Penanda tangan Malaysia (dimas.diplomat@test.pwni.local) memiliki akun berperan “Diplomat”, yang tidak dapat mencatat tanda tangan: ia tidak akan dapat menandatangani di pelacak. Perancang dapat mencatat tanda tangan itu atas nama pihaknya, atau administrator dapat mengubah peran akun itu menjadi “Penanda tangan”.',
    );
    expect(await flash(page).getAttribute('class')).to.contain('alert-warning');
    expect(await page.evaluate(() => document.activeElement?.id), 'the warning is read first').to.equal('detail-flash');

    // the same form in English: saving again still warns, in English
    await page.click('#edit-agreement');
    await page.waitForSelector('#agreement-form');
    await page.click('#lang-en');
    await page.waitForFunction(() => document.documentElement.lang === 'en' && document.querySelector('#agreement-form'));
    await page.click('#form-submit');
    await page.waitForSelector('#detail-flash');
    expect(await flash(page).textContent()).to.equal(
      'Changes saved. The signatory of Malaysia (dimas.diplomat@test.pwni.local) has an account with the role “Diplomat”, which cannot record signatures: they will not be able to sign in the tracker. A legal drafter can record the signature on the party’s behalf, or an administrator can give the account the role “Signatory”.',
    );

    await page.click('#edit-agreement');
    await page.waitForSelector('#agreement-form');
    await page.fill('#parties-1-signatory-email', signatory.email);
    await page.click('#form-submit');
    await page.waitForSelector('#detail-flash');
    expect(await flash(page).textContent()).to.equal('Changes saved.');
    expect(await flash(page).getAttribute('class')).to.contain('alert-success');
  });
});
