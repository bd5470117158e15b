import type { Role } from './permissions.js';

/** Every stage an agreement can be in, across all instrument types. */
export const STAGES = [
  'drafting',
  'interagency_consultation',
  'negotiation',
  'legal_review',
  'text_agreed',
  'awaiting_signature',
  'partially_signed',
  'signed',
  'pending_ratification',
  'in_force',
  'expired',
  'terminated',
  'superseded',
  'on_hold',
  'abandoned',
] as const;
export type Stage = (typeof STAGES)[number];

export const INSTRUMENT_TYPES = ['mou', 'agreement', 'technical_arrangement', 'cooperation_agreement', 'guideline'] as const;
export type InstrumentType = (typeof INSTRUMENT_TYPES)[number];

/** A message people read: Indonesian first, English second. */
export interface Bilingual {
  id: string;
  en: string;
}

/**
 * What the guards read. Built by domain/agreements/agreement-facts.ts from the stored agreement
 * and its uploaded documents, so the engine never touches a database.
 */
export interface AgreementFacts {
  authenticLanguages: string[];
  /** languages for which a final text has been uploaded */
  finalTextLanguages: string[];
  parties: Array<{
    id: string;
    name: string;
    hasSignatory: boolean;
    status: string;
    /** its signatory needs full powers (Surat Kuasa) to sign */
    fullPowersRequired?: boolean;
    /** a full-powers letter for it is on file */
    hasFullPowers?: boolean;
  }>;
  entryIntoForce?: { date?: Date | string | null; basis?: string | null } | null;
  /** the day it was signed, by the calendar of Jakarta (YYYY-MM-DD), once signed */
  signedOn?: string | null;
  /** the day its term ends, by the calendar of Jakarta (YYYY-MM-DD), when one is recorded */
  termEndsOn?: string | null;
  /** today, by the calendar of Jakarta (YYYY-MM-DD): the guards that compare with it pass without it */
  today?: string | null;
  /** the stage an on_hold agreement left */
  previousStage?: Stage | null;
  /** whether a signed copy (scan of the signed text) has been uploaded */
  hasSignedCopy: boolean;
  /** the law or presidential regulation that ratified it */
  ratification?: { kind?: string | null; number?: string | null; date?: Date | string | null } | null;
}

export type GuardId =
  | 'final_texts'
  | 'signatories'
  | 'entry_into_force'
  | 'signed_copy'
  | 'some_party_signed'
  | 'all_parties_signed'
  | 'no_signature_recorded'
  | 'full_powers'
  | 'ratification_instrument'
  | 'term_ended';

export interface UnmetCondition {
  guard: GuardId;
  message: Bilingual;
  details?: Record<string, unknown>;
}

export interface Guard {
  id: GuardId;
  /** returns the unmet condition, or undefined when the guard holds */
  check(facts: AgreementFacts): UnmetCondition | undefined;
}

/**
 * How a move may be started: `manual` by a person through POST .../transitions; `signature` only
 * by recording signatures; `link` only when a newer linked instrument enters into force.
 */
export type Trigger = 'manual' | 'signature' | 'link';

export interface TransitionRule {
  from: Stage;
  to: Stage;
  roles: readonly Role[];
  guards: readonly GuardId[];
  trigger: Trigger;
}

export interface StageTable {
  name: 'international' | 'cooperation_agreement' | 'guideline';
  /** stages of the main line, in order (side states excluded) */
  stages: readonly Stage[];
  /** service-level days each stage should take; stages not listed have no deadline */
  slaDays: Partial<Record<Stage, number>>;
  transitions: readonly TransitionRule[];
  /** stages from which on_hold and abandoned may be entered (before signing) */
  preSigning: readonly Stage[];
  /** where a text change after text_agreed sends the agreement */
  reopenStage: Stage;
  /** stages where a text change means reopening (text agreed but not signed yet) */
  reopenFrom: readonly Stage[];
  /** stages from which the text never changes again */
  textLocked: readonly Stage[];
  /** where recording signatures leads: after the first of several, and after the last */
  onSignature: { partial: Stage | null; complete: Stage };
  /** stages in which signatures may be recorded */
  signingStages: readonly Stage[];
}
