import mongoose from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { SHIPPED_HOLIDAY_YEARS, type HolidayKind } from '../../workflows/business-days.js';

export interface HolidayView {
  date: string;
  kind: HolidayKind;
  name: { id: string; en: string };
  /** 'file' (shipped SKB data) or 'admin' */
  source: 'file' | 'admin';
  provisional: boolean;
}

/**
 * The days that are not working days in a year: the shipped file merged with admin entries
 * (an admin entry replaces the file's entry of the same date; a removal re-opens it). `removed`
 * lists the shipped days an admin re-opened, as shipped, so they can be put back.
 */
export async function listHolidays(
  ctx: DomainContext,
  year: number,
): Promise<{ year: number; official: boolean; source: string | null; days: HolidayView[]; removed: HolidayView[] }> {
  const file = SHIPPED_HOLIDAY_YEARS.find((y) => y.year === year);
  const shipped = new Map<string, HolidayView>();
  for (const d of file?.days ?? []) shipped.set(d.date, { date: d.date, kind: d.kind, name: d.name, source: 'file', provisional: Boolean(d.provisional) });
  const byDate = new Map(shipped);
  const removed: HolidayView[] = [];
  const admin = await ctx.models.Holiday.find({ date: mongoose.trusted({ $regex: `^${year}-` }) }).lean();
  for (const h of admin) {
    if (h.removed) {
      byDate.delete(h.date);
      const was = shipped.get(h.date);
      if (was) removed.push(was);
    } else byDate.set(h.date, { date: h.date, kind: h.kind, name: h.name, source: 'admin', provisional: false });
  }
  const byDay = (a: HolidayView, b: HolidayView) => a.date.localeCompare(b.date);
  return { year, official: file?.official ?? false, source: file?.source ?? null, days: [...byDate.values()].sort(byDay), removed: removed.sort(byDay) };
}

/**
 * Admin: adds (or replaces) a holiday or collective leave day. Deadlines already open keep their due time.
 * A day added exactly as the shipped file has it puts the shipped day back (the admin entry goes),
 * so a removed official holiday is restored by adding it again and reads as shipped.
 */
export async function addHoliday(ctx: DomainContext, actor: Actor, input: { date: string; kind: HolidayKind; name: { id: string; en: string } }): Promise<HolidayView> {
  assertRealDate(input.date);
  const shipped = SHIPPED_HOLIDAY_YEARS.flatMap((y) => y.days).find((d) => d.date === input.date);
  if (shipped && shipped.kind === input.kind && shipped.name.id === input.name.id && shipped.name.en === input.name.en) {
    await ctx.models.Holiday.deleteOne({ date: input.date });
    ctx.services.holidayCalendar.clear();
    return { date: shipped.date, kind: shipped.kind, name: shipped.name, source: 'file', provisional: Boolean(shipped.provisional) };
  }
  await ctx.models.Holiday.updateOne(
    { date: input.date },
    { $set: { kind: input.kind, name: input.name, removed: false, createdBy: actor.id, createdAt: ctx.clock.now() } },
    { upsert: true },
  );
  ctx.services.holidayCalendar.clear();
  return { ...input, source: 'admin', provisional: false };
}

/** Admin: makes a date a working day again (an admin entry is deleted; a shipped one is overridden). */
export async function removeHoliday(ctx: DomainContext, actor: Actor, date: string): Promise<{ date: string; removed: true }> {
  assertRealDate(date);
  const shipped = SHIPPED_HOLIDAY_YEARS.some((y) => y.days.some((d) => d.date === date));
  if (shipped) {
    await ctx.models.Holiday.updateOne(
      { date },
      { $set: { removed: true, kind: 'holiday', name: { id: '', en: '' }, createdBy: actor.id, createdAt: ctx.clock.now() } },
      { upsert: true },
    );
  } else {
    const res = await ctx.models.Holiday.deleteOne({ date });
    if (res.deletedCount === 0) throw new AppError('not_found', 'No such holiday / Hari libur tidak ditemukan');
  }
  ctx.services.holidayCalendar.clear();
  return { date, removed: true };
}

function assertRealDate(date: string): void {
  const t = new Date(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== date) {
    throw new AppError('validation_failed', 'Invalid date / Tanggal tidak valid', [{ field: 'date', message: 'Must be a real date written YYYY-MM-DD / Harus tanggal yang ada, ditulis YYYY-MM-DD' }]);
  }
}
