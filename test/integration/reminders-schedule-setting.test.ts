import { expect } from 'chai';
import request from 'supertest';
import { ManualClock } from '../../lib/clock.js';
import { sweepReminders } from '../../domain/reminders/sweep-reminders.js';
import { setReminderSchedule } from '../../domain/reminders/reminder-schedule.js';
import { openDeadline } from '../../domain/deadlines/open-deadline.js';
import { loadReminderPolicy } from '../../domain/deadlines/schedule.js';
import { loadBusinessCalendar } from '../../domain/deadlines/business-calendar.js';
import { SYSTEM_ACTOR, type Actor } from '../../domain/accounts/actor.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';
import { DAY, SHIPPED_SCHEDULE, addDays, jakarta, jakartaDate, startSmtpServer } from '../support/reminders.js';

const SHIPPED = SHIPPED_SCHEDULE;

/**
 * The reminder schedule was fixed in code: the admin's reminders tab only stated it. It is now an
 * administrator's setting, stored in the database, and a change moves every open deadline onto it.
 */
describe('reminders: the schedule is an administrator’s setting', () => {
  const clock = new ManualClock();
  let t: TestApp;
  let admin: string;
  let adminEmail: string;
  let drafter: string;
  let agreementId: string;

  before(async () => {
    t = await createTestApp({ label: 'rem-setting', clock, env: { TOKEN_TTL_MINUTES: '43200' } });
    const a = await loginAs(t, 'admin', { unit: 'PWNI', name: 'Ayu Administrator' });
    admin = a.token;
    adminEmail = a.user.email;
    drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
    agreementId = (await createAgreementVia(t, drafter)).id;
  });
  after(async () => t?.close());

  const put = (token: string, body: unknown) => request(t.app).put('/api/reminders/schedule').set(bearer(token)).send(body as object);
  const settings = async () => (await request(t.app).get('/api/reminders/schedule').set(bearer(admin))).body;
  const deadline = async (id: string) => (await request(t.app).get(`/api/agreements/${agreementId}/deadlines`).set(bearer(drafter))).body.items.find((d: any) => d.id === id);

  /** A custom deadline `days` days from the clock's Jakarta date, at 10:00 WIB. */
  async function deadlineIn(days: number) {
    const due = addDays(jakartaDate(clock.now()), days);
    const res = await request(t.app).post(`/api/agreements/${agreementId}/deadlines`).set(bearer(drafter)).send({ kind: 'custom', dueAt: jakarta(due, '10:00').toISOString(), note: 'Kirim catatan', recipients: ['penerima@pwni.test'] });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return { id: res.body.id as string, due };
  }

  it('when nobody has set the schedule, then the shipped one is in force and said to be the default', async () => {
    const s = await settings();
    expect(s).to.deep.include({ schedule: SHIPPED, defaults: SHIPPED, isDefault: true });
    expect(s.changes).to.deep.equal([]);
  });

  it('when a drafter tries to change the schedule, then it is refused with 403 and nothing changes', async () => {
    const res = await put(drafter, { ...SHIPPED, daysBefore: [2] });
    expect(res.status).to.equal(403);
    expect(res.body.error.code).to.equal('forbidden');
    expect(res.body.error.message).to.contain(' / ');
    expect((await settings()).schedule).to.deep.equal(SHIPPED);
  });

  it('when the schedule given is wrong, then every bad field is named in both languages and neither the schedule nor any deadline changes', async () => {
    const { id } = await deadlineIn(40);
    const before = await deadline(id);
    const res = await put(admin, {
      daysBefore: [5, 5, 0],
      onTheDay: 'ya',
      sendAtLocalTime: '24:30',
      overdueFirstAfterWorkingDays: 0,
      overdueEveryWorkingDays: 1.5,
      overdueMaxReminders: 2,
      escalateFromOverdueReminder: 3,
      delivery: { maxAttempts: 50 },
    });
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('validation_failed');
    const byField = new Map<string, string>(res.body.error.details.map((d: any) => [d.field, d.message]));
    expect([...byField.keys()]).to.have.members(['daysBefore.1', 'daysBefore.2', 'onTheDay', 'sendAtLocalTime', 'overdueFirstAfterWorkingDays', 'overdueEveryWorkingDays', 'escalateFromOverdueReminder', 'delivery']);
    expect(byField.get('sendAtLocalTime')).to.equal("'sendAtLocalTime' must be a time of day written HH:MM, from 00:00 to 23:59 / 'sendAtLocalTime' harus berupa jam yang ditulis JJ:MM, dari 00:00 sampai 23:59");
    expect(byField.get('daysBefore.1')).to.equal("'daysBefore[1]' names the same day more than once / 'daysBefore[1]' menyebut hari yang sama lebih dari sekali");
    expect(byField.get('overdueEveryWorkingDays')).to.contain('whole number of working days from 1 to 30 / ').and.contain('hari kerja');
    expect(byField.get('escalateFromOverdueReminder')).to.contain('0 (never escalate)').and.contain('0 (tanpa eskalasi)');
    expect(byField.get('delivery')).to.contain('is not part of the reminder schedule / ').and.contain('bukan bagian dari jadwal pengingat');
    expect(await settings()).to.deep.include({ schedule: SHIPPED, isDefault: true, changes: [] });
    expect(await deadline(id)).to.deep.include({ nextSlot: before.nextSlot, nextReminderAt: before.nextReminderAt, version: before.version });
  });

  it("when an admin changes the schedule, then an open deadline's next reminder follows it at once, and the change is recorded with who, when, before and after", async () => {
    const { id, due } = await deadlineIn(40);
    expect(await deadline(id)).to.deep.include({ nextSlot: 'before-14', nextReminderAt: jakarta(addDays(due, -14), '10:00').toISOString() });
    const near = await deadlineIn(20);
    const next = { ...SHIPPED, daysBefore: [3, 30, 10], sendAtLocalTime: '13:30', overdueMaxReminders: 3, escalateFromOverdueReminder: 3 };
    const res = await put(admin, next);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const stored = { ...next, daysBefore: [30, 10, 3] };
    expect(res.body).to.deep.include({ before: SHIPPED, after: stored, changed: ['daysBefore', 'sendAtLocalTime', 'overdueMaxReminders', 'escalateFromOverdueReminder'] });
    expect(res.body.by).to.deep.equal({ name: 'Ayu Administrator', email: adminEmail });
    expect(res.body.at).to.equal(clock.now().toISOString());
    expect(res.body.deadlinesRescheduled).to.be.at.least(1);

    expect(await deadline(id)).to.deep.include({ nextSlot: 'before-30', nextReminderAt: jakarta(addDays(due, -30), '10:00').toISOString() });
    // The new "30 days before" is already past for a deadline due in 20 days: it counts as given
    // rather than going out at once to every open deadline; its next is "10 days before".
    expect(await deadline(near.id)).to.deep.include({ nextSlot: 'before-10', nextReminderAt: jakarta(addDays(near.due, -10), '10:00').toISOString() });
    // A deadline opened after the change is timed by it too.
    const later = await deadlineIn(35);
    expect(await deadline(later.id)).to.deep.include({ nextSlot: 'before-30', nextReminderAt: jakarta(addDays(later.due, -30), '10:00').toISOString() });

    const s = await settings();
    expect(s).to.deep.include({ schedule: stored, isDefault: false });
    expect(s.changes).to.have.length(1);
    expect(s.changes[0]).to.deep.include({ before: SHIPPED, after: stored, by: { name: 'Ayu Administrator', email: adminEmail } });
    const list = await request(t.app).get('/api/reminders').set(bearer(admin));
    expect(list.body.schedule).to.deep.equal(stored);
  });

  it('when the defaults are put back, then open deadlines return to the shipped ladder and both changes are listed, newest first', async () => {
    const { id, due } = await deadlineIn(40);
    const res = await put(admin, SHIPPED);
    expect(res.status).to.equal(200);
    expect(res.body.after).to.deep.equal(SHIPPED);
    expect(await deadline(id)).to.deep.include({ nextSlot: 'before-14', nextReminderAt: jakarta(addDays(due, -14), '10:00').toISOString() });
    const s = await settings();
    expect(s.isDefault).to.equal(true);
    expect(s.changes.map((c: any) => c.after)).to.deep.equal([SHIPPED, { ...SHIPPED, daysBefore: [30, 10, 3], sendAtLocalTime: '13:30', overdueMaxReminders: 3, escalateFromOverdueReminder: 3 }]);
    // Saving what is in force changes and records nothing.
    const again = await put(admin, SHIPPED);
    expect(again.body.changed).to.deep.equal([]);
    expect((await settings()).changes).to.have.length(2);
  });
});

