import type { DomainContext } from '../context.js';
import { buildBusinessCalendar, type BusinessCalendar } from '../../workflows/business-days.js';

/** The shipped holiday files merged with the admin's additions and removals (a small collection). */
/**
 * Read outside any transaction, also when a transaction needs it: what is kept in the cache must
 * be the committed calendar, not an older snapshot.
 */
export async function loadBusinessCalendar(ctx: DomainContext): Promise<BusinessCalendar> {
  const load = async () => {
    const extra = await ctx.models.Holiday.find({}, { date: 1, removed: 1 }).lean();
    return buildBusinessCalendar(extra.map((h) => ({ date: h.date, removed: h.removed })));
  };
  // Every stage change needs the calendar and holidays change a few times a year: kept until they do.
  const cache = ctx.services.readCaches?.calendar;
  return cache ? cache.get('calendar', load) : load();
}
