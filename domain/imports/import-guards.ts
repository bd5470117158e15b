import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';
import { UPLOAD_GUARDS, tableFor, unmetConditions, type GuardId, type Stage, type UnmetCondition, type WorkflowSubject } from '../../workflows/index.js';
import { agreementFacts } from '../agreements/agreement-facts.js';

/**
 * The guards of the stage moves that an imported row is not checked against, and why:
 * - the uploads' guards (UPLOAD_GUARDS: final texts, the signed copy, full-powers letters) read
 *   documents, and a register row carries none. The texts of an imported agreement are uploaded
 *   afterwards; refusing every row past legal review for want of them would make the import useless.
 * - the party-status guards: the import sets each party's status itself from the stage,
 *   signed_on and signed_by (every party signed from `signed` on, those named in signed_by when
 *   partially signed, none before) and checks those columns itself, so the guards would only
 *   check the import's own output.
 */
const NOT_ON_A_ROW: ReadonlySet<GuardId> = new Set<GuardId>([...UPLOAD_GUARDS, 'some_party_signed', 'all_parties_signed', 'no_signature_recorded']);

/**
 * The guards every way into `stage` has checked, read from the stage table: for each forward move
 * into the stage (from a stage earlier on the main line), its guards and those implied by the stage
 * it leaves; a guard counts when every such way checks it. So `in_force` implies the signatories
 * (checked on the way to awaiting_signature) but not a ratification instrument (only the way
 * through pending_ratification checks it). Side states imply nothing here: a row on hold is
 * checked at the stage it was held at (held_from, import-register.ts), and abandoned comes
 * from any stage before signing.
 */
export function guardsImpliedBy(subject: WorkflowSubject, stage: Stage): GuardId[] {
  const table = tableFor(subject);
  const order = table.stages;
  const memo = new Map<Stage, GuardId[]>();
  const implied = (to: Stage): GuardId[] => {
    const known = memo.get(to);
    if (known) return known;
    const at = order.indexOf(to);
    let common: GuardId[] | undefined;
    for (const rule of table.transitions) {
      const from = order.indexOf(rule.from);
      if (rule.to !== to || from < 0 || from >= at) continue;
      const way = [...new Set([...rule.guards, ...implied(rule.from)])];
      common = common ? common.filter((g) => way.includes(g)) : way;
    }
    memo.set(to, common ?? []);
    return common ?? [];
  };
  return order.includes(stage) ? implied(stage) : [];
}

/**
 * What the workflow would refuse about an imported agreement at its stage: the same guards a stage
 * move checks (guardsImpliedBy), on the same facts (agreementFacts), except those a register row
 * cannot answer (NOT_ON_A_ROW).
 */
export async function unmetAtImportedStage(ctx: DomainContext, agreement: AgreementRecord): Promise<UnmetCondition[]> {
  const guards = guardsImpliedBy(agreement, agreement.stage).filter((g) => !NOT_ON_A_ROW.has(g));
  if (guards.length === 0) return [];
  return unmetConditions(guards, await agreementFacts(ctx, agreement, undefined, { uploads: false }));
}