describe('reminders: a changed schedule at sweep time', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let t: TestApp;
  const clock = new ManualClock();

  before(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ label: 'rem-setting-sweep', clock, env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), TOKEN_TTL_MINUTES: '43200' } });
  });
  after(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('when the time of day is moved from 08:00 to 13:30, then the on-the-day reminder goes out at 13:30 and not at 08:00, and one already delivered is not sent again', async () => {
    const admin = (await loginAs(t, 'admin', { unit: 'PWNI' })).token;
    const drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
    const agreement = await createAgreementVia(t, drafter);
    // Due in 2.5 days at 17:00 WIB: the "3 days before" reminder is due at once.
    const due = addDays(jakartaDate(new Date(clock.now().getTime() + 3 * DAY)), 0);
    clock.set(new Date(jakarta(due, '17:00').getTime() - 2.5 * DAY));
    const res = await request(t.app).post(`/api/agreements/${agreement.id}/deadlines`).set(bearer(drafter)).send({ kind: 'custom', dueAt: jakarta(due, '17:00').toISOString(), note: 'Laporan', recipients: ['jadwal@pwni.test'] });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    await sweepReminders(t.ctx, { wait: true });
    expect(smtp.to('jadwal@pwni.test').map((m) => m.subject)).to.have.length(1);

    const set = await request(t.app).put('/api/reminders/schedule').set(bearer(admin)).send({ ...SHIPPED, daysBefore: [3], sendAtLocalTime: '13:30' });
    expect(set.status, JSON.stringify(set.body)).to.equal(200);
    // The "3 days before" reminder keeps its name under the new schedule: it was given, it is not given again.
    await sweepReminders(t.ctx, { wait: true });
    expect(smtp.to('jadwal@pwni.test')).to.have.length(1);

    clock.set(jakarta(due, '08:30'));
    await sweepReminders(t.ctx, { wait: true });
    expect(smtp.to('jadwal@pwni.test'), 'nothing at the old 08:00').to.have.length(1);

    clock.set(jakarta(due, '13:31'));
    await sweepReminders(t.ctx, { wait: true });
    const mails = smtp.to('jadwal@pwni.test');
    expect(mails).to.have.length(2);
    expect(mails[1].subject).to.contain('hari ini').and.contain('today');
  });

  it('when the schedule has been changed, then a stage change opens its deadline on the new schedule (read with the agreement, in its transaction)', async () => {
    const admin = (await loginAs(t, 'admin', { unit: 'PWNI' })).token;
    const drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
    const set = await request(t.app).put('/api/reminders/schedule').set(bearer(admin)).send({ ...SHIPPED, daysBefore: [5], onTheDay: false });
    expect(set.status, JSON.stringify(set.body)).to.equal(200);
    const agreement = await createAgreementVia(t, drafter);
    const moved = await request(t.app).post(`/api/agreements/${agreement.id}/transitions`).set(bearer(drafter)).send({ to: 'interagency_consultation' });
    expect(moved.status, JSON.stringify(moved.body)).to.equal(200);
    const items = (await request(t.app).get(`/api/agreements/${agreement.id}/deadlines`).set(bearer(drafter))).body.items as any[];
    const stageDue = items.find((d) => d.kind === 'stage_due' && d.stage === 'interagency_consultation' && d.status === 'open');
    expect(stageDue, JSON.stringify(items)).to.be.an('object');
    // the shipped ladder would say "14 days before"; the administrator's has only "5 days before"
    expect(stageDue).to.deep.include({ nextSlot: 'before-5', nextReminderAt: new Date(new Date(stageDue.dueAt).getTime() - 5 * DAY).toISOString() });
  });
});

