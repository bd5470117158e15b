import { AppError } from './errors.js';
import { HQ_TIMEZONE, fromLocal, parseDate } from '../workflows/business-days.js';

/**
 * A period people ask about (a report's, an audit's): two days on Jakarta's calendar, both
 * included, as the directorate counts its year.
 */
export interface Period {
  from: string;
  to: string;
}

/** The first instant of a day on Jakarta's calendar, which periods are counted in. */
export const startOfDay = (date: string) => {
  const { year, month, day } = parseDate(date);
  return fromLocal({ year, month, day, hour: 0, minute: 0 }, HQ_TIMEZONE);
};

/** A period is two real days (YYYY-MM-DD), `to` not before `from`: else 422 naming the field. */
export function checkPeriod(filter: Period): void {
  const valid = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
  if (!valid(filter.from) || !valid(filter.to)) {
    throw new AppError('validation_failed', 'from and to must be dates (YYYY-MM-DD) / from dan to harus berupa tanggal (YYYY-MM-DD)', [{ field: 'from', message: "'from' and 'to' must be dates (YYYY-MM-DD) / 'from' dan 'to' harus berupa tanggal (YYYY-MM-DD)" }]);
  }
  if (filter.to < filter.from) {
    throw new AppError('validation_failed', "'to' is before 'from' / 'to' lebih awal daripada 'from'", [{ field: 'to', message: "'to' must not be before 'from' / 'to' tidak boleh lebih awal daripada 'from'" }]);
  }
}
