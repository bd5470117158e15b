import { unmetConditions } from './guards.js';
import { COOPERATION_AGREEMENT, GUIDELINE, INTERNATIONAL, TABLES } from './tables.js';
import type { AgreementFacts, Bilingual, GuardId, InstrumentType, Stage, StageTable, TransitionRule, Trigger, UnmetCondition } from './types.js';
import type { Role } from './permissions.js';

/** A party as far as the choice of stage table cares: is it foreign to Indonesia? */
export interface PartyScope {
  kind: string;
  country?: string | null;
}

/**
 * What picks an agreement's stage table: its type and its parties. Without parties (a tool that
 * reasons about types alone) the type's usual table is taken; the domain always passes them.
 */
export interface WorkflowSubject {
  type: InstrumentType;
  parties?: readonly PartyScope[];
}

/** Where an agreement stands, as far as the engine cares. */
export interface WorkflowState extends WorkflowSubject {
  stage: Stage;
  /** the stage an on_hold agreement left */
  previousStage?: Stage | null;
}

export interface MoveRequest {
  to: Stage;
  role: Role;
  /** defaults to 'manual'; signature and link moves are started only by the domain */
  trigger?: Trigger;
}

/**
 * Why a move is refused: `not_allowed` (no such move from this stage), `automatic_only` (the
 * target is reached only by signatures or links), `forbidden` (the role may not), `guards`
 * (conditions unmet; `unmet` lists them).
 */
export type RefusalReason = 'not_allowed' | 'automatic_only' | 'forbidden' | 'guards';

export type CanResult =
  | { ok: true; rule: TransitionRule }
  | { ok: false; reason: RefusalReason; message: Bilingual; unmet: UnmetCondition[] };

export type TransitionResult =
  | { ok: true; from: Stage; to: Stage; previousStage: Stage | null; rule: TransitionRule; reopens: boolean }
  | Extract<CanResult, { ok: false }>;

export interface NextStep {
  to: Stage;
  trigger: Trigger;
  /** roles that may make the move by hand (empty for automatic moves) */
  roles: Role[];
  /** true when this caller could make the move now */
  allowed: boolean;
  /** whether the caller's role may make it at all */
  roleAllowed: boolean;
  unmet: UnmetCondition[];
  /** the move sends an agreed text back to be changed: what was given for it (clearances, signatures) becomes void */
  reopens: boolean;
}

/**
 * Whether the instrument binds a party foreign to Indonesia: another state, an international
 * organisation, or any party of another country. A state party with no country is taken as foreign
 * (Indonesia is always given as ID).
 */
export function bindsForeignParty(parties: readonly PartyScope[]): boolean {
  return parties.some((p) => p.kind === 'organisation' || (p.country ? p.country.toUpperCase() !== 'ID' : p.kind === 'state'));
}

/**
 * The stage table an agreement follows. The law, not the name, decides (UU 24/2000 governs
 * agreements with foreign subjects of international law): an MoU between two Indonesian
 * institutions (Kemlu and LPSK) follows the domestic path, with no foreign negotiation or
 * ratification, and an instrument binding a foreign party follows the international one whatever
 * it is called. A guideline is internal whoever signs it.
 */
export function tableFor(subject: WorkflowSubject): StageTable {
  const usual = TABLES[subject.type];
  if (!usual) throw new Error(`No stage table for instrument type '${subject.type}'`);
  if (subject.type === 'guideline' || !subject.parties) return usual;
  return bindsForeignParty(subject.parties) ? INTERNATIONAL : COOPERATION_AGREEMENT;
}

/** Which path an agreement follows, as the API names it. */
export function workflowOf(subject: WorkflowSubject): 'international' | 'domestic' | 'guideline' {
  const table = tableFor(subject);
  return table === INTERNATIONAL ? 'international' : table === GUIDELINE ? 'guideline' : 'domestic';
}

/** Service-level days for a stage; undefined when the stage has no deadline. */
export function slaDays(subject: WorkflowSubject, stage: Stage): number | undefined {
  return tableFor(subject).slaDays[stage];
}

/** The rules leaving the current stage; from on_hold only the resume to the stage it left counts. */
export function rulesFrom(state: WorkflowState): TransitionRule[] {
  return tableFor(state).transitions.filter((r) => {
    if (r.from !== state.stage) return false;
    if (state.stage === 'on_hold' && r.to !== 'abandoned') return r.to === state.previousStage;
    return true;
  });
}

