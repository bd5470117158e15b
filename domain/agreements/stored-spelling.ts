import mongoose from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';

/**
 * Lead units and subjects are kept as people wrote them ("PWNI", "tppo"); a filter typed in another
 * case ("pwni", "TPPO") means the same unit or subject. The filter takes the spelling that an
 * agreement the reader may see has: found through the field's index when the case already
 * matches, otherwise by a comparison that ignores case (collation strength 2, on MongoDB as on the
 * embedded server). Without it a report for "pwni" was all zeros, with nothing to say why.
 */
export async function withStoredSpellings<T extends { leadUnit?: string; subject?: string }>(ctx: DomainContext, actor: Actor, input: T): Promise<T> {
  const [leadUnit, subject] = await Promise.all([
    input.leadUnit ? storedSpelling(ctx, actor, 'leadUnit', input.leadUnit) : undefined,
    input.subject ? storedSpelling(ctx, actor, 'subjects', input.subject) : undefined,
  ]);
  return { ...input, ...(leadUnit ? { leadUnit } : {}), ...(subject ? { subject } : {}) };
}

async function storedSpelling(ctx: DomainContext, actor: Actor, field: 'leadUnit' | 'subjects', value: string): Promise<string> {
  const visible = actor.role === 'admin' ? {} : { audience: mongoose.trusted({ $in: ['*', actor.unit] }) };
  const filter = mongoose.sanitizeFilter({ [field]: value, ...visible });
  const agreements = ctx.models.Agreement.collection;
  if (await agreements.findOne(filter, { projection: { _id: 1 } })) return value;
  const found = await agreements.findOne<{ leadUnit?: string; subjects?: string[] }>(filter, { projection: { [field]: 1 }, collation: { locale: 'en', strength: 2 } });
  const stored = field === 'leadUnit' ? [found?.leadUnit] : (found?.subjects ?? []);
  return stored.find((s) => s !== undefined && s.localeCompare(value, 'en', { sensitivity: 'accent' }) === 0) ?? value;
}
