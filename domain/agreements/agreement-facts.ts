import type { ClientSession } from 'mongoose';
import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { AgreementFacts } from '../../workflows/index.js';

/**
 * The facts the workflow guards read. `finalTextLanguages` comes from the stand-in flag
 * `finalTextsConfirmed` until the documents area replaces it with real uploads here.
 */
export async function agreementFacts(_ctx: DomainContext, agreement: AgreementRecord, _session?: ClientSession): Promise<AgreementFacts> {
  return {
    authenticLanguages: agreement.authenticLanguages ?? [],
    finalTextLanguages: agreement.finalTextsConfirmed ?? [],
    parties: (agreement.parties ?? []).map((p) => ({
      id: String(p._id),
      name: p.name,
      hasSignatory: Boolean(p.signatory?.name),
      status: p.status,
    })),
    entryIntoForce: agreement.entryIntoForce ?? null,
    previousStage: agreement.previousStage ?? null,
    hasSignedCopy: false,
  };
}
