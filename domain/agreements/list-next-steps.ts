import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { ENTRY_INTO_FORCE_BASES } from '../../models/agreement.js';
import { nextSteps } from '../../workflows/index.js';
import { agreementFacts } from './agreement-facts.js';
import { getVisibleAgreement } from './get-visible-agreement.js';

/**
 * What the caller may do next from the current stage, and what is missing for each move. Only
 * what a person can still do is listed as missing: the last signature that puts a guideline in
 * force sets its entry into force itself (recordSignature), so that is no condition there. A move
 * into force by hand lists the bases its entry into force may be recorded with, so clients need
 * not keep their own copy.
 */
export async function listNextSteps(ctx: DomainContext, actor: Actor, id: string) {
  const agreement = await getVisibleAgreement(ctx, actor, id);
  const facts = await agreementFacts(ctx, agreement);
  const steps = nextSteps({ type: agreement.type, parties: agreement.parties, stage: agreement.stage, previousStage: agreement.previousStage }, actor.role, facts);
  return {
    stage: agreement.stage,
    previousStage: agreement.previousStage ?? null,
    version: agreement.version,
    steps: steps.map((s) => ({
      to: s.to,
      trigger: s.trigger,
      allowed: s.allowed,
      roleAllowed: s.roleAllowed,
      roles: s.roles,
      unmet: s.trigger === 'signature' && s.to === 'in_force' ? s.unmet.filter((u) => u.guard !== 'entry_into_force') : s.unmet,
      reopens: s.reopens,
      ...(s.to === 'in_force' && s.trigger === 'manual' ? { entryIntoForceBases: [...ENTRY_INTO_FORCE_BASES] } : {}),
    })),
  };
}
