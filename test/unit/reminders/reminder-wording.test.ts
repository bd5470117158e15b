import { expect } from 'chai';
import { reminderWording, type Rung, type WordingInput } from '../../../domain/reminders/reminder-wording.js';

/** Tuesday 9 June 2026, 08:00 in Jakarta. */
const NOW = new Date('2026-06-09T01:00:00Z');
const IN_3_DAYS = new Date('2026-06-12T10:00:00Z'); // Friday 17:00 WIB
const TOMORROW = new Date('2026-06-10T10:00:00Z');
const TODAY = new Date('2026-06-09T10:00:00Z');
const LATE_5 = new Date('2026-06-04T10:00:00Z');
const LONG_AGO = new Date('2022-04-30T10:00:00Z');

const words = (input: Partial<WordingInput> & Pick<WordingInput, 'kind'>, rung: Rung, dueAt: Date, escalation = false) =>
  reminderWording({ rung, escalation, unit: 'PWNI', dueAt, timezone: 'Asia/Jakarta', now: NOW, ...input });

/** Every kind of deadline at every rung: [rung, due, escalation, Indonesian subject, English subject]. */
const TABLE: Array<[Partial<WordingInput> & Pick<WordingInput, 'kind'>, Array<[Rung, Date, boolean, string, string]>]> = [
  [
    { kind: 'stage_due', stage: 'awaiting_signature' },
    [
      ['before', IN_3_DAYS, false, 'Tenggat tahap “Menunggu penandatanganan” 3 hari lagi', 'The deadline for the stage “Awaiting signature” is in 3 days'],
      ['before', TOMORROW, false, 'Tenggat tahap “Menunggu penandatanganan” besok', 'The deadline for the stage “Awaiting signature” is tomorrow'],
      ['on_the_day', TODAY, false, 'Tenggat tahap “Menunggu penandatanganan” hari ini', 'The deadline for the stage “Awaiting signature” is today'],
      ['overdue', LATE_5, false, 'Tahap “Menunggu penandatanganan” sudah lewat tenggat 5 hari', 'The stage “Awaiting signature” is 5 days overdue'],
      ['overdue', LONG_AGO, true, 'Tahap “Menunggu penandatanganan” sudah lewat tenggat sejak 30 April 2022', 'The stage “Awaiting signature” has been overdue since 30 April 2022'],
    ],
  ],
  [
    { kind: 'signing_due', partyName: 'Malaysia' },
    [
      ['before', IN_3_DAYS, false, 'Tenggat penandatanganan oleh Malaysia 3 hari lagi', 'Malaysia’s signature is due in 3 days'],
      ['before', TOMORROW, false, 'Tenggat penandatanganan oleh Malaysia besok', 'Malaysia’s signature is due tomorrow'],
      ['on_the_day', TODAY, false, 'Tenggat penandatanganan oleh Malaysia hari ini', 'Malaysia’s signature is due today'],
      ['overdue', LATE_5, false, 'Penandatanganan oleh Malaysia sudah lewat tenggat 5 hari', 'Malaysia’s signature is 5 days overdue'],
      ['overdue', LONG_AGO, true, 'Penandatanganan oleh Malaysia sudah lewat tenggat sejak 30 April 2022', 'Malaysia’s signature has been overdue since 30 April 2022'],
    ],
  ],
  [
    { kind: 'ratification_due' },
    [
      ['before', IN_3_DAYS, false, 'Tenggat pengesahan (ratifikasi) 3 hari lagi', 'Ratification is due in 3 days'],
      ['on_the_day', TODAY, false, 'Tenggat pengesahan (ratifikasi) hari ini', 'Ratification is due today'],
      ['overdue', LATE_5, false, 'Pengesahan (ratifikasi) sudah lewat tenggat 5 hari', 'Ratification is 5 days overdue'],
      ['overdue', LONG_AGO, true, 'Pengesahan (ratifikasi) sudah lewat tenggat sejak 30 April 2022', 'Ratification has been overdue since 30 April 2022'],
    ],
  ],
  [
    { kind: 'expiry' },
    [
      ['before', IN_3_DAYS, false, 'Masa berlaku perjanjian berakhir 3 hari lagi', 'The agreement expires in 3 days'],
      ['before', TOMORROW, false, 'Masa berlaku perjanjian berakhir besok', 'The agreement expires tomorrow'],
      ['on_the_day', TODAY, false, 'Masa berlaku perjanjian berakhir hari ini', 'The agreement expires today'],
      ['overdue', LATE_5, false, 'Masa berlaku perjanjian telah berakhir 5 hari yang lalu', 'The agreement expired 5 days ago'],
      ['overdue', LONG_AGO, true, 'Masa berlaku perjanjian telah berakhir pada 30 April 2022', 'The agreement expired on 30 April 2022'],
    ],
  ],
  [
    { kind: 'renewal_notice' },
    [
      ['before', IN_3_DAYS, false, 'Batas akhir pemberitahuan perpanjangan atau pengakhiran 3 hari lagi', 'The last day to give notice of renewal or termination is in 3 days'],
      ['on_the_day', TODAY, false, 'Hari ini batas akhir pemberitahuan perpanjangan atau pengakhiran', 'Today is the last day to give notice of renewal or termination'],
      ['overdue', LATE_5, false, 'Batas akhir pemberitahuan perpanjangan atau pengakhiran sudah lewat 5 hari', 'The last day to give notice of renewal or termination passed 5 days ago'],
      ['overdue', LONG_AGO, true, 'Batas akhir pemberitahuan perpanjangan atau pengakhiran sudah lewat sejak 30 April 2022', 'The last day to give notice of renewal or termination passed on 30 April 2022'],
    ],
  ],
  [
    { kind: 'custom', note: 'Kirim nota diplomatik' },
    [
      ['before', IN_3_DAYS, false, 'Tenggat “Kirim nota diplomatik” 3 hari lagi', '“Kirim nota diplomatik” is due in 3 days'],
      ['on_the_day', TODAY, false, 'Tenggat “Kirim nota diplomatik” hari ini', '“Kirim nota diplomatik” is due today'],
      ['overdue', LATE_5, false, '“Kirim nota diplomatik” sudah lewat tenggat 5 hari', '“Kirim nota diplomatik” is 5 days overdue'],
    ],
  ],
  [
    { kind: 'custom' },
    [
      ['before', IN_3_DAYS, false, 'Tenggat perjanjian ini 3 hari lagi', 'A deadline on this agreement is due in 3 days'],
      ['on_the_day', TODAY, false, 'Tenggat perjanjian ini hari ini', 'A deadline on this agreement is due today'],
      ['overdue', new Date('2026-06-08T10:00:00Z'), false, 'Tenggat perjanjian ini sudah lewat 1 hari', 'A deadline on this agreement is 1 day overdue'],
      ['overdue', LONG_AGO, true, 'Tenggat perjanjian ini sudah lewat sejak 30 April 2022', 'A deadline on this agreement has been overdue since 30 April 2022'],
    ],
  ],
];

