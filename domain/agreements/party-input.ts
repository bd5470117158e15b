import { Types } from 'mongoose';
import type { Party, Signatory } from '../../models/agreement.js';

export interface PartyInput {
  /** an existing party's id (PATCH); absent for a new party */
  id?: string;
  name: string;
  officialName?: string;
  kind: Party['kind'];
  country?: string;
  signatory?: Signatory;
  /** only the statuses that need no evidence; signed and declined have their own routes */
  status?: 'pending' | 'cleared' | 'invited';
}

/** A new party record from input. */
export function newParty(input: PartyInput, now: Date): Party {
  return {
    _id: new Types.ObjectId(),
    name: input.name,
    ...(input.officialName ? { officialName: input.officialName } : {}),
    kind: input.kind,
    ...(input.country ? { country: input.country.toUpperCase() } : {}),
    ...(input.signatory ? { signatory: input.signatory } : {}),
    status: input.status ?? 'pending',
    statusAt: now,
  };
}
