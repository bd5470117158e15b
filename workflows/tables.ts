import { PERMISSIONS } from './permissions.js';
import type { GuardId, InstrumentType, Stage, StageTable, TransitionRule, Trigger } from './types.js';

const manual = (from: Stage, to: Stage, guards: GuardId[] = []): TransitionRule => ({ from, to, roles: PERMISSIONS.moveStage.roles, guards, trigger: 'manual' });
const automatic = (from: Stage, to: Stage, trigger: Exclude<Trigger, 'manual'>, guards: GuardId[]): TransitionRule => ({
  from,
  to,
  roles: [],
  guards,
  trigger,
});

/**
 * on_hold may be entered from every stage before signing and resumes to the stage it left
 * (the engine keeps only the resume rule matching previousStage); abandoned is terminal and
 * allowed only while nothing is signed.
 */
function sideStates(preSigning: readonly Stage[]): TransitionRule[] {
  const rules: TransitionRule[] = [];
  for (const stage of preSigning) {
    rules.push(manual(stage, 'on_hold'), manual('on_hold', stage));
    if (stage !== 'partially_signed') rules.push(manual(stage, 'abandoned'));
  }
  rules.push(manual('on_hold', 'abandoned', ['no_signature_recorded']));
  return rules;
}

/**
 * Entering into force is a decision taken after signing, on the record: the dates and basis, and
 * the signed text itself. (A guideline enters into force by its signature alone: see GUIDELINE.)
 */
const IN_FORCE_GUARDS: GuardId[] = ['entry_into_force', 'signed_copy'];

/**
 * Every signature needs its signatory's full powers on file where they are required
 * (recordSignature checks the signing party; the complete move checks them all, which is also
 * what the next steps show while signing is open).
 */
const SIGNING_GUARDS = {
  partial: ['some_party_signed'] as GuardId[],
  complete: ['all_parties_signed', 'full_powers'] as GuardId[],
};

/** Signatures, not people, move an agreement through signing: the same rows in every table that signs party by party. */
const SIGNING_TRANSITIONS = [
    automatic('awaiting_signature', 'partially_signed', 'signature', SIGNING_GUARDS.partial),
    automatic('awaiting_signature', 'signed', 'signature', SIGNING_GUARDS.complete),
    automatic('partially_signed', 'signed', 'signature', SIGNING_GUARDS.complete),
];

const INTERNATIONAL_PRE_SIGNING: Stage[] = [
  'drafting',
  'interagency_consultation',
  'negotiation',
  'legal_review',
  'text_agreed',
  'awaiting_signature',
  'partially_signed',
];

/** MoU, agreement and technical arrangement: negotiated with a foreign state, may need ratification. */
export const INTERNATIONAL: StageTable = {
  name: 'international',
  stages: [...INTERNATIONAL_PRE_SIGNING, 'signed', 'pending_ratification', 'in_force', 'expired', 'terminated', 'superseded'],
  slaDays: {
    drafting: 30,
    interagency_consultation: 30,
    negotiation: 90,
    legal_review: 30,
    text_agreed: 30,
    awaiting_signature: 30,
    partially_signed: 30,
    signed: 90,
    pending_ratification: 365,
  },
  transitions: [
    manual('drafting', 'interagency_consultation'),
    manual('drafting', 'negotiation'),
    manual('interagency_consultation', 'drafting'),
    manual('interagency_consultation', 'negotiation'),
    manual('negotiation', 'drafting'),
    manual('negotiation', 'legal_review'),
    manual('legal_review', 'negotiation'),
    manual('legal_review', 'text_agreed', ['final_texts']),
    manual('text_agreed', 'awaiting_signature', ['final_texts', 'signatories']),
    manual('text_agreed', 'negotiation'),
    manual('awaiting_signature', 'negotiation'),
    manual('partially_signed', 'negotiation'),
    ...SIGNING_TRANSITIONS,
    manual('signed', 'pending_ratification'),
    manual('signed', 'in_force', IN_FORCE_GUARDS),
    // Leaving pending_ratification means the law or presidential regulation exists: it is recorded with the move.
    manual('pending_ratification', 'in_force', [...IN_FORCE_GUARDS, 'ratification_instrument']),
    manual('in_force', 'expired', ['term_ended']),
    manual('in_force', 'terminated'),
    automatic('in_force', 'superseded', 'link', []),
    ...sideStates(INTERNATIONAL_PRE_SIGNING),
  ],
  preSigning: INTERNATIONAL_PRE_SIGNING,
  reopenStage: 'negotiation',
  reopenFrom: ['text_agreed', 'awaiting_signature', 'partially_signed'],
  textLocked: ['signed', 'pending_ratification', 'in_force', 'expired', 'terminated', 'superseded'],
  onSignature: { partial: 'partially_signed', complete: 'signed' },
  signingStages: ['awaiting_signature', 'partially_signed'],
};

