import { expect } from 'chai';
import { DEFAULT_REMINDER_POLICY, nextReminderAt, reminderSlots, retryDelayMs, type DeadlineTiming } from '../../../workflows/reminder-policy.js';

const P = DEFAULT_REMINDER_POLICY;
// Tue 30 Jun 2026, 10:00 WIB
const jakarta: DeadlineTiming = { dueAt: new Date('2026-06-30T03:00:00Z'), timezone: 'Asia/Jakarta', status: 'open' };

describe('reminder policy', () => {
  it('when the default policy is applied, then the ladder is 14, 7, 3, 1 days before, on the day, and 5 overdue reminders on working days', () => {
    const slots = reminderSlots(jakarta, P).map((s) => [s.slot, s.at.toISOString()]);
    expect(slots).to.deep.equal([
      ['before-14', '2026-06-16T03:00:00.000Z'],
      ['before-7', '2026-06-23T03:00:00.000Z'],
      ['before-3', '2026-06-27T03:00:00.000Z'],
      ['before-1', '2026-06-29T03:00:00.000Z'],
      ['on-the-day', '2026-06-30T01:00:00.000Z'], // 08:00 WIB
      ['overdue-1', '2026-07-01T01:00:00.000Z'], // next working day
      ['overdue-2', '2026-07-03T01:00:00.000Z'], // +2 working days
      ['overdue-3', '2026-07-07T01:00:00.000Z'], // weekend skipped
      ['overdue-4', '2026-07-09T01:00:00.000Z'],
      ['overdue-5', '2026-07-13T01:00:00.000Z'],
    ]);
  });

  it('when overdue reminders run on, then the lead unit head is included from the second one', () => {
    const flags = reminderSlots(jakarta, P).filter((s) => s.kind === 'overdue').map((s) => s.escalate);
    expect(flags).to.deep.equal([false, true, true, true, true]);
  });

  it('when nothing was delivered and no slot is due yet, then the next reminder is the first slot', () => {
    const next = nextReminderAt(jakarta, P, new Date('2026-06-01T00:00:00Z'), []);
    expect(next?.slot).to.equal('before-14');
  });

  it('when the service was down across two slots, then only the most recent missed one is due, once', () => {
    const now = new Date('2026-06-29T05:00:00Z'); // after before-3 and before-1
    const next = nextReminderAt(jakarta, P, now, ['before-14']);
    expect(next?.slot).to.equal('before-1');
    expect(next!.at.getTime()).to.be.at.most(now.getTime());
    const after = nextReminderAt(jakarta, P, now, ['before-14', 'before-1']);
    expect(after?.slot).to.equal('on-the-day');
    expect(after!.at.getTime()).to.be.greaterThan(now.getTime());
  });

  it('when the fifth overdue reminder was delivered, then nothing is left (the cap)', () => {
    expect(nextReminderAt(jakarta, P, new Date('2026-12-01T00:00:00Z'), ['overdue-5'])).to.equal(null);
  });

  it('when the deadline is met, missed or cancelled, then no reminder is due', () => {
    for (const status of ['met', 'missed', 'cancelled'] as const) {
      expect(nextReminderAt({ ...jakarta, status }, P, new Date('2026-06-20T00:00:00Z'), [])).to.equal(null);
    }
  });

  it('when a London deadline lies after the spring DST change, then earlier reminders keep the same local wall time', () => {
    // 2 Apr 2026 09:00 BST = 08:00Z; clocks went forward on 29 Mar.
    const london: DeadlineTiming = { dueAt: new Date('2026-04-02T08:00:00Z'), timezone: 'Europe/London', status: 'open' };
    const byName = Object.fromEntries(reminderSlots(london, P).map((s) => [s.slot, s.at.toISOString()]));
    expect(byName['before-7']).to.equal('2026-03-26T09:00:00.000Z'); // 09:00 GMT
    expect(byName['before-3']).to.equal('2026-03-30T08:00:00.000Z'); // 09:00 BST
    expect(byName['on-the-day']).to.equal('2026-04-02T07:00:00.000Z'); // 08:00 BST
    // Good Friday 3 Apr and Easter Monday-less Indonesian calendar: first overdue is Mon 6 Apr 08:00 BST.
    expect(byName['overdue-1']).to.equal('2026-04-06T07:00:00.000Z');
  });

  it('when a New York deadline lies after the autumn DST change, then reminders before it keep 10:00 local', () => {
    // Tue 3 Nov 2026 10:00 EST = 15:00Z; clocks went back on 1 Nov.
    const ny: DeadlineTiming = { dueAt: new Date('2026-11-03T15:00:00Z'), timezone: 'America/New_York', status: 'open' };
    const byName = Object.fromEntries(reminderSlots(ny, P).map((s) => [s.slot, s.at.toISOString()]));
    expect(byName['before-3']).to.equal('2026-10-31T14:00:00.000Z'); // 10:00 EDT
    expect(byName['before-1']).to.equal('2026-11-02T15:00:00.000Z'); // 10:00 EST
  });

  it('when the due time is before the morning send time, then the on-the-day reminder goes at the due time', () => {
    const early: DeadlineTiming = { dueAt: new Date('2026-06-29T23:30:00Z'), timezone: 'Asia/Jakarta', status: 'open' }; // 06:30 WIB
    const onDay = reminderSlots(early, P).find((s) => s.slot === 'on-the-day')!;
    expect(onDay.at.toISOString()).to.equal('2026-06-29T23:30:00.000Z');
  });

  it('when a delivery keeps failing, then the wait doubles each time', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(P, n))).to.deep.equal([60_000, 120_000, 240_000, 480_000]);
  });
});
