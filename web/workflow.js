// The stages shown on the timeline, per instrument type: the main path from drafting to in force.
// The server's tables (workflows/tables.ts) stay the authority on which moves are allowed; this
// only draws the road. test/integration/web.test.ts checks it against those tables.

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
];

export const TYPES = ['mou', 'agreement', 'technical_arrangement', 'cooperation_agreement', 'guideline'];

/**
 * Where a life ends after in force: the timeline draws the whole path done and the ending beside
 * it. (abandoned, before signing, is drawn like on_hold: from the path stage it left.)
 */
export const ENDINGS = ['expired', 'terminated', 'superseded'];

const INTERNATIONAL = [
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
];

const DOMESTIC = ['drafting', 'interagency_consultation', 'legal_review', 'text_agreed', 'awaiting_signature', 'partially_signed', 'signed', 'in_force'];

/** By type, and by the path the API names (`workflow`), which wins: a domestic MoU takes the domestic road. */
export const PATHS = {
  international: INTERNATIONAL,
  domestic: DOMESTIC,
  mou: INTERNATIONAL,
  agreement: INTERNATIONAL,
  technical_arrangement: INTERNATIONAL,
  cooperation_agreement: DOMESTIC,
  guideline: ['drafting', 'legal_review', 'awaiting_signature', 'in_force'],
};

/**
 * Where a text change or a refusal to sign sends an agreement back, by the path the API names
 * (`workflow`): a treaty to negotiation, a PKS or a guideline, which have none, to drafting.
 * test/integration/web.test.ts checks it against the tables' reopenStage.
 */
export const REOPEN_STAGE = { international: 'negotiation', domestic: 'drafting', guideline: 'drafting' };

/**
 * The timeline as a list of { stage, state }: done | skipped | current | todo on the path, and
 * `left` for the path stage an agreement on hold or abandoned stood in (`lastPathStage`:
 * previousStage, or the history's last stage before it). A stage off the path is added at the end
 * as current. With `visited` (the stages the history shows it in), a stage passed over without
 * being entered, e.g. pending_ratification for an MoU in force on signature, is `skipped`.
 */
export function timeline(type, stage, lastPathStage, visited) {
  const path = PATHS[type] ?? INTERNATIONAL;
  const seen = visited ? new Set(visited) : null;
  const past = (s) => (seen && !seen.has(s) ? 'skipped' : 'done');
  if (path.includes(stage)) {
    const at = path.indexOf(stage);
    return path.map((s, i) => ({ stage: s, state: i < at ? past(s) : i === at ? 'current' : 'todo' }));
  }
  const ended = ENDINGS.includes(stage);
  const at = ended ? path.length : path.indexOf(lastPathStage);
  const items = path.map((s, i) => ({ stage: s, state: i < at ? past(s) : i === at ? 'left' : 'todo' }));
  return [...items, { stage, state: 'current', side: true }];
}
