import { expect } from 'chai';
import request from 'supertest';
import { type BrowserHarness, PHONE, useBrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia, moveVia, signVia, toAwaitingSignature } from '../support/agreements.js';
import { uploadMissingFinalTexts } from '../support/documents.js';

/**
 * The refusal dialog says where a refusal takes the agreement and what becomes of the signatures
 * already recorded: back to negotiation for a treaty, back to drafting for a PKS or a guideline
 * (which have no negotiation), the signatures void; on hold, the signatures kept. (It said "back
 * to negotiation" and "signatures become void" for every agreement and both choices.)
 */
describe('web interface: what a refusal to sign leads to', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let drafter: string;
  let signatory: TestUser;

  useBrowserHarness('web_decline_outcome', async (harness) => {
    b = harness;
    drafter = (await loginAs(b.t, 'drafter')).token;
    signatory = await createUser(b.t, { role: 'signatory', name: 'Sri Penanda Tangan' });
  });

  const parties = (email: string) => [
    { name: 'Kementerian Luar Negeri', kind: 'agency', country: 'ID', signatory: { name: 'Direktur PWNI', title: 'Direktur', email: 'direktur@test.local' } },
    { name: 'LPSK', kind: 'agency', country: 'ID', signatory: { name: 'Ketua LPSK', title: 'Ketua', email } },
  ];

  /** A PKS awaiting signature with the Ministry's signature recorded and LPSK's to come from `signatory`. */
  async function pksOneSigned() {
    const a = await createAgreementVia(b.t, drafter, { type: 'cooperation_agreement', title: { id: 'PKS Uji Penolakan', en: 'Refusal Test PKS' }, authenticLanguages: ['id'], parties: parties(signatory.email) });
    await moveVia(b.t, drafter, a.id, 'interagency_consultation');
    await moveVia(b.t, drafter, a.id, 'legal_review');
    await uploadMissingFinalTexts(b.t, drafter, a.id);
    await moveVia(b.t, drafter, a.id, 'text_agreed');
    await moveVia(b.t, drafter, a.id, 'awaiting_signature');
    expect((await signVia(b.t, drafter, a.id, a.parties[0].id)).status).to.equal(200);
    return a;
  }

  async function openDialog(id: string, lang: 'id' | 'en', phone = false) {
    const context = await b.newContext({ lang, viewport: phone ? PHONE : undefined });
    const page = await b.signIn(context, signatory);
    await page.goto(`${b.baseUrl}/#/agreements/${id}`);
    await page.locator('#parties tbody tr').nth(1).locator('button.decline-party').click();
    await page.waitForSelector('#decline-dialog');
    const dialog = await page.evaluate(() => ({
      intro: document.querySelector('#decline-dialog .dialog-intro')?.textContent,
      choices: [...document.querySelectorAll('#decline-dialog input[name="decline-outcome"]')].map((i) => `${(i as HTMLInputElement).value}: ${i.closest('label')?.textContent?.trim()}`),
    }));
    return { page, dialog };
  }

  it('when the signatory of a PKS opens the refusal dialog (id, phone), then it offers going back to drafting with the signatures void, or on hold with them kept, and the refusal goes to drafting', async () => {
    const a = await pksOneSigned();
    const { page, dialog } = await openDialog(a.id, 'id', true);
    await b.shot(page, 'decline-dialog-pks-id-phone', { fullPage: false });
    expect(dialog).to.deep.equal({
      intro: 'Catat alasannya, lalu pilih kelanjutan perjanjian ini.',
      choices: [
        'reopen: Kembali ke tahap “Penyusunan draf”; tanda tangan yang sudah dicatat menjadi batal',
        'on_hold: Tangguhkan; tanda tangan yang sudah dicatat tetap berlaku',
      ],
    });
    await page.fill('#reason', 'Pasal 5 tentang pembiayaan belum disepakati');
    await page.click('#decline-dialog-ok');
    await page.waitForSelector('#detail-flash');
    expect(await page.locator('#detail-flash').textContent()).to.equal('Penolakan LPSK dicatat. Tahap sekarang: Penyusunan draf.');
    const stored = (await request(b.t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter))).body;
    expect(stored.stage).to.equal('drafting');
    expect(stored.parties[0].status, 'the signature recorded became void').to.equal('pending');
  });

  it('when the signatory of a PKS chooses to put it on hold (en), then the signature already recorded stays, as the dialog said', async () => {
    const a = await pksOneSigned();
    const { page, dialog } = await openDialog(a.id, 'en');
    expect(dialog).to.deep.equal({
      intro: 'Record the reason, then choose what happens to the agreement.',
      choices: ['reopen: Back to “Drafting”; signatures already recorded become void', 'on_hold: Put on hold; signatures already recorded are kept'],
    });
    await page.fill('#reason', 'Waiting for the budget year');
    await page.check('#outcome-on_hold');
    await page.click('#decline-dialog-ok');
    await page.waitForSelector('#detail-flash');
    expect(await page.locator('#detail-flash').textContent()).to.equal('Refusal by LPSK recorded. Stage now: On hold.');
    const stored = (await request(b.t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter))).body;
    expect(stored.parties.map((p: any) => p.status)).to.deep.equal(['signed', 'declined']);
  });

  it('when the signatory of a treaty opens the refusal dialog (en), then going back leads to negotiation', async () => {
    const a = await createAgreementVia(b.t, drafter, { title: { id: 'MoU Uji Penolakan', en: 'Refusal Test MoU' }, parties: [parties(signatory.email)[0], { name: 'Malaysia', kind: 'state', country: 'MY', signatory: { name: 'Minister', title: 'Minister', email: signatory.email } }] });
    await toAwaitingSignature(b.t, drafter, a.id);
    const { dialog } = await openDialog(a.id, 'en');
    expect(dialog.choices[0]).to.equal('reopen: Back to “Negotiation”; signatures already recorded become void');
  });
});
