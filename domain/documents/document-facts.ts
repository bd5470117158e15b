import type { ClientSession, Types } from 'mongoose';
import type { DomainContext } from '../context.js';

/**
 * What the workflow guards need from uploads: the languages that have a final text, whether a
 * signed copy exists, and the parties whose full-powers letter is on file. Read in the caller's session so a guard sees an upload made in
 * the same transaction.
 */
export async function documentFacts(
  ctx: DomainContext,
  agreementId: Types.ObjectId | string,
  session?: ClientSession,
): Promise<{ finalTextLanguages: string[]; hasSignedCopy: boolean; fullPowersPartyIds: string[] }> {
  // one after the other: a transaction's session does not take parallel operations
  const languages = await ctx.models.Document.distinct('language', { agreementId, kind: 'final' }).session(session ?? null);
  const signed = await ctx.models.Document.exists({ agreementId, kind: 'signed' }).session(session ?? null);
  const fullPowers = await ctx.models.Document.distinct('fullPowers.partyId', { agreementId, kind: 'full_powers' }).session(session ?? null);
  return { finalTextLanguages: (languages as string[]).sort(), hasSignedCopy: Boolean(signed), fullPowersPartyIds: fullPowers.map(String) };
}
