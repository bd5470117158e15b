import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { createAgreementVia, moveVia, signVia } from '../support/agreements.js';
import { uploadMissingFinalTexts } from '../support/documents.js';

/**
 * A keyboard user in a modal dialog: Tab from its last control went out of the dialog, into the
 * browser's own controls, with the dialog still open over the page. Tab and Shift+Tab now go round
 * the dialog's controls, and closing it gives focus back to the control that opened it.
 */
describe('web interface: keyboard focus in a modal dialog', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let admin: TestUser;
  let signatory: TestUser;
  let drafter: string;

  useBrowserHarness('web_dialog_focus', async (harness) => {
    b = harness;
    admin = await createUser(b.t, { role: 'admin', name: 'Ayu Administrator' });
    signatory = await createUser(b.t, { role: 'signatory', name: 'Sri Penanda Tangan' });
    drafter = (await loginAs(b.t, 'drafter')).token;
  });

  async function signIn(user: TestUser): Promise<Page> {
    return b.signIn(await b.newContext({ lang: 'id' }), user);
  }

  /** Where focus is after each of `presses` presses of `key`: the focused control's id, marked when outside `dialog`. */
  async function focusWalk(page: Page, dialog: string, key: 'Tab' | 'Shift+Tab', presses: number): Promise<string[]> {
    const walk: string[] = [];
    for (let i = 0; i < presses; i++) {
      await page.keyboard.press(key);
      walk.push(await page.evaluate((sel) => {
        const el = document.activeElement;
        return el?.closest(sel) ? el.id : `outside the dialog: ${el?.tagName ?? 'nothing'}`;
      }, dialog));
    }
    return walk;
  }

  const focused = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

  it('when Tab and Shift+Tab are pressed in the dialog that removes a holiday, then focus goes round its two buttons and returns to the remove button on Escape', async () => {
    const page = await signIn(admin);
    await page.goto(`${b.baseUrl}/#/admin?tab=holidays&year=2026`);
    await page.waitForSelector('#holidays-list[aria-busy="false"]');
    await page.focus('#remove-2026-08-17');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#holiday-remove-dialog[open]');
    expect(await focused(page)).to.equal('holiday-remove-dialog-cancel');
    expect(await focusWalk(page, '#holiday-remove-dialog', 'Tab', 4)).to.deep.equal([
      'holiday-remove-dialog-ok', 'holiday-remove-dialog-cancel', 'holiday-remove-dialog-ok', 'holiday-remove-dialog-cancel',
    ]);
    expect(await focusWalk(page, '#holiday-remove-dialog', 'Shift+Tab', 3)).to.deep.equal([
      'holiday-remove-dialog-ok', 'holiday-remove-dialog-cancel', 'holiday-remove-dialog-ok',
    ]);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('#holiday-remove-dialog'));
    expect(await focused(page)).to.equal('remove-2026-08-17');
    expect(await page.locator('tr[data-date="2026-08-17"]').count(), 'nothing removed').to.equal(1);
  });

  it('when Tab and Shift+Tab are pressed in the refusal dialog, then focus goes round the reason, the choice of outcome (one stop) and the buttons, also from the message of a refusal by the server', async () => {
    const parties = [
      { name: 'Kementerian Luar Negeri', kind: 'agency', country: 'ID', signatory: { name: 'Direktur PWNI', title: 'Direktur', email: 'direktur@test.local' } },
      { name: 'LPSK', kind: 'agency', country: 'ID', signatory: { name: 'Ketua LPSK', title: 'Ketua', email: signatory.email } },
    ];
    const a = await createAgreementVia(b.t, drafter, { type: 'cooperation_agreement', title: { id: 'PKS Uji Fokus Dialog', en: 'Dialog Focus Test PKS' }, authenticLanguages: ['id'], parties });
    await moveVia(b.t, drafter, a.id, 'interagency_consultation');
    await moveVia(b.t, drafter, a.id, 'legal_review');
    await uploadMissingFinalTexts(b.t, drafter, a.id);
    await moveVia(b.t, drafter, a.id, 'text_agreed');
    await moveVia(b.t, drafter, a.id, 'awaiting_signature');

    const page = await signIn(signatory);
    await page.goto(`${b.baseUrl}/#/agreements/${a.id}`);
    const opener = page.locator('#parties tbody tr').nth(1).locator('button.decline-party');
    await opener.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#decline-dialog[open]');
    expect(await focused(page)).to.equal('reason');
    expect(await focusWalk(page, '#decline-dialog', 'Tab', 5)).to.deep.equal(['outcome-reopen', 'decline-dialog-ok', 'decline-dialog-cancel', 'reason', 'outcome-reopen']);
    await page.keyboard.press('ArrowDown');
    expect(await focused(page), 'the other outcome chosen').to.equal('outcome-on_hold');
    expect(await focusWalk(page, '#decline-dialog', 'Shift+Tab', 3)).to.deep.equal(['reason', 'decline-dialog-cancel', 'decline-dialog-ok']);

    // the server refuses (someone else signed meanwhile): its message takes focus, and Tab stays in the dialog from there
    expect((await signVia(b.t, drafter, a.id, a.parties[1].id)).status).to.equal(200);
    await page.fill('#reason', 'Pasal 5 belum disepakati');
    await page.click('#decline-dialog-ok');
    await page.waitForSelector('#decline-dialog .dialog-error .alert');
    expect(await focusWalk(page, '#decline-dialog', 'Shift+Tab', 1)).to.deep.equal(['decline-dialog-cancel']);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('#decline-dialog'));
    expect(await page.evaluate(() => document.activeElement?.classList.contains('decline-party'))).to.equal(true);
  });

  it('when Tab and Shift+Tab are pressed in the dialog that deletes a user, then focus goes round its reason and buttons and returns to the delete button on Escape', async () => {
    const doomed = await createUser(b.t, { role: 'diplomat', name: 'Dimas Diplomat' });
    const page = await signIn(admin);
    await page.goto(`${b.baseUrl}/#/admin`);
    await page.waitForSelector('table.users-table');
    const opener = `tr[data-email="${doomed.email}"] button.button-danger`;
    await page.focus(opener);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#delete-dialog[open]');
    expect(await focused(page)).to.equal('delete-reason');
    expect(await focusWalk(page, '#delete-dialog', 'Tab', 4)).to.deep.equal(['delete-confirm', 'delete-cancel', 'delete-reason', 'delete-confirm']);
    expect(await focusWalk(page, '#delete-dialog', 'Shift+Tab', 3)).to.deep.equal(['delete-reason', 'delete-cancel', 'delete-confirm']);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('#delete-dialog'));
    expect(await page.evaluate((sel) => document.activeElement === document.querySelector(sel), opener)).to.equal(true);
  });
});
