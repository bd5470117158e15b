import type { Actor } from '../accounts/actor.js';
import { isAllowed } from '../../workflows/permissions.js';
import { AppError } from '../errors.js';
import type { AgreementRecord, Party } from '../../models/agreement.js';

/**
 * Who may act for a party (record its signature, or its refusal): its own designated signatory
 * (matched by e-mail), or a drafter or admin recording on its behalf, as when a foreign
 * counterpart signs on paper and the ministry records it. Returns whether it is on behalf.
 */
export function authorisePartyAction(actor: Actor, party: Party): { onBehalf: boolean } {
  const own = Boolean(party.signatory?.email) && party.signatory!.email!.toLowerCase() === actor.email.toLowerCase();
  if (own && isAllowed(actor.role, 'recordSignature')) return { onBehalf: false };
  if (isAllowed(actor.role, 'signOnBehalf')) return { onBehalf: true };
  throw new AppError('forbidden', 'Only the designated signatory of this party may do this / Hanya penanda tangan yang ditunjuk pihak ini yang berwenang');
}

export function findParty(agreement: AgreementRecord, partyId: string): Party {
  const party = agreement.parties.find((p) => String(p._id) === partyId);
  if (!party) throw new AppError('not_found', 'Party not found / Pihak tidak ditemukan');
  return party;
}
