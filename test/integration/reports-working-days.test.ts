import { expect } from 'chai';
import { createTestApp, type TestApp } from '../support/app.js';
import { closedDayNumbers, workingDaysExpr } from '../../domain/reports/working-days-expr.js';
import { buildBusinessCalendar, businessDaysBetween, HQ_TIMEZONE, localDate } from '../../workflows/business-days.js';

/**
 * The reports count working days in the database (domain/reports/working-days-expr.ts) and the
 * deadlines count them in the service (workflows/business-days.ts); a stay must last as many
 * working days in the directorate's report as its deadline said. Two thousand stays at any hour,
 * from before the first holiday file to after the last, on a calendar an admin has changed (a day
 * added, a shipped holiday re-opened, a holiday on a Saturday), counted both ways.
 */
describe('reports: working days counted in the database as the deadlines count them', function () {
  this.timeout(60_000);
  let t: TestApp;

  before(async () => {
    t = await createTestApp({ label: 'reports_working_days' });
  });
  after(async () => t?.close());

  it('when two thousand stays are counted by the aggregation expression, then each equals businessDaysBetween of its Jakarta dates', async () => {
    const calendar = buildBusinessCalendar([
      { date: '2024-03-15' }, // an extra closed Friday
      { date: '2023-12-26', removed: true }, // a shipped cuti bersama re-opened
      { date: '2025-06-07' }, // a Saturday: already no working day
    ]);
    let seed = 20221231;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const from = Date.UTC(2021, 10, 1);
    const span = Date.UTC(2028, 2, 1) - from;
    const stays = Array.from({ length: 2000 }, (_, i) => {
      const a = new Date(from + Math.floor(random() * span));
      // mostly short stays, some long, some ending the same day, some "ending" before they begin
      const length = [0, 3_600_000, 86_400_000 * 3, 86_400_000 * 40, 86_400_000 * 900, -86_400_000 * 2][i % 6] * random();
      return { _id: i, a, b: new Date(a.getTime() + Math.floor(length)) };
    });
    const collection = t.ctx.models.HistoryEvent.db.collection<{ _id: number; a: Date; b: Date }>('working_days_check');
    await collection.insertMany(stays);
    const rows = await collection
      .aggregate<{ _id: number; days: number }>([{ $project: { days: workingDaysExpr('$a', '$b', closedDayNumbers(calendar)) } }, { $sort: { _id: 1 } }])
      .toArray();
    expect(rows).to.have.length(stays.length);
    const wrong = rows
      .map((r) => {
        const s = stays[r._id];
        const expected = businessDaysBetween(localDate(s.a, HQ_TIMEZONE), localDate(s.b, HQ_TIMEZONE), calendar);
        return { at: `${s.a.toISOString()} → ${s.b.toISOString()}`, expected, counted: r.days };
      })
      .filter((x) => x.expected !== x.counted);
    expect(wrong.slice(0, 5)).to.deep.equal([]);
    // the long stays cross holidays, so the calendar is really being consulted
    expect(rows.some((r) => r.days > 500)).to.equal(true);
  });
});
