import type { DomainContext } from '../context.js';
import type { InstrumentType } from '../../workflows/index.js';

const PREFIX: Record<InstrumentType, string> = {
  mou: 'MOU',
  agreement: 'AGR',
  technical_arrangement: 'TA',
  cooperation_agreement: 'PKS',
  guideline: 'PED',
};

/** The counterpart's country for international instruments (e.g. MY), ID for domestic ones. */
export function codeCountry(parties: Array<{ kind: string; country?: string | null }>): string {
  const foreign = parties.find((p) => p.kind === 'state' && p.country && p.country.toUpperCase() !== 'ID');
  return (foreign?.country ?? 'ID').toUpperCase().replace(/[^A-Z]/g, '').slice(0, 3) || 'ID';
}

/** `MOU-MY-2022-01`: type, country, year and a running number per (type, country, year). */
export async function generateCode(ctx: DomainContext, type: InstrumentType, parties: Array<{ kind: string; country?: string | null }>): Promise<string> {
  const base = `${PREFIX[type]}-${codeCountry(parties)}-${ctx.clock.now().getUTCFullYear()}`;
  const counter = await ctx.models.Counter.findOneAndUpdate(
    { _id: `code:${base}` },
    { $inc: { seq: 1 } },
    { upsert: true, returnDocument: 'after' },
  ).lean();
  return `${base}-${String(counter!.seq).padStart(2, '0')}`;
}