/**
 * A schedule change used to move every open deadline in the transaction that saved it: at the
 * directorate's scale that outlives MongoDB's transaction time limit, and a stage change that read
 * the schedule just before it changed opened its deadline on the old schedule for good. Each
 * deadline now records the schedule version it was planned with, and nothing is sent from one
 * that is behind.
 */
describe('reminders: a schedule change reaches every open deadline, however many and whenever they were opened', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let t: TestApp;
  const clock = new ManualClock();
  let admin: string;
  let adminActor: Actor;
  let drafter: string;

  before(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({ label: 'rem-setting-scale', clock, env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), TOKEN_TTL_MINUTES: '43200' } });
    const a = await loginAs(t, 'admin', { unit: 'PWNI', name: 'Ayu Administrator' });
    admin = a.token;
    adminActor = { id: a.user.id, email: a.user.email, name: a.user.name, role: 'admin', unit: 'PWNI' };
    drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
  });
  after(async () => {
    await t?.close();
    await smtp?.close();
  });

  const put = (body: unknown) => request(t.app).put('/api/reminders/schedule').set(bearer(admin)).send(body as object);
  const deadlinesOf = async (agreementId: string) => (await request(t.app).get(`/api/agreements/${agreementId}/deadlines`).set(bearer(drafter))).body.items as any[];

  it('when the schedule changes over more open deadlines than one batch, then every one of them follows it and the answer counts them all', async () => {
    await put(SHIPPED);
    const agreement = await createAgreementVia(t, drafter);
    const due = addDays(jakartaDate(clock.now()), 40);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await request(t.app).post(`/api/agreements/${agreement.id}/deadlines`).set(bearer(drafter)).send({ kind: 'custom', dueAt: jakarta(due, '10:00').toISOString(), note: `Batch ${i}`, recipients: ['batch@pwni.test'] });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      ids.push(res.body.id);
    }
    const change = await setReminderSchedule(t.ctx, adminActor, { ...SHIPPED, daysBefore: [21] }, { batchSize: 2 });
    expect(change.changed).to.deep.equal(['daysBefore']);
    expect(change.deadlinesRescheduled).to.be.at.least(5);
    const mine = (await deadlinesOf(agreement.id)).filter((d) => ids.includes(d.id));
    expect(mine.map((d) => [d.nextSlot, d.nextReminderAt])).to.deep.equal(ids.map(() => ['before-21', jakarta(addDays(due, -21), '10:00').toISOString()]));
  });

  it('when a schedule change stops after its first batch (the process died), then the change stands and the next sweep moves the rest before it sends anything', async () => {
    await put(SHIPPED);
    const agreement = await createAgreementVia(t, drafter);
    const due = addDays(jakartaDate(clock.now()), 40);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await request(t.app).post(`/api/agreements/${agreement.id}/deadlines`).set(bearer(drafter)).send({ kind: 'custom', dueAt: jakarta(due, '10:00').toISOString(), note: `Putus ${i}`, recipients: ['putus@pwni.test'] });
      ids.push(res.body.id);
    }
    const open = await t.ctx.models.Deadline.collection.countDocuments({ status: 'open', paused: { $ne: true } });
    let batches = 0;
    const died = new Error('the process died here');
    const stopped = await setReminderSchedule(t.ctx, adminActor, { ...SHIPPED, daysBefore: [10] }, {
      batchSize: 2,
      onBatch: async () => {
        if (++batches === 1) throw died;
      },
    }).catch((e: unknown) => e);
    expect(stopped).to.equal(died);
    const settings = (await request(t.app).get('/api/reminders/schedule').set(bearer(admin))).body;
    expect(settings.schedule.daysBefore).to.deep.equal([10]);
    expect(settings.changes[0].deadlinesRescheduled).to.equal(2);
    const onOld = (await deadlinesOf(agreement.id)).filter((d) => ids.includes(d.id) && d.nextSlot === 'before-14');
    expect(onOld.length, 'the deadlines the first batch did not reach').to.be.at.least(3);

    const swept = await sweepReminders(t.ctx, { wait: true });
    expect(swept.remindersRecorded).to.equal(0);
    const mine = (await deadlinesOf(agreement.id)).filter((d) => ids.includes(d.id));
    expect(mine.map((d) => [d.nextSlot, d.nextReminderAt])).to.deep.equal(ids.map(() => ['before-10', jakarta(addDays(due, -10), '10:00').toISOString()]));
    const after = (await request(t.app).get('/api/reminders/schedule').set(bearer(admin))).body;
    expect(after.changes[0].deadlinesRescheduled, 'the first batch and the sweep’s, together').to.equal(open);
  });

  it('when a stage change opens its deadline on the schedule it read just before an admin changed it, then the deadline moves onto the new schedule before any reminder and nothing goes out at the old times', async () => {
    await put(SHIPPED);
    const agreement = await createAgreementVia(t, drafter);
    const record = await t.ctx.models.Agreement.findById(agreement.id).lean();
    const due = addDays(jakartaDate(clock.now()), 20);
    // What the stage change read in its transaction: the schedule before the change.
    const readBefore = await loadReminderPolicy(t.ctx);
    const set = await put({ ...SHIPPED, daysBefore: [18, 5] });
    expect(set.status, JSON.stringify(set.body)).to.equal(200);
    // ...and what it commits after the change: its deadline, timed by the old ladder.
    const opened = await openDeadline(
      t.ctx,
      record!,
      { kind: 'custom', dueAt: jakarta(due, '10:00'), timezone: 'Asia/Jakarta', recipients: [{ email: 'balapan@pwni.test' }], note: 'Balapan', source: 'auto' },
      SYSTEM_ACTOR,
      await loadBusinessCalendar(t.ctx),
      { policy: readBefore },
    );
    expect(opened.nextSlot).to.equal('before-14');

    // The next sweep, before it sends anything, puts the deadline on the new ladder: "18 days before" is still to come.
    clock.set(new Date(clock.now().getTime() + 5 * 60_000));
    await sweepReminders(t.ctx, { wait: true });
    expect(smtp.to('balapan@pwni.test')).to.have.length(0);
    const mine = (await deadlinesOf(agreement.id)).find((d) => d.id === String(opened._id));
    expect(mine).to.deep.include({ nextSlot: 'before-18', nextReminderAt: jakarta(addDays(due, -18), '10:00').toISOString() });

    const sentBy = async (at: Date) => {
      clock.set(at);
      await sweepReminders(t.ctx, { wait: true });
      return smtp.to('balapan@pwni.test').length;
    };
    expect(await sentBy(jakarta(addDays(due, -18), '10:05')), '18 days before, on time').to.equal(1);
    expect(await sentBy(jakarta(addDays(due, -14), '10:05')), 'nothing at the old schedule’s 14 days before').to.equal(1);
    expect(await sentBy(jakarta(addDays(due, -7), '10:05')), 'nor at its 7 days before').to.equal(1);
    expect(await sentBy(jakarta(addDays(due, -5), '10:05')), '5 days before').to.equal(2);
    const deliveries = await t.ctx.models.ReminderDelivery.find({ deadlineId: opened._id }).sort({ createdAt: 1 }).lean();
    expect(deliveries.map((d) => d.slot)).to.deep.equal(['before-18', 'before-5']);
  });

  it('when a deadline on an older schedule turns up after the change was carried out, then the sweep plans it again itself before sending, and rungs the new schedule puts before now count as given', async () => {
    await put(SHIPPED);
    const agreement = await createAgreementVia(t, drafter);
    const record = await t.ctx.models.Agreement.findById(agreement.id).lean();
    const due = addDays(jakartaDate(clock.now()), 20);
    const readBefore = await loadReminderPolicy(t.ctx);
    const set = await put({ ...SHIPPED, daysBefore: [18, 4] });
    expect(set.status, JSON.stringify(set.body)).to.equal(200);
    // A sweep well after the change finds nothing behind and records the change as carried out.
    clock.set(new Date(clock.now().getTime() + 10 * 60_000));
    await sweepReminders(t.ctx, { wait: true });
    const opened = await openDeadline(
      t.ctx,
      record!,
      { kind: 'custom', dueAt: jakarta(due, '10:00'), timezone: 'Asia/Jakarta', recipients: [{ email: 'terlambat@pwni.test' }], note: 'Terlambat', source: 'auto' },
      SYSTEM_ACTOR,
      await loadBusinessCalendar(t.ctx),
      { policy: readBefore },
    );
    expect(opened.nextSlot).to.equal('before-14');

    clock.set(jakarta(addDays(due, -14), '10:05'));
    await sweepReminders(t.ctx, { wait: true });
    // Nothing at the old "14 days before"; "18 days before" was past when the deadline was found:
    // given, not sent days late in its place. Next is "4 days before".
    expect(smtp.to('terlambat@pwni.test')).to.have.length(0);
    const mine = (await deadlinesOf(agreement.id)).find((d) => d.id === String(opened._id));
    expect(mine).to.deep.include({ nextSlot: 'before-4', nextReminderAt: jakarta(addDays(due, -4), '10:00').toISOString() });

    clock.set(jakarta(addDays(due, -4), '10:05'));
    await sweepReminders(t.ctx, { wait: true });
    expect(smtp.to('terlambat@pwni.test')).to.have.length(1);
    const deliveries = await t.ctx.models.ReminderDelivery.find({ deadlineId: opened._id }).lean();
    expect(deliveries.map((d) => d.slot)).to.deep.equal(['before-4']);
  });
});
