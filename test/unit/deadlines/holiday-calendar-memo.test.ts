/** The holiday calendar is remembered for a short while only, and forgotten at once when an admin edits it. */
import { expect } from 'chai';
import { HolidayCalendarMemo } from '../../../domain/deadlines/holiday-calendar-memo.js';
import { buildBusinessCalendar, type BusinessCalendar } from '../../../workflows/business-days.js';

describe('holiday calendar memo', () => {
  let elapsed: number;
  let loads: number;
  let memo: HolidayCalendarMemo;
  const load = async (): Promise<BusinessCalendar> => {
    loads++;
    return buildBusinessCalendar([{ date: `2031-01-0${loads}` }]);
  };

  beforeEach(() => {
    elapsed = 0;
    loads = 0;
    memo = new HolidayCalendarMemo(60_000, () => elapsed);
  });

  it('when asked twice within its maximum age, then the database is read once and both get the same calendar', async () => {
    const first = await memo.get(load);
    elapsed = 59_999;
    expect(await memo.get(load)).to.equal(first);
    expect(loads).to.equal(1);
  });

  it('when its maximum age has passed, then the calendar is read again and the new holidays count', async () => {
    await memo.get(load);
    elapsed = 60_000;
    const again = await memo.get(load);
    expect(loads).to.equal(2);
    expect(again.closed.has('2031-01-02')).to.equal(true);
  });

  it('when cleared (an admin added or removed a holiday), then the next caller reads it afresh', async () => {
    await memo.get(load);
    memo.clear();
    expect((await memo.get(load)).closed.has('2031-01-02')).to.equal(true);
    expect(loads).to.equal(2);
  });

  it('when a read fails, then the failure is not remembered', async () => {
    const failing = memo.get(async () => {
      throw new Error('database down');
    });
    expect(await failing.then(() => 'read', (err: Error) => err.message)).to.equal('database down');
    await memo.get(load);
    expect(loads).to.equal(1);
  });
});
