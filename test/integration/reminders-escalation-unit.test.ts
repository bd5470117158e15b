import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';
import { escalationRecipients } from '../../domain/reminders/escalation-recipients.js';

describe('reminders: escalation addresses of a unit typed in another case', () => {
  let t: TestApp;
  let admin: string;

  before(async () => {
    t = await createTestApp({ label: 'rem-escalation-unit' });
    admin = (await loginAs(t, 'admin', { unit: 'PWNI', email: 'admin.escalation@pwni.test' })).token;
    const drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
    await createAgreementVia(t, drafter, { code: 'MOU-MY-2026-09', leadUnit: 'PWNI' });
  });
  after(async () => t?.close());

  it('when an admin saves the addresses of "pwni", then they are kept for PWNI, the unit its agreements name, and its overdue work escalates to them', async () => {
    const put = await request(t.app).put('/api/reminders/escalation/pwni').set(bearer(admin)).send({ emails: ['direktur.pwni@kemlu.go.id'] });
    expect(put.status, JSON.stringify(put.body)).to.equal(200);
    expect(put.body).to.deep.include({ unit: 'PWNI', emails: ['direktur.pwni@kemlu.go.id'] });
    const list = await request(t.app).get('/api/reminders/escalation').set(bearer(admin));
    expect(list.body.items.map((r: any) => [r.unit, r.emails])).to.deep.equal([['PWNI', ['direktur.pwni@kemlu.go.id']]]);
    // the sweep asks for the agreement's lead unit as stored
    expect(await escalationRecipients(t.ctx, 'PWNI')).to.deep.equal(['direktur.pwni@kemlu.go.id']);

    // typed again in yet another case: the same entry changes, no second one appears; empty removes it
    await request(t.app).put('/api/reminders/escalation/Pwni').set(bearer(admin)).send({ emails: ['sesdit.pwni@kemlu.go.id'] }).expect(200);
    const again = await request(t.app).get('/api/reminders/escalation').set(bearer(admin));
    expect(again.body.items.map((r: any) => [r.unit, r.emails])).to.deep.equal([['PWNI', ['sesdit.pwni@kemlu.go.id']]]);
    await request(t.app).put('/api/reminders/escalation/pwni').set(bearer(admin)).send({ emails: [] }).expect(200);
    expect((await request(t.app).get('/api/reminders/escalation').set(bearer(admin))).body.items).to.deep.equal([]);
  });

  it('when an entry was saved under "pwni" before, then PWNI’s overdue work escalates to it, and saving the unit again leaves one entry, under PWNI', async () => {
    // as earlier versions kept it: the unit as typed, never found by the sweep, which asks for "PWNI"
    await t.ctx.models.EscalationContact.create({ unit: 'pwni', emails: ['lama@kemlu.go.id'], updatedBy: 'admin', updatedAt: new Date() });
    expect(await escalationRecipients(t.ctx, 'PWNI')).to.deep.equal(['lama@kemlu.go.id']);

    const changed = await request(t.app).put('/api/reminders/escalation/pwni').set(bearer(admin)).send({ emails: ['baru@kemlu.go.id'] });
    expect(changed.status, JSON.stringify(changed.body)).to.equal(200);
    expect(changed.body).to.deep.include({ unit: 'PWNI', emails: ['baru@kemlu.go.id'] });
    const list = await request(t.app).get('/api/reminders/escalation').set(bearer(admin));
    expect(list.body.items.map((r: any) => [r.unit, r.emails])).to.deep.equal([['PWNI', ['baru@kemlu.go.id']]]);
    expect(await escalationRecipients(t.ctx, 'PWNI')).to.deep.equal(['baru@kemlu.go.id']);
    await request(t.app).put('/api/reminders/escalation/PWNI').set(bearer(admin)).send({ emails: [] }).expect(200);
  });

  it('when both "pwni" and "PWNI" were kept before, then the entry spelled as the agreements spell it is the one used, and removing the unit removes both', async () => {
    await t.ctx.models.EscalationContact.create({ unit: 'pwni', emails: ['lama@kemlu.go.id'], updatedBy: 'admin', updatedAt: new Date() });
    await t.ctx.models.EscalationContact.create({ unit: 'PWNI', emails: ['direktur.pwni@kemlu.go.id'], updatedBy: 'admin', updatedAt: new Date() });
    expect(await escalationRecipients(t.ctx, 'PWNI')).to.deep.equal(['direktur.pwni@kemlu.go.id']);
    await request(t.app).put('/api/reminders/escalation/pwni').set(bearer(admin)).send({ emails: [] }).expect(200);
    expect((await request(t.app).get('/api/reminders/escalation').set(bearer(admin))).body.items).to.deep.equal([]);
  });

  it('when the unit has no agreement yet, then its addresses are kept as typed, and its agreements written later in another case escalate to them', async () => {
    const put = await request(t.app).put('/api/reminders/escalation/Biro-Hukum').set(bearer(admin)).send({ emails: ['kabiro.hukum@kemlu.go.id'] });
    expect(put.body).to.deep.include({ unit: 'Biro-Hukum', emails: ['kabiro.hukum@kemlu.go.id'] });
    const drafter = (await loginAs(t, 'drafter', { unit: 'BIRO-HUKUM', email: 'drafter.hukum@pwni.test' })).token;
    await createAgreementVia(t, drafter, { code: 'PED-2026-77', leadUnit: 'BIRO-HUKUM' });
    expect(await escalationRecipients(t.ctx, 'BIRO-HUKUM')).to.deep.equal(['kabiro.hukum@kemlu.go.id']);
    // saved again now that agreements name it: one entry, spelled as they spell it
    const again = await request(t.app).put('/api/reminders/escalation/biro-hukum').set(bearer(admin)).send({ emails: ['kabiro.hukum@kemlu.go.id', 'sesbiro@kemlu.go.id'] }).expect(200);
    expect(again.body).to.deep.include({ unit: 'BIRO-HUKUM' });
    const list = await request(t.app).get('/api/reminders/escalation').set(bearer(admin));
    expect(list.body.items.map((r: any) => r.unit)).to.deep.equal(['BIRO-HUKUM']);
  });
});