describe('reminder wording: every kind of deadline at every rung, in Indonesian and English', () => {
  for (const [input, rows] of TABLE) {
    for (const [rung, dueAt, escalation, id, en] of rows) {
      it(`when a ${input.kind}${input.note ? ' with a note' : ''} reminder is ${rung}${escalation ? ' (escalated)' : ''} due ${dueAt.toISOString().slice(0, 10)}, then its subject reads “${en}”`, () => {
        const w = words(input, rung, dueAt, escalation);
        expect(w.subject).to.deep.equal({ id, en });
        expect(w.tag).to.deep.equal(escalation ? { id: 'Eskalasi', en: 'Escalation' } : rung === 'overdue' ? { id: 'Terlambat', en: 'Overdue' } : { id: 'Pengingat', en: 'Reminder' });
      });
    }
  }

  it('when the demo’s signing stage is four years late, then the subject gives the date it was due, not a count of 1470 days', () => {
    const w = words({ kind: 'stage_due', stage: 'awaiting_signature' }, 'overdue', new Date('2022-06-10T10:00:00Z'));
    expect(w.subject.id).to.equal('Tahap “Menunggu penandatanganan” sudah lewat tenggat sejak 10 Juni 2022');
    expect(`${w.subject.id} ${w.subject.en}`).not.to.match(/\d{3,} (hari|days)/);
  });

  it('when a reminder is written, then its body opens with the sentence and the date, asks for the action of its kind, and writes the due time out', () => {
    const w = words({ kind: 'signing_due', partyName: 'Malaysia' }, 'before', IN_3_DAYS);
    expect(w.lead).to.deep.equal({ id: 'Tenggat penandatanganan oleh Malaysia 3 hari lagi (12 Juni 2026).', en: 'Malaysia’s signature is due in 3 days (12 June 2026).' });
    expect(w.action).to.deep.equal({
      id: 'Mohon menandatangani perjanjian ini sebelum tenggat atau memberi tahu perancang apabila penandatanganan perlu dijadwalkan ulang.',
      en: 'Please sign the agreement before the deadline, or let the drafter know if the signing has to be rescheduled.',
    });
    expect(w.due).to.deep.equal({ id: 'Jumat, 12 Juni 2026 pukul 17.00 WIB', en: 'Friday 12 June 2026, 17:00 WIB' });
    expect(w.escalationNote).to.equal(null);
  });

  it('when every kind is overdue, then each asks for its own action, and the stage and signature ask for it “as soon as possible”', () => {
    const actions = (['stage_due', 'signing_due', 'ratification_due', 'expiry', 'renewal_notice', 'custom'] as const).map((kind) => words({ kind, partyName: 'Malaysia' }, 'overdue', LATE_5).action);
    expect(new Set(actions.map((a) => a.id)).size).to.equal(6);
    expect(actions[0]).to.deep.equal({
      id: 'Mohon segera selesaikan tahap ini, atau perbarui tenggatnya bila jadwal memang berubah.',
      en: 'Please complete this stage as soon as possible, or update its deadline if the schedule has changed.',
    });
    expect(actions[3]).to.deep.equal({
      id: 'Mohon catat berakhirnya perjanjian ini di pelacak, atau catat perpanjangan atau penggantinya.',
      en: 'Please record in the tracker that the agreement has expired, or record its renewal or replacement.',
    });
    expect(actions[4].en).to.equal('If notice has been given, please record it in the tracker; if not, please consult the treaties directorate on the consequences.');
  });

  it('when a reminder is escalated, then it says why the head of the unit receives it', () => {
    const w = words({ kind: 'stage_due', stage: 'legal_review' }, 'overdue', LATE_5, true);
    expect(w.escalationNote).to.deep.equal({
      id: 'Anda menerima pesan ini sebagai pimpinan unit PWNI: pekerjaan ini sudah lewat tenggat dan belum selesai.',
      en: 'You are receiving this as head of the PWNI unit: this work is past its deadline and not yet done.',
    });
  });

  it('when the deadline is in a mission’s zone, then the due time is written in that zone and in Jakarta', () => {
    const w = reminderWording({ kind: 'signing_due', partyName: 'Kerajaan Arab Saudi', rung: 'before', escalation: false, dueAt: IN_3_DAYS, timezone: 'Asia/Riyadh', now: NOW });
    expect(w.due).to.deep.equal({
      id: 'Jumat, 12 Juni 2026 pukul 13.00 waktu Asia/Riyadh (GMT+3); di Jakarta Jumat, 12 Juni 2026 pukul 17.00 WIB',
      en: 'Friday 12 June 2026, 13:00 Asia/Riyadh time (GMT+3); in Jakarta Friday 12 June 2026, 17:00 WIB',
    });
    const makassar = reminderWording({ kind: 'custom', rung: 'before', escalation: false, dueAt: IN_3_DAYS, timezone: 'Asia/Makassar', now: NOW });
    expect(makassar.due.id).to.equal('Jumat, 12 Juni 2026 pukul 18.00 WITA');
  });
});
