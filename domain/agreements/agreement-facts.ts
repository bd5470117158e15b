import type { ClientSession } from 'mongoose';
import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { AgreementFacts } from '../../workflows/index.js';
import { hqDay } from '../../workflows/business-days.js';
import { documentFacts } from '../documents/document-facts.js';

export interface FactsOptions {
  /**
   * false: skip the uploads (two queries) and leave finalTextLanguages empty and hasSignedCopy
   * false. Only for a caller that knows no guard reading them will run (UPLOAD_GUARDS).
   */
  uploads?: boolean;
}

/**
 * The facts the workflow guards read: the agreement's own fields, and from its uploads the
 * languages that have a final text and whether a signed copy exists (read in the caller's
 * session, so a guard sees an upload made in the same transaction).
 */
export async function agreementFacts(ctx: DomainContext, agreement: AgreementRecord, session?: ClientSession, options: FactsOptions = {}): Promise<AgreementFacts> {
  const { finalTextLanguages, hasSignedCopy, fullPowersPartyIds } =
    options.uploads === false ? { finalTextLanguages: [], hasSignedCopy: false, fullPowersPartyIds: [] } : await documentFacts(ctx, agreement._id, session);
  return {
    authenticLanguages: agreement.authenticLanguages ?? [],
    finalTextLanguages,
    parties: (agreement.parties ?? []).map((p) => ({
      id: String(p._id),
      name: p.name,
      hasSignatory: Boolean(p.signatory?.name),
      status: p.status,
      fullPowersRequired: Boolean(p.signatory?.fullPowersRequired),
      hasFullPowers: fullPowersPartyIds.includes(String(p._id)),
    })),
    ratification: agreement.ratification ?? null,
    entryIntoForce: agreement.entryIntoForce ?? null,
    signedOn: agreement.signedAt ? hqDay(agreement.signedAt) : null,
    termEndsOn: agreement.term?.expiresAt ? hqDay(agreement.term.expiresAt) : null,
    today: hqDay(ctx.clock.now()),
    previousStage: agreement.previousStage ?? null,
    hasSignedCopy,
  };
}
