/**
 * One window for every date that enters (1945-01-01 to 2200-12-31), and one bad row (a legacy
 * deadline with a date no calendar can render) never stopping the reminder sweep or the feeds.
 */
import { expect } from 'chai';
import request from 'supertest';
import { Types } from 'mongoose';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia, signVia, toAwaitingSignature } from '../support/agreements.js';
import { inWords } from '../support/days.js';
import { uploadSignedCopy } from '../support/documents.js';
import { HQ_TIMEZONE, addCalendarDays, localDate } from '../../workflows/business-days.js';
import { expectError } from '../support/errors.js';
import { DAY } from '../support/reminders.js';

describe('integrity: dates', () => {
  let t: TestApp;
  let drafter: string;
  let drafterEmail: string;
  let admin: string;

  before(async () => {
    t = await createTestApp({ label: 'integrity-dates' });
    const d = await loginAs(t, 'drafter');
    drafter = d.token;
    drafterEmail = d.user.email;
    admin = (await loginAs(t, 'admin')).token;
  });
  after(async () => t?.close());

  const fieldsOf = (res: request.Response) => res.body.error.details.map((d: { field: string }) => d.field);

  describe('the date window', () => {
    for (const dueAt of ['0000-01-01T00:00:00Z', '0099-06-01T00:00:00Z', '1944-12-31T23:59:59Z', '2201-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '-271821-04-20T00:00:00Z']) {
      it(`when a deadline is due ${dueAt}, then 422 names dueAt and nothing is stored`, async () => {
        const a = await createAgreementVia(t, drafter);
        const res = await request(t.app).post(`/api/agreements/${a.id}/deadlines`).set(bearer(drafter)).send({ kind: 'custom', dueAt });
        expectError(res, 422, 'validation_failed');
        expect(fieldsOf(res)).to.deep.equal(['dueAt']);
        expect(await t.ctx.models.Deadline.countDocuments({ agreementId: new Types.ObjectId(a.id), kind: 'custom' })).to.equal(0);
      });
    }

    it('when a deadline is due before 1970 but inside the window, then it is accepted and its calendar entry is rendered', async () => {
      const a = await createAgreementVia(t, drafter);
      const res = await request(t.app).post(`/api/agreements/${a.id}/deadlines`).set(bearer(drafter)).send({ kind: 'custom', dueAt: '1969-12-31T00:00:00Z' });
      expect(res.status).to.equal(201);
      const feed = await request(t.app).get(`/api/agreements/${a.id}/calendar.ics`).set(bearer(drafter));
      expect(feed.status).to.equal(200);
      expect(feed.text).to.match(/DTSTART:19691231T000000Z/);
    });

    it('when a deadline is moved outside the window, then 422 names dueAt; the edges of the window are accepted', async () => {
      const a = await createAgreementVia(t, drafter);
      const created = await request(t.app).post(`/api/agreements/${a.id}/deadlines`).set(bearer(drafter)).send({ kind: 'custom', dueAt: '2200-12-31T23:59:59Z' });
      expect(created.status).to.equal(201);
      const moved = await request(t.app).patch(`/api/deadlines/${created.body.id}`).set(bearer(drafter)).send({ dueAt: '1944-12-31T00:00:00Z' });
      expectError(moved, 422, 'validation_failed');
      expect(fieldsOf(moved)).to.deep.equal(['dueAt']);
      expect(moved.body.error.details[0].message).to.match(/1945-01-01 and 2200-12-31/);
      const early = await request(t.app).patch(`/api/deadlines/${created.body.id}`).set(bearer(drafter)).send({ dueAt: '1945-01-01T00:00:00Z' });
      expect(early.status).to.equal(200);
    });

    it('when signatures, entry into force, terms, rounds, holidays and the signing packet date fall outside the window, then 422 names each field', async () => {
      const a = await toAwaitingSignature(t, drafter, (await createAgreementVia(t, drafter)).id);
      const sign = await request(t.app).post(`/api/agreements/${a.id}/parties/${a.parties[0].id}/signature`).set(bearer(drafter)).send({ signedAt: '1900-01-01T00:00:00Z', method: 'wet_ink' });
      expectError(sign, 422, 'validation_failed');
      expect(fieldsOf(sign)).to.deep.equal(['signedAt']);
      const patch = await request(t.app).patch(`/api/agreements/${a.id}`).set(bearer(drafter)).send({ entryIntoForce: { date: '2999-01-01' }, term: { expiresAt: '1850-01-01' } });
      expectError(patch, 422, 'validation_failed');
      expect(fieldsOf(patch)).to.have.members(['entryIntoForce.date', 'term.expiresAt']);
      const round = await request(t.app).post(`/api/agreements/${a.id}/rounds`).set(bearer(drafter)).send({ date: '1066-10-14' });
      expectError(round, 422, 'validation_failed');
      expect(fieldsOf(round)).to.deep.equal(['date']);
      const holiday = await request(t.app).post('/api/holidays').set(bearer(admin)).send({ date: '1900-01-01', name: { id: 'Lama', en: 'Old' } });
      expectError(holiday, 422, 'validation_failed');
      expect(fieldsOf(holiday)).to.deep.equal(['date']);
      const packet = await request(t.app).get(`/api/agreements/${a.id}/signing-packet?date=2300-01-01`).set(bearer(drafter));
      expectError(packet, 422, 'validation_failed');
      expect(fieldsOf(packet)).to.deep.equal(['date']);
      const agreement = await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter));
      expect(agreement.body.version).to.equal(a.version);
    });
  });

  describe('one bad row stops nobody', () => {
    let agreementId: string;
    let good: string;
    const bad: Types.ObjectId[] = [];

    before(async () => {
      agreementId = (await createAgreementVia(t, drafter)).id;
      const res = await request(t.app)
        .post(`/api/agreements/${agreementId}/deadlines`)
        .set(bearer(drafter))
        .send({ kind: 'custom', dueAt: new Date(Date.now() + 2 * DAY).toISOString(), recipients: [drafterEmail], note: 'Tenggat yang baik' });
      expect(res.status).to.equal(201);
      good = res.body.id;
      // legacy rows, written before the window existed: straight into the collection
      const template = await t.ctx.connection.collection('deadlines').findOne({ _id: new Types.ObjectId(good) });
      for (const dueAt of [new Date('0099-06-01T00:00:00Z'), new Date(-8.64e15)]) {
        const _id = new Types.ObjectId();
        bad.push(_id);
        await t.ctx.connection.collection('deadlines').insertOne({ ...template, _id, dueAt, note: 'Baris lama', nextReminderAt: new Date(Date.now() - DAY), nextSlot: 'before-1', deliveredSlots: [] });
      }
      // the good one is due now too
      await t.ctx.connection.collection('deadlines').updateOne({ _id: new Types.ObjectId(good) }, { $set: { nextReminderAt: new Date(Date.now() - 1000) } });
    });

    it('when a sweep meets deadlines it cannot handle, then it records the failure on each, skips them and reminds the others', async () => {
      const sweep = await request(t.app).post('/api/reminders/sweep').set(bearer(admin));
      expect(sweep.status, JSON.stringify(sweep.body)).to.equal(200);
      expect(sweep.body).to.include({ ran: true, deadlinesFailed: 2 });
      expect(sweep.body.remindersRecorded).to.be.at.least(1);
      const mine = await request(t.app).get('/api/me/notifications').set(bearer(drafter));
      expect(mine.body.items.some((n: { text: string }) => /Tenggat yang baik/.test(n.text))).to.equal(true);
      for (const _id of bad) {
        const row = await t.ctx.connection.collection('deadlines').findOne({ _id });
        expect(row!.sweepFailure.message).to.be.a('string').with.length.greaterThan(0);
        expect(row!.nextReminderAt).to.equal(null);
      }
    });

    it('when an admin lists the deadlines the sweep could not handle, then both are there with their error; others may not look', async () => {
      const res = await request(t.app).get('/api/reminders/deadline-failures').set(bearer(admin));
      expect(res.status).to.equal(200);
      expect(res.body.total).to.equal(2);
      expect(res.body.items.map((i: { deadlineId: string }) => i.deadlineId)).to.have.members(bad.map(String));
      const legacy = res.body.items.find((i: { deadlineId: string }) => i.deadlineId === String(bad[0]));
      expect(legacy).to.include({ agreementId, dueAt: '0099-06-01T00:00:00.000Z', kind: 'custom' });
      expect(legacy.error).to.be.a('string').with.length.greaterThan(0);
      expectError(await request(t.app).get('/api/reminders/deadline-failures').set(bearer(drafter)), 403, 'forbidden');
      const again = await request(t.app).post('/api/reminders/sweep').set(bearer(admin));
      expect(again.status).to.equal(200);
      expect(again.body.deadlinesFailed).to.equal(0);
    });

    it('when the calendar feeds hold a deadline they cannot render, then they leave it out and serve the rest', async () => {
      const feed = await request(t.app).get(`/api/agreements/${agreementId}/calendar.ics`).set(bearer(drafter));
      expect(feed.status).to.equal(200);
      expect(feed.text).to.contain(`deadline-${good}@`);
      for (const _id of bad) expect(feed.text).not.to.contain(`deadline-${_id}@`);
      const token = await request(t.app).post('/api/me/calendar-token').set(bearer(drafter));
      const personal = await request(t.app).get(`/api/calendar/${token.body.token}.ics`);
      expect(personal.status).to.equal(200);
      expect(personal.text).to.contain(`deadline-${good}@`);
      expect(personal.text).not.to.contain(`deadline-${bad[0]}@`);
    });

    it('when an admin cancels a failed deadline, then it leaves the failure list', async () => {
      const res = await request(t.app).patch(`/api/deadlines/${bad[0]}`).set(bearer(admin)).send({ status: 'cancelled' });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      const list = await request(t.app).get('/api/reminders/deadline-failures').set(bearer(admin));
      expect(list.body.items.map((i: { deadlineId: string }) => i.deadlineId)).to.deep.equal([String(bad[1])]);
    });
  });

  describe('entry into force and signing', () => {
    it('when an agreement is moved into force, or its entry into force edited, to a day before its signing, then 422 says both days in both languages and nothing changes; on the day of signing it is taken', async () => {
      const a = await createAgreementVia(t, drafter);
      const ready = await toAwaitingSignature(t, drafter, a.id);
      for (const p of ready.parties) expect((await signVia(t, drafter, a.id, p.id)).status).to.equal(200);
      await uploadSignedCopy(t, drafter, a.id);
      const signedOn = localDate(t.ctx.clock.now(), HQ_TIMEZONE);
      const dayBefore = addCalendarDays(signedOn, -1);
      const refused = await request(t.app).post(`/api/agreements/${a.id}/transitions`).set(bearer(drafter)).send({ to: 'in_force', entryIntoForce: { date: dayBefore, basis: 'on_signature' } });
      expectError(refused, 422, 'unprocessable');
      const unmet = refused.body.error.details.unmet.find((u: any) => u.guard === 'entry_into_force');
      // the days in words, as the page writes dates
      expect(unmet.message.en).to.equal(`The entry into force (${inWords(dayBefore, 'en')}) cannot come before the signing (${inWords(signedOn, 'en')})`);
      expect(unmet.message.id).to.equal(`Tanggal mulai berlaku (${inWords(dayBefore, 'id')}) tidak boleh sebelum tanggal penandatanganan (${inWords(signedOn, 'id')})`);
      const still = (await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter))).body;
      expect(still.stage).to.equal('signed');
      expect(still.entryIntoForce).to.equal(null);

      const moved = await request(t.app).post(`/api/agreements/${a.id}/transitions`).set(bearer(drafter)).send({ to: 'in_force', entryIntoForce: { date: signedOn, basis: 'on_signature' } });
      expect(moved.status, JSON.stringify(moved.body)).to.equal(200);
      expect(moved.body.stage).to.equal('in_force');

      const edit = await request(t.app).patch(`/api/agreements/${a.id}`).set(bearer(drafter)).send({ version: moved.body.version, entryIntoForce: { date: dayBefore, basis: 'on_signature' } });
      expectError(edit, 422, 'validation_failed');
      expect(fieldsOf(edit)).to.deep.equal(['entryIntoForce.date']);
      expect(edit.body.error.details[0].message).to.contain(`(${inWords(dayBefore, 'en')}) cannot come before the signing (${inWords(signedOn, 'en')})`).and.to.contain(`penandatanganan (${inWords(signedOn, 'id')})`);
      const after = (await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter))).body;
      expect(after.version).to.equal(moved.body.version);
      expect(after.entryIntoForce.date).to.equal(`${signedOn}T00:00:00.000Z`);
    });
  });
});
