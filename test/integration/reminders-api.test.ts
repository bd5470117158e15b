import { expect } from 'chai';
import request from 'supertest';
import mongoose from 'mongoose';
import { ManualClock } from '../../lib/clock.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia, moveVia, patchVia } from '../support/agreements.js';
import { expectError } from '../support/errors.js';
import { SHIPPED_CALENDAR } from '../../workflows/business-days.js';
import { DAY, addDays, jakarta, jakartaDate, quietDay } from '../support/reminders.js';

describe('deadlines API, pausing, calendars, stage deadlines', () => {
  // Starts at the real time, then only moves forward (see test/support/reminders.ts).
  const clock = new ManualClock();
  let t: TestApp;
  let drafter: string;
  let drafterEmail: string;
  let admin: string;
  let auditor: string;
  let otherUnit: string;
  let agreementId: string;
  const users: Array<[TestUser, (token: string) => void]> = [];

  /** Logs everyone in again: tokens expire on the injected clock, which the tests move far ahead. */
  async function relogin() {
    for (const [user, keep] of users) keep((await loginAs(t, user.role, { user })).token);
  }
  /** `n` days from the test clock's Jakarta date, 10:00 WIB (03:00Z). */
  const inDays = (n: number) => `${addDays(jakartaDate(clock.now()), n)}T03:00:00.000Z`;

  before(async () => {
    t = await createTestApp({ label: 'rem-api', clock, env: { TOKEN_TTL_MINUTES: '43200', PUBLIC_URL: 'https://tracker.example.go.id' } });
    const d = await loginAs(t, 'drafter', { unit: 'PWNI' });
    drafterEmail = d.user.email;
    users.push([d.user, (x) => (drafter = x)]);
    users.push([(await loginAs(t, 'admin', { unit: 'PWNI' })).user, (x) => (admin = x)]);
    users.push([(await loginAs(t, 'auditor', { unit: 'PWNI' })).user, (x) => (auditor = x)]);
    users.push([(await loginAs(t, 'drafter', { unit: 'HPI' })).user, (x) => (otherUnit = x)]);
    await relogin();
    agreementId = (await createAgreementVia(t, drafter, { code: 'PKS-AHU-2026', confidentiality: 'confidential' })).id;
  });
  after(async () => t?.close());

  const post = (token: string, body: Record<string, unknown>, id = agreementId) =>
    request(t.app).post(`/api/agreements/${id}/deadlines`).set(bearer(token)).send(body);

  it('when a deadline is posted with kind, dueAt, timezone and recipients, then it answers 201 with an id and the first reminder scheduled', async () => {
    const due = addDays(jakartaDate(clock.now()), 60);
    const res = await post(drafter, { kind: 'signing_due', dueAt: `${due}T03:00:00Z`, timezone: 'Asia/Riyadh', recipients: ['Signatory@Example.org'] });
    expect(res.status).to.equal(201);
    expect(res.body.id).to.match(/^[0-9a-f]{24}$/);
    expect(res.body).to.deep.include({ kind: 'signing_due', status: 'open', timezone: 'Asia/Riyadh', dueLocal: `${due} 06:00 (Asia/Riyadh, GMT+3)`, nextSlot: 'before-14' });
    expect(res.body.recipients).to.deep.equal([{ email: 'signatory@example.org' }]);
    expect(res.body.nextReminderAt).to.equal(`${addDays(due, -14)}T03:00:00.000Z`);
    const list = await request(t.app).get(`/api/agreements/${agreementId}/deadlines`).set(bearer(drafter));
    expect(list.body.items.map((d: any) => d.id)).to.include(res.body.id);
    // Rows name their agreement as people do: by code and title.
    const label = { id: agreementId, code: 'PKS-AHU-2026', title: { id: 'Nota Kesepahaman Uji', en: 'Test Memorandum of Understanding' }, stage: 'drafting' };
    expect(res.body.agreement).to.deep.equal(label);
    expect(list.body.items.every((d: any) => JSON.stringify(d.agreement) === JSON.stringify(label))).to.equal(true);
    const across = await request(t.app).get('/api/deadlines').query({ agreementId }).set(bearer(drafter));
    expect(across.body.items.map((d: any) => d.agreement)).to.deep.include(label);
    const history = await request(t.app).get(`/api/agreements/${agreementId}/history`).set(bearer(drafter));
    expect(JSON.stringify(history.body)).to.contain('deadline_created');
  });

  it('when the body is invalid, then 422 names each bad field', async () => {
    const res = await post(drafter, { kind: 'someday', dueAt: 'next week', recipients: ['not-an-email'], extra: 1 });
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('validation_failed');
    const fields = res.body.error.details.map((d: any) => d.field);
    expect(fields).to.include.members(['kind', 'dueAt', 'recipients.0', 'extra']);
  });

  it('when the time zone is not an IANA zone, then 422 names timezone', async () => {
    const res = await post(drafter, { kind: 'custom', dueAt: inDays(30), timezone: 'Jakarta/Bogor' });
    expect(res.status).to.equal(422);
    expect(res.body.error.details.map((d: any) => d.field)).to.deep.equal(['timezone']);
    expect(res.body.error.details[0].message).to.match(/IANA/);
  });

  it('when the agreement is unknown, malformed, or confidential to another unit, then 404', async () => {
    for (const [token, id] of [[drafter, '0123456789abcdef01234567'], [drafter, 'nope'], [otherUnit, agreementId]] as const) {
      const res = await post(token, { kind: 'custom', dueAt: inDays(30) }, id);
      expect(res.status, `${id}`).to.equal(404);
      expect(res.body.error.code).to.equal('not_found');
    }
    const list = await request(t.app).get('/api/deadlines').set(bearer(otherUnit));
    expect(list.body.items.filter((d: any) => d.agreementId === agreementId)).to.have.length(0);
  });

  it('when an auditor posts a deadline or a drafter runs a sweep, then 403 and nothing changes', async () => {
    const before = await t.ctx.models.Deadline.countDocuments({});
    const res = await post(auditor, { kind: 'custom', dueAt: inDays(30) });
    expect(res.status).to.equal(403);
    expect(res.body.error.code).to.equal('forbidden');
    expect(await t.ctx.models.Deadline.countDocuments({})).to.equal(before);
    const sweep = await request(t.app).post('/api/reminders/sweep').set(bearer(drafter)).send({});
    expect(sweep.status).to.equal(403);
    expect(sweep.body.error.code).to.equal('forbidden');
  });

  it('when deadlines are listed with filters, then only matching ones come back, soonest first', async () => {
    await post(drafter, { kind: 'custom', note: 'laporan', dueAt: inDays(24), recipients: ['filter.me@pwni.test'] });
    await post(drafter, { kind: 'ratification_due', dueAt: inDays(85), recipients: ['filter.me@pwni.test'] });
    const q = async (query: Record<string, string>) => (await request(t.app).get('/api/deadlines').query(query).set(bearer(drafter))).body;
    expect((await q({ person: 'filter.me@pwni.test' })).items.map((d: any) => d.kind)).to.deep.equal(['custom', 'ratification_due']);
    expect((await q({ person: 'filter.me@pwni.test', dueBefore: inDays(45) })).items.map((d: any) => d.kind)).to.deep.equal(['custom']);
    expect((await q({ person: 'filter.me@pwni.test', dueAfter: inDays(45) })).items.map((d: any) => d.kind)).to.deep.equal(['ratification_due']);
    expect((await q({ kind: 'ratification_due,signing_due' })).items.every((d: any) => ['ratification_due', 'signing_due'].includes(d.kind))).to.equal(true);
    const bad = await request(t.app).get('/api/deadlines').query({ status: 'open,late' }).set(bearer(drafter));
    expect(bad.status).to.equal(422);
    expect(bad.body.error.details[0].field).to.equal('status');
  });

  it('when a deadline is moved, then a new ladder starts; when it is met, then no reminder is left', async () => {
    const created = (await post(drafter, { kind: 'custom', dueAt: inDays(3), recipients: ['mover@pwni.test'] })).body;
    const moved = await request(t.app).patch(`/api/deadlines/${created.id}`).set(bearer(drafter)).send({ dueAt: inDays(63), version: created.version });
    expect(moved.status).to.equal(200);
    expect(moved.body).to.deep.include({ dueAt: inDays(63), nextSlot: 'before-14', deliveredSlots: [], version: created.version + 1 });
    const stale = await request(t.app).patch(`/api/deadlines/${created.id}`).set(bearer(drafter)).send({ status: 'met', version: created.version });
    expect(stale.status).to.equal(409);
    expect(stale.body.error.code).to.equal('version_conflict');
    expect(stale.body.error.details).to.deep.equal({ currentVersion: created.version + 1 });
    const met = await request(t.app).patch(`/api/deadlines/${created.id}`).set(bearer(drafter)).send({ status: 'met' });
    expect(met.body).to.deep.include({ status: 'met', nextReminderAt: null, closedAt: clock.now().toISOString() });
    const missing = await request(t.app).patch('/api/deadlines/0123456789abcdef01234567').set(bearer(drafter)).send({ status: 'met' });
    expect(missing.status).to.equal(404);
    expect(missing.body.error.code).to.equal('not_found');
    const empty = await request(t.app).patch(`/api/deadlines/${created.id}`).set(bearer(drafter)).send({});
    expect(empty.status).to.equal(422);
    expect(empty.body.error.code).to.equal('validation_failed');
  });

  it('when the agreement enters a stage with service-level days, then a stage deadline is opened counting working days past the weekends and two holidays an admin added', async () => {
    // A Tuesday with no shipped holiday in the seven weeks after it.
    const tue = quietDay(clock.now(), 2, { minDaysAhead: 7, before: 0, after: 50, closed: SHIPPED_CALENDAR.closed });
    clock.set(jakarta(tue, '10:00'));
    await relogin();
    // The Wednesday after entry and the Friday of the following week become holidays.
    for (const date of [addDays(tue, 1), addDays(tue, 10)]) {
      const add = await request(t.app).post('/api/holidays').set(bearer(admin)).send({ date, kind: 'holiday', name: { id: 'Libur uji', en: 'Test holiday' } });
      expect(add.status, JSON.stringify(add.body)).to.equal(201);
    }
    const moved = await moveVia(t, drafter, agreementId, 'interagency_consultation');
    const list = await request(t.app).get(`/api/agreements/${agreementId}/deadlines`).set(bearer(drafter));
    const stage = list.body.items.find((d: any) => d.kind === 'stage_due' && d.stage === 'interagency_consultation');
    // 30 working days from a Tuesday are six whole weeks (the Tuesday 42 days on); the two
    // holidays push it two working days further: Thursday, 17:00 WIB.
    expect(stage).to.deep.include({ status: 'open', dueAt: jakarta(addDays(tue, 44), '17:00').toISOString(), timezone: 'Asia/Jakarta', source: 'auto' });
    expect(stage.recipients.map((r: any) => r.email)).to.include(drafterEmail);
    expect(moved.stageDueAt, "the agreement's stageDueAt is the same instant").to.equal(stage.dueAt);
    clock.set(jakarta(addDays(tue, 3), '10:00'));
    await moveVia(t, drafter, agreementId, 'negotiation');
    const after = await request(t.app).get(`/api/agreements/${agreementId}/deadlines`).set(bearer(drafter));
    const closed = after.body.items.find((d: any) => d.id === stage.id);
    expect(closed).to.deep.include({ status: 'met', nextReminderAt: null, closedAt: clock.now().toISOString() });
    expect(after.body.items.find((d: any) => d.kind === 'stage_due' && d.stage === 'negotiation')).to.deep.include({ status: 'open' });
  });

  it('when the agreement is put on hold, then its stage deadline is cancelled, not met; when it resumes, then a fresh one starts that day', async () => {
    const before = await request(t.app).get(`/api/agreements/${agreementId}/deadlines`).set(bearer(drafter));
    const running = before.body.items.find((d: any) => d.kind === 'stage_due' && d.stage === 'negotiation' && d.status === 'open');
    await moveVia(t, drafter, agreementId, 'on_hold');
    const held = await request(t.app).get(`/api/agreements/${agreementId}/deadlines`).set(bearer(drafter));
    expect(held.body.items.find((d: any) => d.id === running.id)).to.deep.include({ status: 'cancelled', nextReminderAt: null });
    // Resumed on the Tuesday after: the service level counts again from there.
    clock.advance(4 * DAY);
    await moveVia(t, drafter, agreementId, 'negotiation');
    const resumed = await request(t.app).get(`/api/agreements/${agreementId}/deadlines`).set(bearer(drafter));
    const fresh = resumed.body.items.filter((d: any) => d.kind === 'stage_due' && d.stage === 'negotiation' && d.status === 'open');
    expect(fresh).to.have.length(1);
    expect(fresh[0].id).to.not.equal(running.id);
    expect(Date.parse(fresh[0].dueAt)).to.be.greaterThan(Date.parse(running.dueAt));
  });

  it('when reminders are paused, then no deadline of the agreement is scheduled or swept; when resumed, then the due reminder goes out', async () => {
    // Due in three days: its before-3 reminder is due right now.
    await post(drafter, { kind: 'custom', note: 'jeda', dueAt: new Date(clock.now().getTime() + 3 * DAY).toISOString(), recipients: ['paused@pwni.test'] });
    const paused = await request(t.app).post(`/api/agreements/${agreementId}/reminders/pause`).set(bearer(drafter));
    expect(paused.body).to.include({ remindersPaused: true });
    const list = await request(t.app).get(`/api/agreements/${agreementId}/deadlines`).set(bearer(drafter));
    const open = list.body.items.filter((d: any) => d.status === 'open');
    expect(open.length).to.be.greaterThan(1);
    expect(open.every((d: any) => d.paused === true && d.nextReminderAt === null)).to.equal(true);
    const sweep = await request(t.app).post('/api/reminders/sweep').set(bearer(admin)).send({});
    expect(sweep.body).to.include({ ran: true, remindersRecorded: 0 });
    expect(await t.ctx.models.ReminderDelivery.countDocuments({ recipient: 'paused@pwni.test' })).to.equal(0);
    await request(t.app).post(`/api/agreements/${agreementId}/reminders/resume`).set(bearer(drafter));
    const resumed = await request(t.app).get(`/api/agreements/${agreementId}/deadlines`).set(bearer(drafter));
    expect(resumed.body.items.filter((d: any) => d.status === 'open').every((d: any) => d.paused === false && d.nextReminderAt)).to.equal(true);
    await request(t.app).post('/api/reminders/sweep').set(bearer(admin)).send({});
    const sent = await request(t.app).get('/api/reminders').query({ agreementId }).set(bearer(admin));
    expect(sent.body.items.filter((d: any) => d.recipient === 'paused@pwni.test').map((d: any) => [d.slot, d.status])).to.deep.equal([['before-3', 'logged']]);
  });

  it('when PATCH of the agreement carries remindersPaused, then 422 names it and points to the pause routes, and nothing is paused', async () => {
    const current = await request(t.app).get(`/api/agreements/${agreementId}`).set(bearer(drafter));
    const res = await request(t.app).patch(`/api/agreements/${agreementId}`).set(bearer(drafter)).send({ version: current.body.version, remindersPaused: true });
    expect(res.status).to.equal(422);
    const detail = res.body.error.details.find((d: any) => d.field === 'remindersPaused');
    expect(detail.message).to.match(/reminders\/pause/);
    const after = await request(t.app).get(`/api/agreements/${agreementId}`).set(bearer(drafter));
    expect(after.body).to.include({ remindersPaused: false, version: current.body.version });
    const list = await request(t.app).get(`/api/agreements/${agreementId}/deadlines`).set(bearer(drafter));
    expect(list.body.items.filter((d: any) => d.status === 'open').every((d: any) => d.paused === false)).to.equal(true);
  });

  it("when an agreement is made confidential through PATCH, then its deadlines leave other units' lists at once, and come back when it is internal again", async () => {
    const internal = await createAgreementVia(t, drafter, { confidentiality: 'internal' });
    const made = await post(drafter, { kind: 'custom', note: 'rahasia', dueAt: inDays(20), recipients: ['secret@pwni.test'] }, internal.id);
    const seenByOtherUnit = async () =>
      (await request(t.app).get('/api/deadlines').query({ agreementId: internal.id }).set(bearer(otherUnit))).body.items.map((d: any) => d.id);
    expect(await seenByOtherUnit()).to.include(made.body.id);
    await patchVia(t, drafter, internal.id, { confidentiality: 'confidential' });
    expect(await seenByOtherUnit()).to.deep.equal([]);
    const ownUnit = await request(t.app).get('/api/deadlines').query({ agreementId: internal.id }).set(bearer(drafter));
    expect(ownUnit.body.items.map((d: any) => d.id)).to.include(made.body.id);
    await patchVia(t, drafter, internal.id, { confidentiality: 'internal' });
    expect(await seenByOtherUnit()).to.include(made.body.id);
  });

  it('when a user asks for a calendar URL, then the feed needs no bearer, lists their deadlines with stable UIDs, and stops working once revoked or rotated', async () => {
    const meeting = addDays(jakartaDate(clock.now()), 12);
    await post(drafter, { kind: 'custom', note: 'rapat', dueAt: `${meeting}T03:00:00Z`, recipients: [drafterEmail] });
    const issued = await request(t.app).post('/api/me/calendar-token').set(bearer(drafter));
    expect(issued.status).to.equal(201);
    expect(issued.body.url).to.equal(`https://tracker.example.go.id/api/calendar/${issued.body.token}.ics`);
    const feed = await request(t.app).get(`/api/calendar/${issued.body.token}.ics`);
    expect(feed.status).to.equal(200);
    expect(feed.headers['content-type']).to.match(/^text\/calendar/);
    expect(feed.text).to.match(/^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\n/);
    expect(feed.text).to.contain(`DTSTART:${meeting.replace(/-/g, '')}T030000Z`);
    const uids = feed.text.match(/UID:[^\r]+/g)!;
    const again = await request(t.app).get(`/api/calendar/${issued.body.token}.ics`);
    expect(again.text.match(/UID:[^\r]+/g)).to.deep.equal(uids);
    const rotated = await request(t.app).post('/api/me/calendar-token').set(bearer(drafter));
    expect((await request(t.app).get(`/api/calendar/${issued.body.token}.ics`)).status).to.equal(404);
    expect((await request(t.app).get(`/api/calendar/${rotated.body.token}.ics`)).status).to.equal(200);
    await request(t.app).delete('/api/me/calendar-token').set(bearer(drafter));
    expect((await request(t.app).get(`/api/calendar/${rotated.body.token}.ics`)).status).to.equal(404);
  });

  it('when the database fails while a calendar feed looks up its owner, then 500 with the error logged, not the 404 of a wrong link', async () => {
    const issued = await request(t.app).post('/api/me/calendar-token').set(bearer(drafter));
    expect(issued.status).to.equal(201);
    const User = t.ctx.models.User;
    const original = User.findById;
    // the owner's lookup fails as a server error would (an operation over its time limit); everything else is untouched
    (User as any).findById = function (this: typeof User, ...args: Parameters<typeof User.findById>) {
      (User as any).findById = original;
      const query = original.apply(this, args);
      query.lean = (() => Promise.reject(new mongoose.mongo.MongoServerError({ message: 'operation exceeded time limit', code: 50, codeName: 'MaxTimeMSExpired' }))) as any;
      return query;
    };
    const logged: Array<{ msg: string; fields?: Record<string, unknown> }> = [];
    const logger = t.ctx.logger as { error: (msg: string, fields?: Record<string, unknown>) => void };
    const originalError = logger.error;
    logger.error = (msg, fields) => logged.push({ msg, fields });
    let res;
    try {
      res = await request(t.app).get(`/api/calendar/${issued.body.token}.ics`);
    } finally {
      (User as any).findById = original;
      logger.error = originalError;
    }
    expectError(res, 500, 'internal');
    expect(res.body.error.message).to.equal('Internal server error / Kesalahan server internal');
    expect(logged.map((l) => l.msg)).to.deep.equal(['request failed']);
    expect(String(logged[0].fields?.err)).to.contain('operation exceeded time limit');
    // the link itself is good: once the database answers, the feed is served
    expect((await request(t.app).get(`/api/calendar/${issued.body.token}.ics`)).status).to.equal(200);
  });

  it("when an agreement's calendar is fetched, then it is iCalendar with one event per deadline; other units get 404", async () => {
    const res = await request(t.app).get(`/api/agreements/${agreementId}/calendar.ics`).set(bearer(drafter));
    expect(res.status).to.equal(200);
    expect(res.headers['content-disposition']).to.contain('PKS-AHU-2026.ics');
    const count = (await t.ctx.models.Deadline.countDocuments({ agreementId })) as number;
    expect(res.text.match(/BEGIN:VEVENT/g)).to.have.length(count);
    expect(res.text).to.contain('END:VCALENDAR');
    expect((await request(t.app).get(`/api/agreements/${agreementId}/calendar.ics`).set(bearer(otherUnit))).status).to.equal(404);
    expect((await request(t.app).get(`/api/agreements/${agreementId}/calendar.ics`)).status).to.equal(401);
  });

  it('when an admin adds a holiday, then it is listed for its year next to the SKB days, and only admins may add one', async () => {
    const day = addDays(jakartaDate(clock.now()), 20);
    const add = await request(t.app).post('/api/holidays').set(bearer(admin)).send({ date: day, kind: 'collective_leave', name: { id: 'Cuti uji', en: 'Test leave' } });
    expect(add.status).to.equal(201);
    const year = await request(t.app).get('/api/holidays').query({ year: Number(day.slice(0, 4)) }).set(bearer(drafter));
    expect(year.body.days.find((d: any) => d.date === day)).to.include({ source: 'admin', kind: 'collective_leave' });
    const shipped = await request(t.app).get('/api/holidays').query({ year: 2026 }).set(bearer(drafter));
    expect(shipped.body.official).to.equal(true);
    expect(shipped.body.days.find((d: any) => d.date === '2026-03-19')).to.include({ source: 'file', kind: 'holiday' });
    const forbidden = await request(t.app).post('/api/holidays').set(bearer(drafter)).send({ date: addDays(day, 1), name: { id: 'x', en: 'x' } });
    expect(forbidden.status).to.equal(403);
    expect(forbidden.body.error.code).to.equal('forbidden');
  });

  it('when an admin runs a sweep without SMTP, then it answers once done, with counts, and the deliveries are logged, not called sent', async () => {
    await post(drafter, { kind: 'custom', note: 'sapu', dueAt: new Date(clock.now().getTime() + 3 * DAY).toISOString(), recipients: ['swept@pwni.test'] });
    const res = await request(t.app).post('/api/reminders/sweep').set(bearer(admin)).send({});
    expect(res.status).to.equal(200);
    expect(res.body.ran).to.equal(true);
    expect(res.body.remindersRecorded).to.be.greaterThan(0);
    expect(res.body).to.include({ sent: 0, logged: res.body.attempted });
    const rows = await request(t.app).get('/api/reminders').set(bearer(admin));
    const row = rows.body.items.find((d: any) => d.recipient === 'swept@pwni.test');
    expect(row).to.include({ status: 'logged', slot: 'before-3', attempts: 1, sentAt: null });
    expect(row.agreement).to.deep.include({ id: agreementId, code: 'PKS-AHU-2026' });
    expect(row.agreement.title.id).to.equal('Nota Kesepahaman Uji');
  });
});
