/**
 * Confidential agreements do not leak around the access checks: reminders only to people who
 * may see the agreement (checked when the deadline is set and again at delivery), links to a
 * hidden agreement redacted for the reader, every reading of a confidential document recorded
 * whatever range it starts with, and a deleted user's tokens and calendar URL gone with it.
 */
import { expect } from 'chai';
import request from 'supertest';
import { Types } from 'mongoose';
import { ManualClock } from '../../lib/clock.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';
import { uploadVia } from '../support/documents.js';
import { expectError } from '../support/errors.js';
import { DAY, startSmtpServer } from '../support/reminders.js';

describe('integrity: confidential agreements', () => {
  const clock = new ManualClock();
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let t: TestApp;
  let admin: string;
  let hpiDrafter: { token: string; user: TestUser };
  let pwniDrafter: { token: string; user: TestUser };
  let secret: { id: string; code: string };

  before(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ label: 'integrity-conf', clock, env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), TOKEN_TTL_MINUTES: '43200' } });
    admin = (await loginAs(t, 'admin', { unit: 'PWNI' })).token;
    hpiDrafter = await loginAs(t, 'drafter', { unit: 'HPI' });
    pwniDrafter = await loginAs(t, 'drafter', { unit: 'PWNI' });
    secret = await createAgreementVia(t, hpiDrafter.token, { leadUnit: 'HPI', confidentiality: 'confidential', title: { id: 'Nota Rahasia HPI', en: 'HPI Secret Memorandum' } });
  });
  after(async () => {
    await t?.close();
    await smtp?.close();
  });

  const fieldsOf = (res: request.Response) => res.body.error.details.map((d: { field: string }) => d.field);
  const sweep = () => request(t.app).post('/api/reminders/sweep').set(bearer(admin));
  /** Makes the deadline's reminder due at the next sweep. */
  const dueNow = (id: string) => t.ctx.connection.collection('deadlines').updateOne({ _id: new Types.ObjectId(id) }, { $set: { nextReminderAt: new Date(clock.now().getTime() - 1000) } });

  describe('reminder recipients', () => {
    it('when an admin names as recipients users who may not see the confidential agreement, then 422 names them and nothing is stored', async () => {
      const before = await t.ctx.models.Deadline.countDocuments({ agreementId: new Types.ObjectId(secret.id), kind: 'custom' });
      const res = await request(t.app)
        .post(`/api/agreements/${secret.id}/deadlines`)
        .set(bearer(admin))
        .send({ kind: 'custom', dueAt: new Date(clock.now().getTime() + 3 * DAY).toISOString(), recipients: [hpiDrafter.user.email, pwniDrafter.user.email, 'counterpart@example.org'], note: 'Catatan rahasia' });
      expectError(res, 422, 'validation_failed');
      expect(fieldsOf(res)).to.deep.equal(['recipients.1']);
      expect(res.body.error.message).to.contain(pwniDrafter.user.email);
      expect(await t.ctx.models.Deadline.countDocuments({ agreementId: new Types.ObjectId(secret.id), kind: 'custom' })).to.equal(before);
    });

    it('when a deadline is re-addressed to such a user, then 422 names them and the deadline is unchanged', async () => {
      const created = await request(t.app)
        .post(`/api/agreements/${secret.id}/deadlines`)
        .set(bearer(admin))
        .send({ kind: 'custom', dueAt: new Date(clock.now().getTime() + 3 * DAY).toISOString(), recipients: [hpiDrafter.user.email] });
      expect(created.status).to.equal(201);
      const res = await request(t.app).patch(`/api/deadlines/${created.body.id}`).set(bearer(admin)).send({ recipients: [pwniDrafter.user.email] });
      expectError(res, 422, 'validation_failed');
      expect(fieldsOf(res)).to.deep.equal(['recipients.0']);
      const stored = await t.ctx.models.Deadline.findById(created.body.id).lean();
      expect(stored!.recipients.map((r) => r.email)).to.deep.equal([hpiDrafter.user.email]);
    });

    it('when a recipient loses access after the deadline was set, then nothing reaches them by any channel, at recording or at sending', async () => {
      const reader = await loginAs(t, 'diplomat', { unit: 'HPI' });
      const created = await request(t.app)
        .post(`/api/agreements/${secret.id}/deadlines`)
        .set(bearer(admin))
        .send({ kind: 'custom', dueAt: new Date(clock.now().getTime() + 2 * DAY).toISOString(), recipients: [reader.user.email, hpiDrafter.user.email], note: 'Catatan rahasia' });
      expect(created.status).to.equal(201);

      // lost before the sweep records the reminder: no in-app notice, no e-mail
      await request(t.app).patch(`/api/users/${reader.user.id}`).set(bearer(admin)).send({ unit: 'PWNI' }).expect(200);
      await dueNow(created.body.id);
      smtp.refuseNext(1); // the one e-mail left (the HPI drafter's) fails once and waits for a retry
      expect((await sweep()).status).to.equal(200);
      const readerToken = (await loginAs(t, 'diplomat', { user: reader.user })).token;
      const inbox = await request(t.app).get('/api/me/notifications').set(bearer(readerToken));
      expect(JSON.stringify(inbox.body)).not.to.contain(secret.code);
      expect(inbox.body.total).to.equal(0);
      const deliveries = await t.ctx.models.ReminderDelivery.find({ deadlineId: new Types.ObjectId(created.body.id) }).lean();
      expect(deliveries.map((d) => d.recipient)).to.deep.equal([hpiDrafter.user.email]);

      // lost between recording and sending: the retry is withheld, and the in-app notice hidden
      await request(t.app).patch(`/api/users/${hpiDrafter.user.id}`).set(bearer(admin)).send({ unit: 'PWNI' }).expect(200);
      clock.advance(DAY);
      const mailed = smtp.to(hpiDrafter.user.email).length;
      expect((await sweep()).status).to.equal(200);
      expect(smtp.to(hpiDrafter.user.email)).to.have.length(mailed);
      const [withheld] = await t.ctx.models.ReminderDelivery.find({ deadlineId: new Types.ObjectId(created.body.id) }).lean();
      expect(withheld.status).to.equal('failed');
      expect(withheld.lastError).to.match(/withheld/);
      // the administrator reads why in their own language, as the failed deliveries list gives it
      const failures = await request(t.app).get(`/api/reminders?status=failed&deadlineId=${created.body.id}`).set(bearer(admin));
      expect(failures.status).to.equal(200);
      expect(failures.body.items.map((d: any) => d.lastErrorText)).to.deep.equal([
        {
          id: 'Ditahan: penerima tidak berhak melihat perjanjian ini (klasifikasinya atau unit penerima berubah sesudah pengingat dicatat)',
          en: 'Withheld: the recipient may not see this agreement (its confidentiality or the recipient’s unit changed after the reminder was recorded)',
        },
      ]);
      const moved = (await loginAs(t, 'drafter', { user: hpiDrafter.user })).token;
      const hidden = await request(t.app).get('/api/me/notifications').set(bearer(moved));
      expect(JSON.stringify(hidden.body)).not.to.contain(secret.code);
      expect(hidden.body.total).to.equal(0);
      // access back: the notice is theirs to read again
      await request(t.app).patch(`/api/users/${hpiDrafter.user.id}`).set(bearer(admin)).send({ unit: 'HPI' }).expect(200);
      const back = await request(t.app).get('/api/me/notifications').set(bearer(moved));
      expect(back.body.items.map((n: { deadlineId: string }) => n.deadlineId)).to.include(created.body.id);
      hpiDrafter.token = moved;
    });
  });

  describe('links', () => {
    it('when a public agreement links to a confidential one, then readers who may not see the target see only a restricted link, in the agreement and its history', async () => {
      const open = await createAgreementVia(t, admin, { leadUnit: 'PWNI' });
      const linked = await request(t.app).post(`/api/agreements/${open.id}/links`).set(bearer(admin)).send({ type: 'implements', agreementId: secret.id });
      expect(linked.status).to.equal(201);
      expect(linked.body.links[0]).to.include({ agreementId: secret.id, code: secret.code });

      const outsider = await request(t.app).get(`/api/agreements/${open.id}`).set(bearer(pwniDrafter.token));
      expect(outsider.body.links).to.deep.equal([{ type: 'implements', restricted: true, agreementId: null, code: null, at: linked.body.links[0].at }]);
      expect(outsider.text).not.to.contain(secret.id);
      expect(outsider.text).not.to.contain(secret.code);
      const insider = await request(t.app).get(`/api/agreements/${open.id}`).set(bearer(hpiDrafter.token));
      expect(insider.body.links[0]).to.include({ agreementId: secret.id, code: secret.code });

      const history = await request(t.app).get(`/api/agreements/${open.id}/history`).set(bearer(pwniDrafter.token));
      expect(history.text).not.to.contain(secret.id);
      expect(history.text).not.to.contain(secret.code);
      const event = history.body.items.find((e: { action: string }) => e.action === 'link_added');
      expect(event.changes).to.deep.equal({ type: 'implements', restricted: true });
      const full = await request(t.app).get(`/api/agreements/${open.id}/history`).set(bearer(hpiDrafter.token));
      const fullEvent = full.body.items.find((e: { action: string }) => e.action === 'link_added');
      expect(fullEvent.changes).to.deep.equal({ type: 'implements', agreementId: secret.id, code: secret.code });
      // stored and hashed as it was: the same hashes for both readers, and the chain verifies for each
      expect(event.hash).to.equal(fullEvent.hash);
      for (const token of [pwniDrafter.token, hpiDrafter.token]) {
        const verify = await request(t.app).get(`/api/agreements/${open.id}/history/verify`).set(bearer(token));
        expect(verify.body.valid).to.equal(true);
      }
    });

    it('when a confidential agreement links to a public one, then the public one lists it in linkedFrom only for readers who may see it', async () => {
      const target = await createAgreementVia(t, admin, { leadUnit: 'PWNI' });
      const hidden = await createAgreementVia(t, hpiDrafter.token, { leadUnit: 'HPI', confidentiality: 'confidential', title: { id: 'Rencana Rahasia HPI', en: 'HPI Secret Plan' } });
      const open = await createAgreementVia(t, admin, { leadUnit: 'PWNI' });
      await request(t.app).post(`/api/agreements/${hidden.id}/links`).set(bearer(hpiDrafter.token)).send({ type: 'implements', agreementId: target.id }).expect(201);
      await request(t.app).post(`/api/agreements/${open.id}/links`).set(bearer(admin)).send({ type: 'amends', agreementId: target.id }).expect(201);

      const outsider = await request(t.app).get(`/api/agreements/${target.id}`).set(bearer(pwniDrafter.token));
      expect(outsider.body.linkedFrom.map((l: { type: string; agreementId: string }) => [l.type, l.agreementId])).to.deep.equal([['amends', open.id]]);
      expect(outsider.text).not.to.contain(hidden.id);
      expect(outsider.text).not.to.contain(hidden.code);
      const insider = await request(t.app).get(`/api/agreements/${target.id}`).set(bearer(hpiDrafter.token));
      expect(insider.body.linkedFrom.map((l: { type: string; agreementId: string; code: string }) => [l.type, l.agreementId, l.code])).to.deep.equal([
        ['implements', hidden.id, hidden.code],
        ['amends', open.id, open.code],
      ]);
      // the answer to a change shows the same as a read
      const edited = await request(t.app).patch(`/api/agreements/${target.id}`).set(bearer(pwniDrafter.token)).set('If-Match', `"${outsider.body.version}"`).send({ subjects: ['consular'] });
      expect(edited.status).to.equal(200);
      expect(edited.body.linkedFrom).to.deep.equal(outsider.body.linkedFrom);
    });
  });

  describe('lead unit', () => {
    const patch = async (token: string, id: string, body: Record<string, unknown>) => {
      const current = await request(t.app).get(`/api/agreements/${id}`).set(bearer(admin)).expect(200);
      return request(t.app).patch(`/api/agreements/${id}`).set(bearer(token)).send({ version: current.body.version, ...body });
    };

    it('when a drafter of another unit moves an agreement under their unit and makes it confidential, then 403 and the owners still see it as it was', async () => {
      const pwni = await createAgreementVia(t, pwniDrafter.token, { title: { id: 'Nota PWNI', en: 'PWNI Memorandum' } });
      const taken = await patch(hpiDrafter.token, pwni.id, { leadUnit: 'HPI', confidentiality: 'confidential' });
      expectError(taken, 403, 'forbidden');
      expect(taken.body.error.message).to.equal(
        'Only an administrator may move an agreement from one unit to another (from PWNI to HPI) / Hanya administrator yang dapat memindahkan perjanjian dari satu unit ke unit lain (dari PWNI ke HPI)',
      );
      const hidden = await patch(hpiDrafter.token, pwni.id, { confidentiality: 'confidential' });
      expectError(hidden, 403, 'forbidden');
      expect(hidden.body.error.message).to.contain('Only the lead unit (PWNI) or an administrator may change who may see this agreement');
      const seen = await request(t.app).get(`/api/agreements/${pwni.id}`).set(bearer(pwniDrafter.token)).expect(200);
      expect(seen.body).to.include({ leadUnit: 'PWNI', confidentiality: 'internal', version: 1 });
      // the lead unit chooses who sees its agreement; handing it to another unit is the administrator's
      expect((await patch(pwniDrafter.token, pwni.id, { confidentiality: 'confidential' })).status).to.equal(200);
      expectError(await patch(pwniDrafter.token, pwni.id, { leadUnit: 'HPI' }), 403, 'forbidden');
      const handed = await patch(admin, pwni.id, { leadUnit: 'HPI' });
      expect(handed.status).to.equal(200);
      expect(handed.body).to.include({ leadUnit: 'HPI', confidentiality: 'confidential' });
    });

    it('when a drafter creates or imports an agreement led by another unit, then it is refused; in their own unit it is created', async () => {
      const before = await t.ctx.models.Agreement.countDocuments({});
      const created = await request(t.app)
        .post('/api/agreements')
        .set(bearer(hpiDrafter.token))
        .send({ type: 'mou', title: { id: 'Nota Titipan', en: 'Planted Memorandum' }, leadUnit: 'PWNI', confidentiality: 'confidential', parties: [{ name: 'Malaysia', kind: 'state', country: 'MY' }] });
      expectError(created, 403, 'forbidden');
      expect(created.body.error.message).to.contain('Only an administrator may place an agreement under another unit (PWNI); you belong to HPI');
      expect(await t.ctx.models.Agreement.countDocuments({})).to.equal(before);
      const own = await createAgreementVia(t, hpiDrafter.token, { leadUnit: undefined, title: { id: 'Nota HPI', en: 'HPI Memorandum' } });
      expect((await request(t.app).get(`/api/agreements/${own.id}`).set(bearer(hpiDrafter.token)).expect(200)).body.leadUnit).to.equal('HPI');

      const csv = Buffer.from(
        'code,type,title_id,title_en,lead_unit,stage,stage_since,parties,confidentiality\n' +
          'LU-01,mou,Nota Satu,Memorandum One,PWNI,drafting,2022-05-02,"Republik Indonesia [state, ID]; Malaysia [state, MY]",confidential\n' +
          'LU-02,mou,Nota Dua,Memorandum Two,HPI,drafting,2022-05-02,"Republik Indonesia [state, ID]; Malaysia [state, MY]",internal\n',
      );
      const checked = await request(t.app).post('/api/imports').set(bearer(hpiDrafter.token)).attach('file', csv, 'register.csv').expect(200);
      expect(checked.body.problems).to.deep.equal([
        {
          row: 2,
          column: 'lead_unit',
          message: {
            en: 'Only an administrator may import agreements led by another unit (PWNI); you belong to HPI',
            id: 'Hanya administrator yang dapat mengimpor perjanjian dengan unit penanggung jawab lain (PWNI); Anda anggota unit HPI',
          },
        },
      ]);
      expect(checked.body.agreements.map((a: { code: string }) => a.code)).to.deep.equal(['LU-02']);
    });
  });

  describe('ranged downloads', () => {
    it('when a confidential document is read from past its first byte, then no content leaves unrecorded: a range with no reading on record is one, and ranges within a reading are not recorded again', async () => {
      const upload = await uploadVia(t, hpiDrafter.token, secret.id, { kind: 'note', language: 'id' });
      expect(upload.status).to.equal(201);
      const url = `/api/documents/${upload.body.id}/file`;
      const events = async () =>
        (await request(t.app).get(`/api/agreements/${secret.id}/history`).set(bearer(admin))).body.items.filter((e: { action: string }) => e.action === 'document_downloaded');
      const before = (await events()).length;
      const tail = await request(t.app).get(url).set(bearer(hpiDrafter.token)).set('Range', 'bytes=1-').buffer(true);
      expect(tail.status).to.equal(206);
      const suffix = await request(t.app).get(url).set(bearer(hpiDrafter.token)).set('Range', 'bytes=-100').buffer(true);
      expect(suffix.status).to.equal(206);
      const head = await request(t.app).head(url).set(bearer(hpiDrafter.token));
      expect(head.status).to.equal(200);
      // a reading lasts 10 minutes: after that, a range is a new one
      clock.advance(11 * 60_000);
      const later = await request(t.app).get(url).set(bearer(hpiDrafter.token)).set('Range', 'bytes=-100').buffer(true);
      expect(later.status).to.equal(206);
      const recorded = (await events()).slice(before);
      expect(recorded.map((e: { changes: { firstRange?: string } }) => e.changes.firstRange)).to.deep.equal([
        `bytes 1-${upload.body.size - 1}/${upload.body.size}`,
        `bytes ${upload.body.size - 100}-${upload.body.size - 1}/${upload.body.size}`,
      ]);
      expect(recorded[0].actor.email).to.equal(hpiDrafter.user.email);
    });
  });

  describe('deleted users', () => {
    it('when a user is deleted, then their login token and secret calendar URL stop working at once and are gone from the database', async () => {
      const doomed = await loginAs(t, 'drafter', { unit: 'HPI' });
      const created = await request(t.app)
        .post(`/api/agreements/${secret.id}/deadlines`)
        .set(bearer(admin))
        .send({ kind: 'custom', dueAt: new Date(clock.now().getTime() + 5 * DAY).toISOString(), recipients: [doomed.user.email], note: 'Catatan rahasia' });
      expect(created.status).to.equal(201);
      const issued = await request(t.app).post('/api/me/calendar-token').set(bearer(doomed.token));
      const feed = await request(t.app).get(`/api/calendar/${issued.body.token}.ics`);
      expect(feed.status).to.equal(200);
      expect(feed.text).to.contain('Catatan rahasia');

      expect((await request(t.app).delete(`/api/users/${doomed.user.id}`).set(bearer(admin))).status).to.equal(204);
      expectError(await request(t.app).get(`/api/calendar/${issued.body.token}.ics`), 404, 'not_found');
      expectError(await request(t.app).get('/api/me').set(bearer(doomed.token)), 401, 'unauthenticated');
      expect(await t.ctx.models.CalendarToken.countDocuments({ userId: doomed.user.id })).to.equal(0);
      expect(await t.ctx.models.AuthToken.countDocuments({ userId: new Types.ObjectId(doomed.user.id) })).to.equal(0);
    });

    it('when a calendar URL outlived its user (a row from before this rule), then it serves nothing', async () => {
      const ghost = await loginAs(t, 'drafter', { unit: 'HPI' });
      const issued = await request(t.app).post('/api/me/calendar-token').set(bearer(ghost.token));
      await t.ctx.connection.collection('users').deleteOne({ _id: new Types.ObjectId(ghost.user.id) });
      expectError(await request(t.app).get(`/api/calendar/${issued.body.token}.ics`), 404, 'not_found');
    });

    it('when the owner of a calendar URL may no longer see an agreement, then its deadlines leave the feed', async () => {
      const mover = await loginAs(t, 'drafter', { unit: 'HPI' });
      await request(t.app)
        .post(`/api/agreements/${secret.id}/deadlines`)
        .set(bearer(admin))
        .send({ kind: 'custom', dueAt: new Date(clock.now().getTime() + 6 * DAY).toISOString(), recipients: [mover.user.email], note: 'Tenggat pindahan' })
        .expect(201);
      const issued = await request(t.app).post('/api/me/calendar-token').set(bearer(mover.token));
      expect((await request(t.app).get(`/api/calendar/${issued.body.token}.ics`)).text).to.contain('Tenggat pindahan');
      await request(t.app).patch(`/api/users/${mover.user.id}`).set(bearer(admin)).send({ unit: 'PWNI' }).expect(200);
      const feed = await request(t.app).get(`/api/calendar/${issued.body.token}.ics`);
      expect(feed.status).to.equal(200);
      expect(feed.text).not.to.contain('Tenggat pindahan');
      expect(feed.text).not.to.contain(secret.code);
    });
  });
});