/** The guards a move to `to` may check (those of every rule from the current stage to it). */
export function guardsOfMove(state: WorkflowState, to: Stage): GuardId[] {
  return [...new Set(rulesFrom(state).filter((r) => r.to === to).flatMap((r) => r.guards))];
}

const refuse = (reason: RefusalReason, message: Bilingual, unmet: UnmetCondition[] = []) => ({ ok: false as const, reason, message, unmet });

/** Whether the move is possible, checking in order: the table, the trigger, the role, the guards. */
export function can(state: WorkflowState, request: MoveRequest, facts: AgreementFacts): CanResult {
  const trigger = request.trigger ?? 'manual';
  const candidates = rulesFrom(state).filter((r) => r.to === request.to);
  if (candidates.length === 0) {
    return refuse('not_allowed', {
      id: `Tidak dapat berpindah dari '${state.stage}' ke '${request.to}'`,
      en: `Cannot move from '${state.stage}' to '${request.to}'`,
    });
  }
  const rule = candidates.find((r) => r.trigger === trigger);
  if (!rule) {
    return refuse('automatic_only', {
      id: `Tahap '${request.to}' hanya dicapai melalui ${candidates[0].trigger === 'signature' ? 'pencatatan tanda tangan' : 'perjanjian pengganti'}`,
      en: `'${request.to}' is reached only by ${candidates[0].trigger === 'signature' ? 'recording signatures' : 'a superseding instrument entering into force'}`,
    });
  }
  if (rule.trigger === 'manual' && !rule.roles.includes(request.role)) {
    return refuse('forbidden', {
      id: `Peran '${request.role}' tidak berwenang memindahkan ke '${request.to}'`,
      en: `Role '${request.role}' may not move to '${request.to}'`,
    });
  }
  const unmet = unmetConditions(rule.guards, facts);
  if (unmet.length > 0) {
    return refuse('guards', { id: 'Syarat belum terpenuhi', en: 'Conditions are not met' }, unmet);
  }
  return { ok: true, rule };
}

/** The state after the move (pure): on_hold remembers where it came from; leaving it forgets. */
export function transition(state: WorkflowState, request: MoveRequest, facts: AgreementFacts): TransitionResult {
  const result = can(state, request, facts);
  if (!result.ok) return result;
  const previousStage = request.to === 'on_hold' ? state.stage : null;
  return { ok: true, from: state.stage, to: request.to, previousStage, rule: result.rule, reopens: reopens(state, request.to) };
}

/** Whether moving to `to` takes an agreed text back to be changed (see reopenFrom in the tables). */
const reopens = (state: WorkflowState, to: Stage) => to === reopenStage(state) && needsReopenForTextChange(state, state.stage);

/** Every move out of the current stage, with what the caller lacks for each. */
export function nextSteps(state: WorkflowState, role: Role, facts: AgreementFacts): NextStep[] {
  return rulesFrom(state).map((rule) => {
    const roleAllowed = rule.trigger === 'manual' && rule.roles.includes(role);
    const unmet = unmetConditions(rule.guards, facts);
    return {
      to: rule.to,
      trigger: rule.trigger,
      roles: [...rule.roles],
      allowed: roleAllowed && unmet.length === 0,
      roleAllowed,
      unmet,
      reopens: reopens(state, rule.to),
    };
  });
}

/** Where recording one more signature leads: the complete stage, the partial one, or nowhere new. */
export function stageAfterSignature(subject: WorkflowSubject, current: Stage, allSigned: boolean): Stage {
  const { onSignature } = tableFor(subject);
  if (allSigned) return onSignature.complete;
  return onSignature.partial && current !== onSignature.partial ? onSignature.partial : current;
}

export const isTextLocked = (subject: WorkflowSubject, stage: Stage) => tableFor(subject).textLocked.includes(stage);
export const needsReopenForTextChange = (subject: WorkflowSubject, stage: Stage) => tableFor(subject).reopenFrom.includes(stage);
export const canRecordSignature = (subject: WorkflowSubject, stage: Stage) => tableFor(subject).signingStages.includes(stage);
export const reopenStage = (subject: WorkflowSubject) => tableFor(subject).reopenStage;
export const isPreSigning = (subject: WorkflowSubject, stage: Stage) => tableFor(subject).preSigning.includes(stage);
/** Whether `stage` (or, on hold, the stage it left) exists on the subject's path. */
export const hasStage = (subject: WorkflowSubject, stage: Stage) => ['on_hold', 'abandoned'].includes(stage) || tableFor(subject).stages.includes(stage);
