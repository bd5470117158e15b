import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { ManualClock } from '../../lib/clock.js';
import { sweepReminders } from '../../domain/reminders/sweep-reminders.js';
import { recordDueReminders } from '../../domain/reminders/record-due-reminders.js';
import { loadBusinessCalendar } from '../../domain/deadlines/business-calendar.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { testDatabase, type TestDatabase } from '../support/db.js';
import { loginAs, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';
import { DAY, HOUR, startSmtpServer, startWebhookReceiver } from '../support/reminders.js';

const SECRET = 'webhook-secret-0123456789';

describe('reminders: delivery never lost, never sent twice', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const apps: TestApp[] = [];

  before(async () => {
    smtp = await startSmtpServer();
    hooks = await startWebhookReceiver();
  });
  after(async () => {
    for (const a of apps) await a.close();
    await smtp?.close();
    await hooks?.close();
  });

  async function app(label: string, clock: ManualClock, extra: Record<string, string> = {}, database?: TestDatabase): Promise<TestApp> {
    const t = await createTestApp({
      label,
      clock,
      database,
      env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), TOKEN_TTL_MINUTES: '43200', ...extra },
    });
    apps.push(t);
    return t;
  }

  /** What the app writes to its log from now on, as { level, msg, fields }. */
  function captureLog(t: TestApp) {
    const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
    const logger = t.ctx.logger as unknown as Record<string, (msg: string, fields?: Record<string, unknown>) => void>;
    for (const level of ['error', 'warn', 'info', 'debug']) logger[level] = (msg, fields) => lines.push({ level, msg, fields });
    return lines;
  }

  /** An agreement and one deadline due in 3 days for `recipients`, so one reminder (before-3) is due at once. */
  async function deadlineDueSoon(t: TestApp, user: TestUser | undefined, recipients: string[]) {
    const { token } = await loginAs(t, 'drafter', user ? { user } : { unit: 'PWNI' });
    const agreement = await createAgreementVia(t, token);
    const dueAt = new Date(t.ctx.clock.now().getTime() + 3 * DAY).toISOString();
    const res = await request(t.app).post(`/api/agreements/${agreement.id}/deadlines`).set(bearer(token)).send({ kind: 'custom', dueAt, recipients });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return { agreementId: agreement.id as string, deadlineId: res.body.id as string, token };
  }

  it('when two service instances sweep the same database at once, then each reminder is delivered exactly once', async () => {
    const clock = new ManualClock();
    const database = await testDatabase('rem-two');
    const a = await app('rem-two', clock, {}, database);
    const b = await app('rem-two', clock, {}, database);
    const recipients = Array.from({ length: 20 }, (_, i) => `two.${i}@pwni.test`);
    for (let i = 0; i < 5; i++) await deadlineDueSoon(a, undefined, recipients.slice(i * 4, i * 4 + 4));
    const [ra, rb] = await Promise.all([sweepReminders(a.ctx, { wait: true }), sweepReminders(b.ctx, { wait: true })]);
    expect(ra.sent + rb.sent).to.equal(20);
    for (const r of recipients) expect(smtp.to(r), r).to.have.length(1);
  });

  it('when two instances sweep at once without the lease, then the unique keys and claims alone still deliver each reminder once', async () => {
    const clock = new ManualClock();
    const database = await testDatabase('rem-nolease');
    const a = await app('rem-nolease', clock, {}, database);
    const b = await app('rem-nolease', clock, {}, database);
    const recipients = Array.from({ length: 12 }, (_, i) => `nolease.${i}@pwni.test`);
    for (let i = 0; i < 6; i++) await deadlineDueSoon(a, undefined, recipients.slice(i * 2, i * 2 + 2));
    await Promise.all([sweepReminders(a.ctx, { skipLease: true, batchSize: 2 }), sweepReminders(b.ctx, { skipLease: true, batchSize: 2 })]);
    await Promise.all([sweepReminders(a.ctx, { skipLease: true }), sweepReminders(b.ctx, { skipLease: true })]);
    for (const r of recipients) expect(smtp.to(r), r).to.have.length(1);
    const rows = await a.ctx.models.ReminderDelivery.find({}).lean();
    expect(rows).to.have.length(12);
    expect(rows.every((d) => d.status === 'sent' && d.attempts === 1)).to.equal(true);
  });

  it('when an instance crashes after recording a reminder and before sending it, then another instance sends it later, once', async () => {
    const clock = new ManualClock();
    const database = await testDatabase('rem-crash');
    const a = await app('rem-crash', clock, {}, database);
    await deadlineDueSoon(a, undefined, ['crash@pwni.test']);
    // Instance A records (phase 1) and dies before phase 2.
    const recorded = await recordDueReminders(a.ctx, { now: clock.now(), calendar: await loadBusinessCalendar(a.ctx) });
    expect(recorded.deliveriesCreated).to.equal(1);
    const pending = await a.ctx.models.ReminderDelivery.findOne({ recipient: 'crash@pwni.test' }).lean();
    expect(pending).to.include({ status: 'pending', attempts: 0 });
    expect(smtp.to('crash@pwni.test')).to.have.length(0);
    // A second crash, this time mid-send: the row is claimed ('sending') and never finished.
    await a.ctx.models.ReminderDelivery.updateOne({ _id: pending!._id }, { $set: { status: 'sending', claimedBy: 'dead-instance', nextAttemptAt: new Date(clock.now().getTime() + 120_000) }, $inc: { attempts: 1 } });
    const b = await app('rem-crash', clock, {}, database);
    const early = await sweepReminders(b.ctx, { wait: true });
    expect(early.sent, 'the claim of the dead instance has not expired yet').to.equal(0);
    clock.advance(3 * 60_000);
    const later = await sweepReminders(b.ctx, { wait: true });
    expect(later.sent).to.equal(1);
    expect(later.remindersRecorded, 'the deadline is not recorded a second time').to.equal(0);
    await sweepReminders(b.ctx, { wait: true });
    expect(smtp.to('crash@pwni.test')).to.have.length(1);
    const row = await b.ctx.models.ReminderDelivery.findOne({ recipient: 'crash@pwni.test' }).lean();
    expect(row).to.include({ status: 'sent', attempts: 2 });
  });

  it('when the SMTP server refuses twice and then accepts, then the delivery is retried with backoff and marked sent only after acceptance', async () => {
    const clock = new ManualClock();
    const t = await app('rem-smtp', clock);
    const { user } = await loginAs(t, 'admin', { unit: 'PWNI' });
    await deadlineDueSoon(t, undefined, ['refused@pwni.test']);
    smtp.refuseNext(2, 451);
    const first = await sweepReminders(t.ctx);
    expect(first).to.include({ sent: 0, retrying: 1 });
    const token = (await loginAs(t, 'admin', { user })).token;
    let list = await request(t.app).get('/api/reminders').query({ status: 'pending' }).set(bearer(token));
    const row = list.body.items.find((d: any) => d.recipient === 'refused@pwni.test');
    expect(row).to.include({ status: 'pending', attempts: 1 });
    expect(row.attemptLog[0]).to.include({ ok: false, code: 451, transport: 'smtp' });
    expect(new Date(row.nextAttemptAt).getTime() - clock.now().getTime()).to.equal(60_000);
    // Before the backoff has passed nothing is retried.
    expect((await sweepReminders(t.ctx)).attempted).to.equal(0);
    clock.advance(60_000);
    expect(await sweepReminders(t.ctx)).to.include({ sent: 0, retrying: 1 });
    clock.advance(120_000);
    expect(await sweepReminders(t.ctx)).to.include({ sent: 1 });
    expect(smtp.to('refused@pwni.test')).to.have.length(1);
    list = await request(t.app).get('/api/reminders').query({ status: 'sent' }).set(bearer(token));
    const sent = list.body.items.find((d: any) => d.recipient === 'refused@pwni.test');
    expect(sent.attempts).to.equal(3);
    expect(sent.attemptLog.map((a: any) => a.ok)).to.deep.equal([false, false, true]);
  });

  it('when every attempt is refused, then after the last one the delivery is failed and listed for admins', async () => {
    const clock = new ManualClock();
    const t = await app('rem-fail', clock);
    const { user } = await loginAs(t, 'admin', { unit: 'PWNI' });
    await deadlineDueSoon(t, undefined, ['nobody@pwni.test']);
    smtp.refuseNext(5, 550);
    for (let i = 0; i < 5; i++) {
      await sweepReminders(t.ctx);
      clock.advance(HOUR);
    }
    smtp.refuseNext(0);
    expect((await sweepReminders(t.ctx)).attempted, 'nothing left to try').to.equal(0);
    const token = (await loginAs(t, 'admin', { user })).token;
    const list = await request(t.app).get('/api/reminders').query({ status: 'failed' }).set(bearer(token));
    expect(list.body.items).to.have.length(1);
    expect(list.body.items[0]).to.include({ recipient: 'nobody@pwni.test', status: 'failed', attempts: 5, maxAttempts: 5 });
    expect(list.body.items[0].lastError).to.match(/busy/i);
    expect(smtp.to('nobody@pwni.test')).to.have.length(0);
  });

  it('when the webhook answers 500, then 503, then 200, then it is retried with backoff, each attempt is logged, and the payload is signed', async () => {
    const clock = new ManualClock();
    const receiver = await startWebhookReceiver([500, 503]);
    try {
      const t = await app('rem-hook', clock, { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET });
      await deadlineDueSoon(t, undefined, ['hooked@pwni.test']);
      expect(await sweepReminders(t.ctx)).to.include({ sent: 1, retrying: 1 }); // e-mail sent, webhook 500
      clock.advance(60_000);
      expect(await sweepReminders(t.ctx)).to.include({ sent: 0, retrying: 1 }); // 503
      clock.advance(120_000);
      expect(await sweepReminders(t.ctx)).to.include({ sent: 1 }); // 200
      expect(await sweepReminders(t.ctx)).to.include({ attempted: 0 });
      expect(receiver.received.map((r) => r.status)).to.deep.equal([500, 503, 200]);
      const ids = new Set(receiver.received.map((r) => r.headers['x-delivery-id']));
      expect(ids.size, 'the same delivery id on every attempt').to.equal(1);
      for (const r of receiver.received) {
        const expected = 'sha256=' + crypto.createHmac('sha256', SECRET).update(r.body).digest('hex');
        expect(r.headers['x-signature-sha256']).to.equal(expected);
      }
      const body = JSON.parse(receiver.received[2].body);
      expect(body).to.deep.include({ event: 'deadline.reminder', slot: 'before-3' });
      expect(body.deadline.recipients).to.deep.equal(['hooked@pwni.test']);
      const row = await t.ctx.models.ReminderDelivery.findOne({ channel: 'webhook' }).lean();
      expect(row!.attemptLog.map((a) => a.code)).to.deep.equal([500, 503, 200]);
    } finally {
      await receiver.close();
    }
  });

  it('when no SMTP server is configured, then reminders are logged, not called sent, and listed in-app for the recipient', async () => {
    const clock = new ManualClock();
    const t = await createTestApp({ label: 'rem-nosmtp', clock, env: { TOKEN_TTL_MINUTES: '43200' } });
    apps.push(t);
    const { user, token } = await loginAs(t, 'diplomat', { unit: 'PWNI' });
    await deadlineDueSoon(t, undefined, [user.email]);
    const result = await sweepReminders(t.ctx);
    expect(result).to.include({ attempted: 1, sent: 0, logged: 1, retrying: 0, failed: 0 });
    const row = await t.ctx.models.ReminderDelivery.findOne({ recipient: user.email }).lean();
    expect(row).to.include({ status: 'logged', nextAttemptAt: null, attempts: 1 });
    expect(row!.sentAt ?? null, 'nothing was sent').to.equal(null);
    expect(row!.attemptLog[0].transport).to.equal('log');
    expect(await sweepReminders(t.ctx), 'a logged reminder is not tried again').to.include({ attempted: 0 });
    // An admin sees why: e-mail is not live in this instance.
    expect((await request(t.app).get('/readyz')).body.reminders).to.deep.equal({ email: 'log', webhook: false, inApp: true, sweepScheduled: false });
    const admin = await loginAs(t, 'admin');
    const view = await request(t.app).get('/api/reminders').set(bearer(admin.token));
    expect(view.body.channels.email).to.deep.include({ live: false, transport: 'log' });
    expect(view.body.channels.email.note.en).to.match(/SMTP_HOST is not set/);
    expect(view.body.items.map((d: any) => [d.recipient, d.status])).to.deep.equal([[user.email, 'logged']]);
    const inbox = await request(t.app).get('/api/me/notifications').set(bearer(token));
    expect(inbox.body.unread).to.equal(1);
    expect(inbox.body.items[0].agreement.code).to.be.a('string').and.not.equal('');
    expect(inbox.body.items[0].agreement.title).to.have.keys(['id', 'en']);
    expect(inbox.body.items[0].subject).to.match(/^\[Pengingat\] .*: .* 3 hari lagi \/ \[Reminder\] .* is due in 3 days$/);
    const read = await request(t.app).post(`/api/me/notifications/${inbox.body.items[0].id}/read`).set(bearer(token));
    expect(read.body.readAt).to.equal(clock.now().toISOString());
    const after = await request(t.app).get('/api/me/notifications').query({ unread: true }).set(bearer(token));
    expect(after.body).to.include({ unread: 0, total: 0 });
  });

  it('when no SMTP server is configured, then the log says each reminder was logged, and says "failed, will retry" only of a delivery a server refused', async () => {
    const clock = new ManualClock();
    const quiet = await createTestApp({ label: 'rem-log-only', clock, env: { TOKEN_TTL_MINUTES: '43200' } });
    apps.push(quiet);
    const quietLog = captureLog(quiet);
    await deadlineDueSoon(quiet, undefined, ['logged.only@pwni.test']);
    expect(await sweepReminders(quiet.ctx)).to.include({ logged: 1, retrying: 0, failed: 0 });
    const about = (lines: typeof quietLog, email: string) => lines.filter((l) => l.fields?.recipient === email).map((l) => `${l.level}: ${l.msg}`);
    expect(about(quietLog, 'logged.only@pwni.test')).to.deep.equal(['info: reminder logged, not sent: no mail server is configured']);
    expect(quietLog.map((l) => l.msg).filter((m) => /fail/.test(m))).to.deep.equal([]);

    // a real refusal is still logged as one
    const refusing = await app('rem-log-refused', clock);
    const refusedLog = captureLog(refusing);
    await deadlineDueSoon(refusing, undefined, ['refused.log@pwni.test']);
    smtp.refuseNext(1, 451);
    expect(await sweepReminders(refusing.ctx)).to.include({ retrying: 1 });
    expect(about(refusedLog, 'refused.log@pwni.test')).to.deep.equal(['warn: reminder delivery failed, will retry']);
  });
});
