import { HQ_TIMEZONE, parseDate, weekday, type BusinessCalendar } from '../../workflows/business-days.js';

/**
 * Aggregation expressions that count Indonesian working days in the database, so durations are
 * summarised where the events are instead of being carried to the service.
 *
 * Dates are taken in Jakarta time (UTC+7 all year, no daylight saving), as day numbers since
 * 1970-01-01 (a Thursday). Weekdays up to a day number follow from whole weeks plus a table for
 * the days of the last, partial week; holidays are subtracted as a literal list of day numbers.
 */
const DAY_MS = 86_400_000;
const JAKARTA_OFFSET_MS = 7 * 3_600_000;
// Weekdays among the first r days counted from a Thursday: Thu, Fri, Sat, Sun, Mon, Tue, Wed.
const WEEKDAYS_IN_PARTIAL_WEEK = [0, 1, 2, 2, 2, 3, 4];

if (HQ_TIMEZONE !== 'Asia/Jakarta') throw new Error('working-days-expr assumes headquarters in Jakarta (UTC+7, no DST)');

/** The Jakarta day number of a date expression. */
export const dayNumberExpr = (date: unknown) => ({ $floor: { $divide: [{ $add: [{ $toLong: date }, JAKARTA_OFFSET_MS] }, DAY_MS] } });

/** Weekdays among day numbers 0 .. n-1. */
const weekdaysBefore = (n: unknown) => ({
  $add: [{ $multiply: [5, { $floor: { $divide: [n, 7] } }] }, { $arrayElemAt: [{ $literal: WEEKDAYS_IN_PARTIAL_WEEK }, { $mod: [n, 7] }] }],
});

/** The calendar's closed weekdays as day numbers (weekends are already excluded by the formula). */
export function closedDayNumbers(calendar: BusinessCalendar): number[] {
  const out: number[] = [];
  for (const date of calendar.closed) {
    const wd = weekday(date);
    if (wd === 0 || wd === 6) continue;
    const { year, month, day } = parseDate(date);
    out.push(Date.UTC(year, month - 1, day) / DAY_MS);
  }
  return out.sort((a, b) => a - b);
}

/**
 * How many of the sorted day numbers `closed` are ≤ the day number `n`: a lookup in a literal
 * table of running counts, one entry per day from the first closed day to the last (a few
 * thousand for the shipped years), so each date costs a few operators in the database instead of
 * one comparison per holiday (a $filter over the calendar for every event dominated the reports).
 * Entry 0 stands for every day before the first closed day; days after the last take the total.
 */
function closedUpToExpr(n: string, closed: number[]): unknown {
  if (closed.length === 0) return 0;
  const first = closed[0];
  const running: number[] = [0];
  let k = 0;
  for (let day = first; day <= closed[closed.length - 1]; day++) {
    if (closed[k] === day) k++;
    running.push(k);
  }
  const position = { $min: [{ $max: [{ $subtract: [n, first - 1] }, 0] }, running.length - 1] };
  return { $arrayElemAt: [{ $literal: running }, position] };
}

/**
 * Working days strictly after the day of `start` up to and including the day of `end`, as
 * workflows/business-days.ts businessDaysBetween counts them (0 when end is not after start).
 * Closed days in (a, b] are closed(≤ b) − closed(≤ a); every closed day is a weekday, so when b
 * is before a the difference never outweighs the (negative) weekdays and the result is still 0.
 */
export function workingDaysExpr(start: unknown, end: unknown, closed: number[]) {
  return {
    $let: {
      vars: { a: dayNumberExpr(start), b: dayNumberExpr(end) },
      in: {
        $max: [
          0,
          {
            $subtract: [
              { $subtract: [weekdaysBefore({ $add: ['$$b', 1] }), weekdaysBefore({ $add: ['$$a', 1] })] },
              { $subtract: [closedUpToExpr('$$b', closed), closedUpToExpr('$$a', closed)] },
            ],
          },
        ],
      },
    },
  };
}

/** Nearest-rank percentile of a sorted array expression (a value that occurred, as MongoDB's $percentile answers). */
export const percentileOfSortedExpr = (sorted: unknown, p: number) => ({
  $arrayElemAt: [sorted, { $max: [0, { $subtract: [{ $ceil: { $multiply: [p, { $size: sorted }] } }, 1] }] }],
});
