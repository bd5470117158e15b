import { expect } from 'chai';
import request from 'supertest';
import { ManualClock } from '../../lib/clock.js';
import { sweepReminders } from '../../domain/reminders/sweep-reminders.js';
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