const PKS_PRE_SIGNING: Stage[] = ['drafting', 'interagency_consultation', 'legal_review', 'text_agreed', 'awaiting_signature', 'partially_signed'];

/** PKS between domestic agencies: no foreign negotiation, no ratification. */
export const COOPERATION_AGREEMENT: StageTable = {
  name: 'cooperation_agreement',
  stages: [...PKS_PRE_SIGNING, 'signed', 'in_force', 'expired', 'terminated', 'superseded'],
  slaDays: {
    drafting: 30,
    interagency_consultation: 30,
    legal_review: 21,
    text_agreed: 14,
    awaiting_signature: 21,
    partially_signed: 21,
    signed: 30,
  },
  transitions: [
    manual('drafting', 'interagency_consultation'),
    manual('interagency_consultation', 'drafting'),
    manual('interagency_consultation', 'legal_review'),
    manual('legal_review', 'drafting'),
    manual('legal_review', 'text_agreed', ['final_texts']),
    manual('text_agreed', 'awaiting_signature', ['final_texts', 'signatories']),
    manual('text_agreed', 'drafting'),
    manual('awaiting_signature', 'drafting'),
    manual('partially_signed', 'drafting'),
    ...SIGNING_TRANSITIONS,
    manual('signed', 'in_force', IN_FORCE_GUARDS),
    manual('in_force', 'expired', ['term_ended']),
    manual('in_force', 'terminated'),
    automatic('in_force', 'superseded', 'link', []),
    ...sideStates(PKS_PRE_SIGNING),
  ],
  preSigning: PKS_PRE_SIGNING,
  reopenStage: 'drafting',
  reopenFrom: ['text_agreed', 'awaiting_signature', 'partially_signed'],
  textLocked: ['signed', 'in_force', 'expired', 'terminated', 'superseded'],
  onSignature: { partial: 'partially_signed', complete: 'signed' },
  signingStages: ['awaiting_signature', 'partially_signed'],
};

const GUIDELINE_PRE_SIGNING: Stage[] = ['drafting', 'legal_review', 'awaiting_signature'];

/**
 * Internal guideline (Pedoman): in force once the minister signs it, so the last signature leads to
 * in_force. No signed-copy guard there: it would refuse the minister's own signature until a scan
 * of it had been uploaded, the wrong way round; the scan is uploaded afterwards (kind `signed`).
 */
export const GUIDELINE: StageTable = {
  name: 'guideline',
  stages: [...GUIDELINE_PRE_SIGNING, 'in_force', 'terminated', 'superseded'],
  slaDays: { drafting: 30, legal_review: 21, awaiting_signature: 14 },
  transitions: [
    manual('drafting', 'legal_review'),
    manual('legal_review', 'drafting'),
    manual('legal_review', 'awaiting_signature', ['final_texts', 'signatories']),
    manual('awaiting_signature', 'drafting'),
    automatic('awaiting_signature', 'in_force', 'signature', ['all_parties_signed', 'full_powers', 'entry_into_force']),
    manual('in_force', 'terminated'),
    automatic('in_force', 'superseded', 'link', []),
    ...sideStates(GUIDELINE_PRE_SIGNING),
  ],
  preSigning: GUIDELINE_PRE_SIGNING,
  reopenStage: 'drafting',
  reopenFrom: ['awaiting_signature'],
  textLocked: ['in_force', 'terminated', 'superseded'],
  onSignature: { partial: null, complete: 'in_force' },
  signingStages: ['awaiting_signature'],
};

export const TABLES: Record<InstrumentType, StageTable> = {
  mou: INTERNATIONAL,
  agreement: INTERNATIONAL,
  technical_arrangement: INTERNATIONAL,
  cooperation_agreement: COOPERATION_AGREEMENT,
  guideline: GUIDELINE,
};
