import { expect } from 'chai';
import request from 'supertest';
import { ManualClock } from '../../lib/clock.js';
import { backfillSigningDeadlines } from '../../domain/deadlines/backfill-signing-deadlines.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia, moveVia, signVia, toAwaitingSignature } from '../support/agreements.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('reminders: signing deadlines open, follow and close with the signatures', () => {
  const clock = new ManualClock();
  let t: TestApp;
  let drafterUser: TestUser;
  const drafter = async () => (await loginAs(t, 'drafter', { user: drafterUser })).token;

  const signingDeadlines = async (id: string) =>
    ((await request(t.app).get(`/api/agreements/${id}/deadlines`).set(bearer(await drafter()))).body.items as any[]).filter((d) => d.kind === 'signing_due');

  const threeParties = {
    parties: [
      { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Menteri Luar Negeri', email: 'menlu@test.local', timezone: 'Asia/Jakarta' } },
      { name: 'Malaysia', kind: 'state', country: 'MY', signatory: { name: 'Foreign Minister', email: 'fm.my@test.local', timezone: 'Asia/Kuala_Lumpur' } },
      { name: 'Filipina', kind: 'state', country: 'PH', signatory: { name: 'Secretary of Foreign Affairs', email: 'dfa.ph@test.local', timezone: 'Asia/Manila' } },
    ],
  };

  before(async () => {
    t = await createTestApp({ label: 'rem-signing', clock, env: { TOKEN_TTL_MINUTES: '43200' } });
    drafterUser = (await loginAs(t, 'drafter', { unit: 'PWNI' })).user;
  });
  after(async () => t?.close());

  it('when an agreement enters awaiting_signature, then each party’s signatory gets a signing deadline, due when the stage’s service level ends, in the signatory’s zone', async () => {
    const a = await createAgreementVia(t, await drafter(), threeParties);
    expect(await signingDeadlines(a.id)).to.deep.equal([]);
    const ready = await toAwaitingSignature(t, await drafter(), a.id);
    const list = await signingDeadlines(a.id);
    expect(list.map((d) => [d.partyId, d.recipients.map((r: any) => r.email), d.timezone, d.status, d.source])).to.have.deep.members([
      [ready.parties[0].id, ['menlu@test.local'], 'Asia/Jakarta', 'open', 'auto'],
      [ready.parties[1].id, ['fm.my@test.local'], 'Asia/Kuala_Lumpur', 'open', 'auto'],
      [ready.parties[2].id, ['dfa.ph@test.local'], 'Asia/Manila', 'open', 'auto'],
    ]);
    for (const d of list) {
      expect(d.dueAt).to.equal(ready.stageDueAt);
      expect(d.nextReminderAt, 'a first reminder is scheduled').to.be.a('string');
    }
  });

  it('when the parties sign one by one, then each party’s deadline closes as met with its own signature, the others stay open', async () => {
    const a = await createAgreementVia(t, await drafter(), threeParties);
    const ready = await toAwaitingSignature(t, await drafter(), a.id);
    const [id, my, ph] = ready.parties.map((p: any) => p.id);
    const status = async () => Object.fromEntries((await signingDeadlines(a.id)).map((d) => [d.partyId, d.status]));

    clock.advance(60_000);
    expect((await signVia(t, await drafter(), a.id, my)).body.stage).to.equal('partially_signed');
    expect(await status()).to.deep.equal({ [id]: 'open', [my]: 'met', [ph]: 'open' });
    // partially_signed → partially_signed: no stage change, the signature still closes its deadline.
    expect((await signVia(t, await drafter(), a.id, ph)).body.stage).to.equal('partially_signed');
    expect(await status()).to.deep.equal({ [id]: 'open', [my]: 'met', [ph]: 'met' });
    expect((await signVia(t, await drafter(), a.id, id)).body.stage).to.equal('signed');
    expect(await status()).to.deep.equal({ [id]: 'met', [my]: 'met', [ph]: 'met' });
    expect((await signingDeadlines(a.id)).every((d) => d.nextReminderAt === null && d.closedAt)).to.equal(true);
  });

  it('when a party declines and the agreement goes back to negotiation, then the open signing deadlines are cancelled; entering signing again opens fresh ones', async () => {
    const a = await createAgreementVia(t, await drafter());
    const ready = await toAwaitingSignature(t, await drafter(), a.id);
    const declined = await request(t.app)
      .post(`/api/agreements/${a.id}/parties/${ready.parties[1].id}/decline`)
      .set(bearer(await drafter()))
      .send({ reason: 'Pasal 5 perlu dirunding ulang' });
    expect(declined.status, JSON.stringify(declined.body)).to.equal(200);
    expect(declined.body.stage).to.equal('negotiation');
    expect((await signingDeadlines(a.id)).map((d) => d.status)).to.deep.equal(['cancelled', 'cancelled']);

    for (const stage of ['legal_review', 'text_agreed', 'awaiting_signature']) await moveVia(t, await drafter(), a.id, stage);
    const again = await signingDeadlines(a.id);
    expect(again.filter((d) => d.status === 'open')).to.have.length(2);
    expect(again.filter((d) => d.status === 'cancelled')).to.have.length(2);
  });

  it('when a partially signed agreement is put on hold and resumed, then only the parties still to sign get deadlines again', async () => {
    const a = await createAgreementVia(t, await drafter(), threeParties);
    const ready = await toAwaitingSignature(t, await drafter(), a.id);
    const [id, my, ph] = ready.parties.map((p: any) => p.id);
    await signVia(t, await drafter(), a.id, my);
    await moveVia(t, await drafter(), a.id, 'on_hold', { note: 'Menunggu jadwal menteri' });
    const held = await signingDeadlines(a.id);
    expect(held.filter((d) => d.status === 'open')).to.deep.equal([]);
    expect(held.filter((d) => d.status === 'cancelled').map((d) => d.partyId)).to.have.members([id, ph]);

    const resumed = await moveVia(t, await drafter(), a.id, 'partially_signed');
    const open = (await signingDeadlines(a.id)).filter((d) => d.status === 'open');
    expect(open.map((d) => d.partyId)).to.have.members([id, ph]);
    expect(open.every((d) => d.dueAt === resumed.stageDueAt)).to.equal(true);
  });

  it('when the agreement leaves signing after the due date without a party’s signature, then that party’s deadline is closed as missed', async () => {
    const a = await createAgreementVia(t, await drafter());
    const ready = await toAwaitingSignature(t, await drafter(), a.id);
    clock.set(new Date(ready.stageDueAt).getTime() + 3 * DAY_MS);
    await signVia(t, await drafter(), a.id, ready.parties[0].id);
    await moveVia(t, await drafter(), a.id, 'on_hold');
    expect(Object.fromEntries((await signingDeadlines(a.id)).map((d) => [d.partyId, d.status]))).to.deep.equal({
      [ready.parties[0].id]: 'missed',
      [ready.parties[1].id]: 'missed',
    });
  });

  it('when a party’s signatory changes, then its open signing deadline is addressed to the new signatory in their zone; an edited due date is kept', async () => {
    const a = await createAgreementVia(t, await drafter(), threeParties);
    const ready = await toAwaitingSignature(t, await drafter(), a.id);
    const my = (await signingDeadlines(a.id)).find((d) => d.partyId === ready.parties[1].id);
    const moved = new Date(new Date(my.dueAt).getTime() + 7 * DAY_MS).toISOString();
    const edited = await request(t.app).patch(`/api/deadlines/${my.id}`).set(bearer(await drafter())).send({ dueAt: moved, version: my.version });
    expect(edited.status, JSON.stringify(edited.body)).to.equal(200);

    const parties = ready.parties.map((p: any) => ({ id: p.id, name: p.name, kind: p.kind, country: p.country, signatory: p.signatory }));
    parties[1].signatory = { name: 'Deputy Foreign Minister', email: 'dfm.my@test.local', timezone: 'Asia/Kuching' };
    const patched = await request(t.app).patch(`/api/agreements/${a.id}`).set(bearer(await drafter())).send({ version: ready.version, parties });
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);

    const after = (await signingDeadlines(a.id)).find((d) => d.partyId === ready.parties[1].id);
    expect(after).to.deep.include({ id: my.id, status: 'open', timezone: 'Asia/Kuching', dueAt: moved });
    expect(after.recipients.map((r: any) => r.email)).to.deep.equal(['dfm.my@test.local']);
    const others = (await signingDeadlines(a.id)).filter((d) => d.partyId !== ready.parties[1].id);
    expect(others.map((d) => d.recipients[0].email)).to.have.members(['menlu@test.local', 'dfa.ph@test.local']);
  });

  it('when a signatory has no e-mail address, then the lead unit’s drafters are reminded to obtain the signature', async () => {
    const a = await createAgreementVia(t, await drafter(), {
      parties: [
        { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Menteri Luar Negeri', email: 'menlu@test.local' } },
        { name: 'Malaysia', kind: 'state', country: 'MY', signatory: { name: 'Foreign Minister' } },
      ],
    });
    const ready = await toAwaitingSignature(t, await drafter(), a.id);
    const my = (await signingDeadlines(a.id)).find((d) => d.partyId === ready.parties[1].id);
    expect(my.recipients.map((r: any) => r.email)).to.deep.equal([drafterUser.email]);
  });

  it('when a database from before signing deadlines is started, then agreements already awaiting signature get theirs, once', async () => {
    const a = await createAgreementVia(t, await drafter());
    const ready = await toAwaitingSignature(t, await drafter(), a.id);
    await signVia(t, await drafter(), a.id, ready.parties[0].id);
    // As an older version left it: no signing deadlines at all.
    await t.ctx.models.Deadline.deleteMany({ agreementId: t.ctx.models.Deadline.castObject({ agreementId: a.id }).agreementId, kind: 'signing_due' });
    expect(await signingDeadlines(a.id)).to.deep.equal([]);
    expect(await backfillSigningDeadlines(t.ctx)).to.be.greaterThan(0);
    const list = await signingDeadlines(a.id);
    expect(list.map((d) => [d.partyId, d.status])).to.deep.equal([[ready.parties[1].id, 'open']]);
    expect(await backfillSigningDeadlines(t.ctx)).to.equal(0);
    expect(await signingDeadlines(a.id)).to.have.length(1);
  });
});
