import { expect } from 'chai';
import {
  addBusinessDaysToDate,
  buildBusinessCalendar,
  businessDaysBetween,
  formatInZone,
  fromLocal,
  isBusinessDay,
  isValidTimeZone,
  localDate,
  slaDueAt,
  SHIPPED_HOLIDAY_YEARS,
  toLocal,
} from '../../../workflows/business-days.js';

/** The wall time straight from Intl, with no cache in between: the oracle for toLocal. */
function intlWallTime(at: Date, tz: string): string {
  const f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const p = Object.fromEntries(f.formatToParts(at).filter((x) => x.type !== 'literal').map((x) => [x.type, Number(x.value)]));
  return [p.year, p.month, p.day, p.hour % 24, p.minute, p.second].join(',');
}

describe('business days (Asia/Jakarta)', () => {
  it('when the shipped 2026 file is read, then it holds the 17 national holidays and 8 collective leave days of the SKB', () => {
    const y2026 = SHIPPED_HOLIDAY_YEARS.find((y) => y.year === 2026)!;
    expect(y2026.official).to.equal(true);
    expect(y2026.days.filter((d) => d.kind === 'holiday')).to.have.length(17);
    expect(y2026.days.filter((d) => d.kind === 'collective_leave').map((d) => d.date)).to.deep.equal([
      '2026-02-16', '2026-03-18', '2026-03-20', '2026-03-23', '2026-03-24', '2026-05-15', '2026-05-28', '2026-12-24',
    ]);
  });

  it('when the years of the demo agreements (2022 to 2025) are read, then each is shipped from its SKB with its source named', () => {
    for (const year of [2022, 2023, 2024, 2025, 2026]) {
      const file = SHIPPED_HOLIDAY_YEARS.find((y) => y.year === year);
      expect(file, String(year)).to.not.equal(undefined);
      expect(file!.official, String(year)).to.equal(true);
      expect(file!.source, String(year)).to.match(/^SKB Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB Nomor \d+ Tahun \d{4}/);
      expect(file!.days.every((d) => d.date.startsWith(`${year}-`) && d.name.id && d.name.en), String(year)).to.equal(true);
      expect(new Set(file!.days.map((d) => d.date)).size, String(year)).to.equal(file!.days.length);
      // Fixed-date holidays every SKB lists.
      for (const date of ['01-01', '05-01', '06-01', '08-17', '12-25']) expect(file!.days.map((d) => d.date), `${year}-${date}`).to.include(`${year}-${date}`);
    }
  });

  it('when a 2022 stage deadline spans Idul Fitri 1443 H and its collective leave, then those days are not counted', () => {
    // Thu 28 Apr 2022: 29 Apr cuti bersama, 30 Apr-1 May weekend, 2-3 May Idul Fitri, 4-6 May cuti bersama,
    // 7-8 May weekend; the three working days are 9, 10 and 11 May.
    expect(addBusinessDaysToDate('2022-04-28', 3)).to.equal('2022-05-11');
    expect(slaDueAt(new Date('2022-04-28T03:00:00Z'), 3).toISOString()).to.equal('2022-05-11T10:00:00.000Z');
    // The 17 August 2025 holiday fell on a Sunday; the Monday after was collective leave.
    expect(isBusinessDay('2025-08-18')).to.equal(false);
  });

  it('when a weekend and the Idul Fitri holidays fall inside a 5-working-day period, then they are skipped', () => {
    // Tue 17 Mar 2026: 18 cuti Nyepi, 19 Nyepi, 20 cuti, 21-22 Idul Fitri (weekend), 23-24 cuti,
    // then 25, 26, 27 (Wed-Fri), weekend 28-29, 30, 31.
    expect(addBusinessDaysToDate('2026-03-17', 5)).to.equal('2026-03-31');
    expect(businessDaysBetween('2026-03-17', '2026-03-31')).to.equal(5);
    const due = slaDueAt(new Date('2026-03-17T03:00:00Z'), 5);
    expect(due.toISOString()).to.equal('2026-03-31T10:00:00.000Z'); // 17:00 WIB (UTC+7)
  });

  it('when a stage is entered on Thursday before Good Friday, then one working day later is the Monday after Easter', () => {
    expect(isBusinessDay('2026-04-03')).to.equal(false);
    expect(addBusinessDaysToDate('2026-04-02', 1)).to.equal('2026-04-06');
  });

  it('when the stage is entered late in the evening in Jakarta, then the count starts from the Jakarta date, not the UTC date', () => {
    // 2026-06-02 23:30 WIB is still 16:30Z on the 2nd; 2026-06-03 00:30 WIB is 17:30Z on the 2nd.
    expect(slaDueAt(new Date('2026-06-02T16:30:00Z'), 1).toISOString()).to.equal('2026-06-03T10:00:00.000Z');
    expect(slaDueAt(new Date('2026-06-02T17:30:00Z'), 1).toISOString()).to.equal('2026-06-04T10:00:00.000Z');
  });

  it('when an admin adds a day and re-opens a shipped one, then the merged calendar follows the admin', () => {
    const cal = buildBusinessCalendar([{ date: '2026-07-01' }, { date: '2026-05-15', removed: true }]);
    expect(isBusinessDay('2026-07-01', cal)).to.equal(false);
    expect(isBusinessDay('2026-05-15', cal)).to.equal(true);
  });

  it('when a zone name is checked, then only IANA names the platform knows pass', () => {
    expect(isValidTimeZone('Asia/Riyadh')).to.equal(true);
    expect(isValidTimeZone('Europe/London')).to.equal(true);
    expect(isValidTimeZone('Mars/Olympus')).to.equal(false);
    expect(isValidTimeZone('')).to.equal(false);
  });

  it('when a wall time is converted in a zone with daylight saving, then the offset of that date is used', () => {
    expect(fromLocal({ year: 2026, month: 3, day: 28, hour: 9, minute: 0 }, 'Europe/London').toISOString()).to.equal('2026-03-28T09:00:00.000Z');
    expect(fromLocal({ year: 2026, month: 3, day: 30, hour: 9, minute: 0 }, 'Europe/London').toISOString()).to.equal('2026-03-30T08:00:00.000Z');
    expect(fromLocal({ year: 2026, month: 11, day: 2, hour: 9, minute: 0 }, 'America/New_York').toISOString()).to.equal('2026-11-02T14:00:00.000Z');
    expect(localDate(new Date('2026-03-31T17:30:00Z'), 'Asia/Jakarta')).to.equal('2026-04-01');
    expect(formatInZone(new Date('2026-04-02T08:00:00Z'), 'Europe/London')).to.equal('2026-04-02 09:00 (Europe/London, GMT+1)');
  });

  it('when wall times are read through the offset cache, then every second around offset changes matches Intl', () => {
    // London and New York DST, Lord Howe's half-hour DST, Goose Bay's 00:01 changes (1990),
    // Kathmandu's +5:45; a two-hour window around each change, one instant every 7 seconds.
    const cases: Array<[string, string]> = [
      ['Europe/London', '2027-03-28T01:00:00Z'],
      ['Europe/London', '2027-10-31T01:00:00Z'],
      ['America/New_York', '2026-11-01T06:00:00Z'],
      ['Australia/Lord_Howe', '2026-10-03T15:30:00Z'],
      ['America/Goose_Bay', '1990-04-01T04:01:00Z'],
      ['Asia/Kathmandu', '2026-06-01T00:00:00Z'],
    ];
    let compared = 0;
    for (const [tz, change] of cases) {
      const centre = Date.parse(change);
      for (let t = centre - 3600_000; t <= centre + 3600_000; t += 7_000) {
        const at = new Date(t);
        const l = toLocal(at, tz);
        expect([l.year, l.month, l.day, l.hour, l.minute, l.second].join(','), `${tz} ${at.toISOString()}`).to.equal(intlWallTime(at, tz));
        compared++;
      }
    }
    expect(compared).to.be.greaterThan(6000);
  });
});
