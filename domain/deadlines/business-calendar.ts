import type { DomainContext } from '../context.js';
import { buildBusinessCalendar, type BusinessCalendar } from '../../workflows/business-days.js';

/** The shipped holiday files merged with the admin's additions and removals (a small collection). */
export function loadBusinessCalendar(ctx: DomainContext): Promise<BusinessCalendar> {
  return ctx.services.holidayCalendar.get(async () => {
    const extra = await ctx.models.Holiday.find({}, { date: 1, removed: 1 }).lean();
    return buildBusinessCalendar(extra.map((h) => ({ date: h.date, removed: h.removed })));
  });
}
