import type { ClientSession } from 'mongoose';
import type { DomainContext } from '../context.js';
import { buildBusinessCalendar, type BusinessCalendar } from '../../workflows/business-days.js';

/** The shipped holiday files merged with the admin's additions and removals (a small collection). */
export async function loadBusinessCalendar(ctx: DomainContext, session?: ClientSession): Promise<BusinessCalendar> {
  const load = async () => {
    const extra = await ctx.models.Holiday.find({}, { date: 1, removed: 1 }, { session }).lean();
    return buildBusinessCalendar(extra.map((h) => ({ date: h.date, removed: h.removed })));
  };
  // Every stage change needs the calendar and holidays change a few times a year: kept until they do.
  const cache = ctx.services.readCaches?.calendar;
  return cache ? cache.get('calendar', load) : load();
}
