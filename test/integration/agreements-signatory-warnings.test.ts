import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer, buildAgreement, signVia, toAwaitingSignature } from '../support/agreements.js';
import { expectError } from '../support/errors.js';

/**
 * A party's signatory is matched to an account by e-mail. When that account's role may not record
 * signatures (a diplomat, an auditor), its owner could never sign, and nobody was told: the
 * agreement is saved all the same, with a warning in both languages naming the field.
 */
describe('agreements: a signatory e-mail that belongs to an account that cannot sign', function () {
  this.timeout(60_000);
  let t: TestApp;
  let drafter: string;
  let diplomat: TestUser;
  let auditor: TestUser;
  let signatory: TestUser;
  let drafterUser: TestUser;

  before(async () => {
    t = await createTestApp({ label: 'signatory_warnings' });
    drafterUser = await createUser(t, { role: 'drafter', name: 'Rina Perancang' });
    drafter = (await loginAs(t, 'drafter', { user: drafterUser })).token;
    diplomat = await createUser(t, { role: 'diplomat', name: 'Dimas Diplomat', email: 'dimas.diplomat@test.pwni.local' });
    auditor = await createUser(t, { role: 'auditor', name: 'Sari Auditor', email: 'sari.auditor@test.pwni.local' });
    signatory = await createUser(t, { role: 'signatory', name: 'Sri Penanda Tangan' });
  });
  after(async () => t.close());

  const parties = (ministry: string, counterpart: string) => [
    { name: 'Kementerian Luar Negeri', kind: 'agency', country: 'ID', signatory: { name: 'Direktur PWNI', title: 'Direktur', email: ministry } },
    { name: 'Malaysia', kind: 'state', country: 'MY', signatory: { name: 'Minister', title: 'Minister', email: counterpart } },
  ];

  it('when a party’s signatory e-mail is a diplomat’s account (typed in another case), then the agreement is created and the answer warns, naming the field, in both languages', async () => {
    const res = await request(t.app)
      .post('/api/agreements')
      .set(bearer(drafter))
      .send(buildAgreement({ parties: parties(signatory.email, 'Dimas.Diplomat@Test.PWNI.local') }));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.warnings).to.deep.equal([
      {
        field: 'parties.1.signatory.email',
        type: 'signatory.cannot_sign',
        email: 'dimas.diplomat@test.pwni.local',
        role: 'diplomat',
        message: {
          id: 'Penanda tangan Malaysia (dimas.diplomat@test.pwni.local) memiliki akun berperan “Diplomat”, yang tidak dapat mencatat tanda tangan: ia tidak akan dapat menandatangani di pelacak. Perancang dapat mencatat tanda tangan itu atas nama pihaknya, atau administrator dapat mengubah peran akun itu menjadi “Penanda tangan”.',
          en: 'The signatory of Malaysia (dimas.diplomat@test.pwni.local) has an account with the role “Diplomat”, which cannot record signatures: they will not be able to sign in the tracker. A legal drafter can record the signature on the party’s behalf, or an administrator can give the account the role “Signatory”.',
        },
      },
    ]);
    // the warning is an answer, not a stored field
    const stored = await request(t.app).get(`/api/agreements/${res.body.id}`).set(bearer(drafter)).expect(200);
    expect(stored.body).not.to.have.property('warnings');
  });

  it('when the signatory e-mail is changed to an auditor’s account, then the change is saved with the warning; changed to a signatory’s, the warning is gone', async () => {
    const created = await request(t.app).post('/api/agreements').set(bearer(drafter)).send(buildAgreement({ parties: parties(signatory.email, 'minister.my@test.local') })).expect(201);
    expect(created.body, 'nothing to warn of: the answer is the agreement alone').not.to.have.property('warnings');
    const ids = created.body.parties.map((p: { id: string }) => p.id);
    const edit = (ministry: string, version: number) =>
      request(t.app)
        .patch(`/api/agreements/${created.body.id}`)
        .set(bearer(drafter))
        .send({ version, parties: parties(ministry, 'minister.my@test.local').map((p, i) => ({ ...p, id: ids[i] })) });
    const toAuditor = await edit(auditor.email, created.body.version);
    expect(toAuditor.status, JSON.stringify(toAuditor.body)).to.equal(200);
    expect(toAuditor.body.parties[0].signatory.email).to.equal(auditor.email);
    expect(toAuditor.body.warnings.map((w: Record<string, unknown>) => [w.field, w.role])).to.deep.equal([['parties.0.signatory.email', 'auditor']]);
    expect(toAuditor.body.warnings[0].message.en).to.match(/^The signatory of Kementerian Luar Negeri \(sari\.auditor@test\.pwni\.local\) has an account with the role “Auditor”/);
    const back = await edit(signatory.email, toAuditor.body.version);
    expect(back.status, JSON.stringify(back.body)).to.equal(200);
    expect(back.body).not.to.have.property('warnings');
  });

  it('when the signatory e-mail is a drafter’s, then there is no warning: the drafter records that party’s signature as their own, not on its behalf; a diplomat named so is refused, as warned', async () => {
    const created = await request(t.app).post('/api/agreements').set(bearer(drafter)).send(buildAgreement({ parties: parties(drafterUser.email, diplomat.email) })).expect(201);
    expect(created.body.warnings.map((w: Record<string, unknown>) => w.email)).to.deep.equal([diplomat.email]);
    await toAwaitingSignature(t, drafter, created.body.id);
    const diplomatToken = (await loginAs(t, 'diplomat', { user: diplomat })).token;
    expectError(await signVia(t, diplomatToken, created.body.id, created.body.parties[1].id), 403, 'forbidden');
    expect((await signVia(t, drafter, created.body.id, created.body.parties[0].id)).status).to.equal(200);
    const history = await request(t.app).get(`/api/agreements/${created.body.id}/history`).set(bearer(drafter)).expect(200);
    const recorded = history.body.items.find((e: { action: string }) => e.action === 'signature_recorded');
    expect(recorded.changes).to.deep.include({ party: 'Kementerian Luar Negeri', onBehalf: false });
  });
  it('when a confidential agreement names as signatory the account of another unit, then it is saved with a warning that this person cannot see it, so cannot sign it', async () => {
    const elsewhere = await createUser(t, { role: 'signatory', name: 'Bima Penanda Tangan', unit: 'HPI', email: 'bima.hpi@test.pwni.local' });
    const res = await request(t.app)
      .post('/api/agreements')
      .set(bearer(drafter))
      .send(buildAgreement({ confidentiality: 'confidential', parties: parties(elsewhere.email, 'minister.my@test.local') }));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.warnings).to.deep.equal([
      {
        field: 'parties.0.signatory.email',
        type: 'signatory.cannot_see',
        email: 'bima.hpi@test.pwni.local',
        role: 'signatory',
        message: {
          id: `Penanda tangan Kementerian Luar Negeri (bima.hpi@test.pwni.local) memiliki akun unit HPI, yang tidak dapat melihat perjanjian rahasia unit ${res.body.leadUnit} ini: ia tidak akan dapat menandatanganinya di pelacak. Perancang dapat mencatat tanda tangan itu atas nama pihaknya, atau administrator dapat memindahkan akun itu ke unit ${res.body.leadUnit}.`,
          en: `The signatory of Kementerian Luar Negeri (bima.hpi@test.pwni.local) has an account in the unit HPI, which cannot see this confidential agreement of ${res.body.leadUnit}: they will not be able to sign it in the tracker. A legal drafter can record the signature on the party’s behalf, or an administrator can move the account to ${res.body.leadUnit}.`,
        },
      },
    ]);
    // as warned: that person is not shown the agreement at all
    const theirs = (await loginAs(t, 'signatory', { user: elsewhere })).token;
    expectError(await request(t.app).get(`/api/agreements/${res.body.id}`).set(bearer(theirs)), 404, 'not_found');
    // the same person on an agreement everyone may see: nothing to warn of
    const open = await request(t.app).post('/api/agreements').set(bearer(drafter)).send(buildAgreement({ parties: parties(elsewhere.email, 'minister.my@test.local') })).expect(201);
    expect(open.body).not.to.have.property('warnings');
  });
});
