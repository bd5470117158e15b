import { expect } from 'chai';
import request from 'supertest';
import { ManualClock } from '../../lib/clock.js';
import { sweepReminders } from '../../domain/reminders/sweep-reminders.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';
import { SHIPPED_CALENDAR } from '../../workflows/business-days.js';
import { addDays, jakarta, jakartaDate, quietDay, startSmtpServer, ukSpringForward, type ReceivedMail } from '../support/reminders.js';

const MONTHS_ID = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

describe('reminders: the ladder, overdue repeats, escalation, time zones', () => {
  // Starts at the real time, then only moves forward (see test/support/reminders.ts).
  const clock = new ManualClock();
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let t: TestApp;
  let drafterUser: TestUser;
  let adminUser: TestUser;
  // Tokens expire on the injected clock: log in again after moving it far.
  const drafter = async () => (await loginAs(t, 'drafter', { user: drafterUser })).token;
  const admin = async () => (await loginAs(t, 'admin', { user: adminUser })).token;
  let agreementId: string;
  let seen = 0;

  /** Moves the clock, runs one sweep, returns the mails it produced. */
  async function sweepAt(at: Date | string): Promise<ReceivedMail[]> {
    if (new Date(at).getTime() < clock.now().getTime()) throw new Error(`the test clock only moves forward (${new Date(at).toISOString()})`);
    clock.set(at);
    await sweepReminders(t.ctx);
    const fresh = smtp.received.slice(seen);
    seen = smtp.received.length;
    return fresh;
  }

  async function createDeadline(body: Record<string, unknown>) {
    const res = await request(t.app).post(`/api/agreements/${agreementId}/deadlines`).set(bearer(await drafter())).send(body);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res.body;
  }

  before(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp({
      label: 'rem-ladder',
      clock,
      env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), TOKEN_TTL_MINUTES: '43200', PUBLIC_URL: 'https://tracker.example.go.id' },
    });
    drafterUser = (await loginAs(t, 'drafter', { unit: 'PWNI' })).user;
    adminUser = (await loginAs(t, 'admin', { unit: 'PWNI' })).user;
    agreementId = (await createAgreementVia(t, await drafter(), { code: 'MOU-MY-2026-01' })).id;
  });
  after(async () => {
    await t?.close();
    await smtp?.close();
  });

  // A Tuesday at least 16 days ahead with no holiday from two weeks before to two weeks after.
  let due: string;

  it('when the clock walks through a deadline, then each rung of the ladder is e-mailed once, at its time, and overdue reminders stop after five', async () => {
    due = quietDay(clock.now(), 2, { minDaysAhead: 16, before: 15, after: 15, closed: SHIPPED_CALENDAR.closed });
    await createDeadline({ kind: 'custom', note: 'Kirim draf balasan', dueAt: jakarta(due, '10:00').toISOString(), timezone: 'Asia/Jakarta', recipients: ['desk.officer@pwni.test'] });
    // The subjects, in full: the note is what is due; days are calendar days in Jakarta.
    const reminder = (id: string, en: string) => `[Pengingat] MOU-MY-2026-01: ${id} / [Reminder] ${en}`;
    const late = (n: number) => `[Terlambat] MOU-MY-2026-01: “Kirim draf balasan” sudah lewat tenggat ${n} hari / [Overdue] “Kirim draf balasan” is ${n} day${n === 1 ? '' : 's'} overdue`;
    const ladder: Array<[Date, string]> = [
      [jakarta(addDays(due, -14), '10:00'), reminder('Tenggat “Kirim draf balasan” 14 hari lagi', '“Kirim draf balasan” is due in 14 days')],
      [jakarta(addDays(due, -7), '10:00'), reminder('Tenggat “Kirim draf balasan” 7 hari lagi', '“Kirim draf balasan” is due in 7 days')],
      [jakarta(addDays(due, -3), '10:00'), reminder('Tenggat “Kirim draf balasan” 3 hari lagi', '“Kirim draf balasan” is due in 3 days')],
      [jakarta(addDays(due, -1), '10:00'), reminder('Tenggat “Kirim draf balasan” besok', '“Kirim draf balasan” is due tomorrow')],
      [jakarta(due, '08:00'), reminder('Tenggat “Kirim draf balasan” hari ini', '“Kirim draf balasan” is due today')],
      [jakarta(addDays(due, 1), '08:00'), late(1)], // Wed: the next working day
      [jakarta(addDays(due, 3), '08:00'), late(3)], // Fri: two working days later
      [jakarta(addDays(due, 7), '08:00'), late(7)], // Tue: the weekend does not count
      [jakarta(addDays(due, 9), '08:00'), late(9)], // Thu
      [jakarta(addDays(due, 13), '08:00'), late(13)], // Mon: the fifth and last
    ];
    for (const [at, subject] of ladder) {
      const early = await sweepAt(new Date(at.getTime() - 60_000));
      expect(early.filter((m) => m.to.includes('desk.officer@pwni.test')), `nothing a minute before ${at.toISOString()}`).to.have.length(0);
      const got = (await sweepAt(at)).filter((m) => m.to.includes('desk.officer@pwni.test'));
      expect(got, `one mail at ${at.toISOString()}`).to.have.length(1);
      expect(got[0].subject).to.equal(subject);
      expect(await sweepAt(at), `a second sweep at ${at.toISOString()} sends nothing`).to.have.length(0);
    }
    // The cap: a month later, nothing more.
    expect((await sweepAt(jakarta(addDays(due, 45), '08:00'))).filter((m) => m.to.includes('desk.officer@pwni.test'))).to.have.length(0);
    expect(smtp.to('desk.officer@pwni.test')).to.have.length(10);
  });

  it('when SMTP is configured, then /readyz and the admins’ reminders view say e-mail is live', async () => {
    expect((await request(t.app).get('/readyz')).body.reminders).to.include({ email: 'smtp', inApp: true });
    const view = await request(t.app).get('/api/reminders').set(bearer(await admin()));
    expect(view.body.channels.email).to.deep.include({ live: true, transport: 'smtp' });
    expect(view.body.channels.webhook.live).to.equal(false);
  });

  it('when a reminder is e-mailed, then it is bilingual with code, title, stage, due time, link, and a valid .ics with a stable UID', async () => {
    const mail = smtp.to('desk.officer@pwni.test')[0];
    const [y, m, d] = due.split('-').map(Number);
    const dueId = `Selasa, ${d} ${MONTHS_ID[m - 1]} ${y} pukul 10.00 WIB`;
    const dueEn = `Tuesday ${d} ${MONTHS_EN[m - 1]} ${y}, 10:00 WIB`;
    const link = `https://tracker.example.go.id/#/agreements/${agreementId}`;
    expect(mail.text.split('\n')).to.deep.equal([
      'Yth. Bapak/Ibu,',
      '',
      `Tenggat “Kirim draf balasan” 14 hari lagi (${d} ${MONTHS_ID[m - 1]} ${y}).`,
      '',
      'Perjanjian: MOU-MY-2026-01 — Nota Kesepahaman Uji',
      'Tahap saat ini: Penyusunan draf',
      `Tenggat: ${dueId}`,
      '',
      'Mohon ditindaklanjuti sebelum tenggat.',
      '',
      `Buka di pelacak: ${link}`,
      '',
      'Pesan ini dikirim otomatis oleh Pelacak Perjanjian Direktorat PWNI.',
      '',
      '---',
      '',
      'Dear Sir or Madam,',
      '',
      `“Kirim draf balasan” is due in 14 days (${d} ${MONTHS_EN[m - 1]} ${y}).`,
      '',
      'Agreement: MOU-MY-2026-01 — Test Memorandum of Understanding',
      'Current stage: Drafting',
      `Due: ${dueEn}`,
      '',
      'Please follow this up before the deadline.',
      '',
      `Open in the tracker: ${link}`,
      '',
      'This message was sent automatically by the PWNI Agreement Tracker.',
      '',
      '(before-14)',
    ]);
    expect(mail.ics).to.match(/^BEGIN:VCALENDAR\r\n/);
    expect(mail.ics).to.contain(`DTSTART:${due.replace(/-/g, '')}T030000Z`);
    const uid = /UID:(.+)\r\n/.exec(mail.ics!)![1];
    const later = smtp.to('desk.officer@pwni.test')[5];
    expect(/UID:(.+)\r\n/.exec(later.ics!)![1]).to.equal(uid);
  });

  it('when overdue work reaches the second overdue reminder, then the head of the lead unit receives it too, marked as an escalation', async () => {
    const put = await request(t.app).put('/api/reminders/escalation/PWNI').set(bearer(await admin())).send({ emails: ['direktur.pwni@pwni.test'] });
    expect(put.body).to.deep.include({ unit: 'PWNI', emails: ['direktur.pwni@pwni.test'] });
    // A quiet Wednesday; the deadline (10:00 WIB) is recorded that evening: every rung before it has passed unsent.
    const wed = quietDay(clock.now(), 3, { minDaysAhead: 1, before: 0, after: 8, closed: SHIPPED_CALENDAR.closed });
    clock.set(jakarta(wed, '19:00'));
    await createDeadline({ kind: 'ratification_due', dueAt: jakarta(wed, '10:00').toISOString(), recipients: ['drafter.x@pwni.test'] });
    const ours = (mails: ReceivedMail[]) => mails.filter((m) => ['drafter.x@pwni.test', 'direktur.pwni@pwni.test'].includes(m.to[0]));
    const first = ours(await sweepAt(jakarta(addDays(wed, 1), '08:00'))); // overdue-1 is now the latest due rung: only it is sent
    expect(first.map((m) => m.to[0])).to.deep.equal(['drafter.x@pwni.test']);
    expect(first[0].subject).to.equal('[Terlambat] MOU-MY-2026-01: Pengesahan (ratifikasi) sudah lewat tenggat 1 hari / [Overdue] Ratification is 1 day overdue');
    const second = ours(await sweepAt(jakarta(addDays(wed, 5), '08:00'))); // overdue-2: three working days after Wednesday → Monday
    expect(second.map((m) => m.to[0]).sort()).to.deep.equal(['direktur.pwni@pwni.test', 'drafter.x@pwni.test']);
    const escalation = second.find((m) => m.to[0] === 'direktur.pwni@pwni.test')!;
    expect(escalation.subject).to.equal('[Eskalasi] MOU-MY-2026-01: Pengesahan (ratifikasi) sudah lewat tenggat 5 hari / [Escalation] Ratification is 5 days overdue');
    expect(escalation.text).to.contain('Anda menerima pesan ini sebagai pimpinan unit PWNI: pekerjaan ini sudah lewat tenggat dan belum selesai.');
    expect(escalation.text).to.contain('You are receiving this as head of the PWNI unit: this work is past its deadline and not yet done.');
    expect(second.find((m) => m.to[0] === 'drafter.x@pwni.test')!.subject, 'the recipient’s own copy is no escalation').to.match(/^\[Terlambat\]/);
    const list = await request(t.app).get('/api/reminders').query({ status: 'sent' }).set(bearer(await admin()));
    const escalated = list.body.items.filter((d: any) => d.escalation);
    expect(escalated.map((d: any) => d.recipient)).to.include('direktur.pwni@pwni.test');
  });

  it('when the service was down across several rungs, then the deadline gets only its most recent missed reminder, once', async () => {
    const due = addDays(jakartaDate(clock.now()), 31);
    await createDeadline({ kind: 'custom', note: 'catch-up', dueAt: jakarta(due, '10:00').toISOString(), recipients: ['catchup@pwni.test'] });
    expect((await sweepAt(jakarta(addDays(due, -14), '10:00'))).filter((m) => m.to.includes('catchup@pwni.test'))).to.have.length(1); // before-14
    // Down from then until the evening two days before: before-7 and before-3 were missed.
    const after = (await sweepAt(jakarta(addDays(due, -2), '19:00'))).filter((m) => m.to.includes('catchup@pwni.test'));
    expect(after).to.have.length(1);
    expect(after[0].subject).to.equal('[Pengingat] MOU-MY-2026-01: Tenggat “catch-up” 2 hari lagi / [Reminder] “catch-up” is due in 2 days');
    const deadlines = await request(t.app).get('/api/deadlines').query({ person: 'catchup@pwni.test' }).set(bearer(await drafter()));
    expect(deadlines.body.items[0].deliveredSlots).to.deep.equal(['before-14', 'before-3']);
    expect(deadlines.body.items[0].nextSlot).to.equal('before-1');
  });

  it('when a mission in London has a deadline after the spring DST change, then reminders keep the local wall time and show the local zone', async () => {
    // The first UK change to summer time (last Sunday of March) far enough ahead for the whole ladder.
    let year = new Date(clock.now()).getUTCFullYear();
    while (Date.parse(`${addDays(ukSpringForward(year), -21)}T00:00:00Z`) <= clock.now().getTime()) year++;
    const sunday = ukSpringForward(year);
    clock.set(`${addDays(sunday, -21)}T00:00:00Z`);
    // Friday after the change, 09:00 BST (= 08:00Z).
    const friday = addDays(sunday, 5);
    const d = await createDeadline({ kind: 'signing_due', dueAt: `${friday}T08:00:00Z`, timezone: 'Europe/London', recipients: ['kbri.london@pwni.test'] });
    expect(d.dueLocal).to.equal(`${friday} 09:00 (Europe/London, GMT+1)`);
    expect(d.nextReminderAt).to.equal(`${addDays(sunday, -9)}T09:00:00.000Z`); // 14 days before, 09:00 GMT
    const mine = (m: ReceivedMail[]) => m.filter((x) => x.to.includes('kbri.london@pwni.test'));
    expect(mine(await sweepAt(`${addDays(sunday, -9)}T09:00:00Z`))).to.have.length(1);
    // 7 days before is the Friday before the change, still GMT: 09:00 local = 09:00Z, not 08:00Z.
    expect(mine(await sweepAt(`${addDays(sunday, -2)}T08:00:00Z`))).to.have.length(0);
    expect(mine(await sweepAt(`${addDays(sunday, -2)}T09:00:00Z`))).to.have.length(1);
    // 3 days before is the Tuesday after it, BST: 09:00 local = 08:00Z.
    const bst = mine(await sweepAt(`${addDays(sunday, 2)}T08:00:00Z`));
    expect(bst).to.have.length(1);
    const [fy, fm, fd] = friday.split('-').map(Number);
    expect(bst[0].text).to.contain(`Tenggat: Jumat, ${fd} ${MONTHS_ID[fm - 1]} ${fy} pukul 09.00 waktu Europe/London (GMT+1); di Jakarta Jumat, ${fd} ${MONTHS_ID[fm - 1]} ${fy} pukul 15.00 WIB`);
    expect(bst[0].text).to.contain(`Due: Friday ${fd} ${MONTHS_EN[fm - 1]} ${fy}, 09:00 Europe/London time (GMT+1); in Jakarta Friday ${fd} ${MONTHS_EN[fm - 1]} ${fy}, 15:00 WIB`);
    expect(bst[0].subject).to.equal('[Pengingat] MOU-MY-2026-01: Tenggat penandatanganan 3 hari lagi / [Reminder] The signature is due in 3 days');
  });
});
