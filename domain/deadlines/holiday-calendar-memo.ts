import type { BusinessCalendar } from '../../workflows/business-days.js';

/**
 * How long a holiday edit made on another instance (or straight in the database) may go unseen
 * here. Edits made through this instance's admin routes clear the memo at once.
 */
export const CALENDAR_MAX_AGE_MS = 60_000;

/**
 * The working-day calendar, remembered for a short while: every stage change and deadline needs
 * it, while holidays change a few times a year.
 */
export class HolidayCalendarMemo {
  private held: { calendar: Promise<BusinessCalendar>; at: number } | undefined;

  constructor(
    private readonly maxAgeMs = CALENDAR_MAX_AGE_MS,
    private readonly elapsedMs: () => number = () => performance.now(),
  ) {}

  get(load: () => Promise<BusinessCalendar>): Promise<BusinessCalendar> {
    const held = this.held;
    if (held && this.elapsedMs() - held.at < this.maxAgeMs) return held.calendar;
    const entry = { calendar: load(), at: this.elapsedMs() };
    this.held = entry;
    // A failed read is not remembered: the next caller tries again.
    entry.calendar.catch(() => {
      if (this.held === entry) this.held = undefined;
    });
    return entry.calendar;
  }

  /** After a holiday is added or removed. */
  clear(): void {
    this.held = undefined;
  }
}
