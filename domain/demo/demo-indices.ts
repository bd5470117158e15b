import mongoose from 'mongoose';
import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';
import { ManualClock } from '../../lib/clock.js';
import { setAgreementIndices } from '../indices/set-agreement-indices.js';
import { DEMO_DRAFTER } from './demo-script.js';

/** Which index each demo instrument counts towards, as the 2022 report files them. */
export const DEMO_INDICES: Record<string, string[]> = {
  'MOU-MY-2022-01': ['protection_diplomacy'],
  'TA-SA-2018-01': ['protection_diplomacy'],
  'TA-SA-2022-01': ['protection_diplomacy'],
  'PKS-ID-2022-01': ['information_systems'],
  'PKS-ID-2022-02': ['information_systems'],
  'PKS-ID-2022-03': ['institutional_strengthening'],
  'MOU-ID-2022-01': ['institutional_strengthening'],
  'PED-ID-2022-01': ['institutional_strengthening'],
  'PED-ID-2022-02': ['institutional_strengthening'],
};

/** Attributes the demo instruments as the directorate did when it wrote the 2022 report (early January 2023). */
export async function attributeDemoIndices(ctx: DomainContext): Promise<void> {
  const clock = new ManualClock('2023-01-05T02:00:00Z');
  const at = { ...ctx, clock };
  const agreements = await ctx.models.Agreement.find({ code: mongoose.trusted({ $in: Object.keys(DEMO_INDICES) }) }, { _id: 1, code: 1 }).lean<Array<Pick<AgreementRecord, '_id' | 'code'>>>();
  for (const a of agreements) await setAgreementIndices(at, { id: String(a._id), actor: DEMO_DRAFTER, indices: DEMO_INDICES[a.code] });
}
