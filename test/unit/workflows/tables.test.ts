import { expect } from 'chai';
import { can, INSTRUMENT_TYPES, TABLES, tableFor, slaDays, transition, type GuardId, type Stage, type StageTable, type TransitionRule, type Trigger } from '../../../workflows/index.js';
import { readyFacts, withStatuses } from './facts.js';

/**
 * Every row of every stage table, written out here rather than read from the table under test:
 * a row lost, added or changed in workflows/tables.ts fails this file. Read as
 * `from → to (trigger) [guards]`; no trigger means a manual move.
 */
const ROWS: Record<StageTable['name'], string[]> = {
  international: [
    'drafting → interagency_consultation',
    'drafting → negotiation',
    'interagency_consultation → drafting',
    'interagency_consultation → negotiation',
    'negotiation → drafting',
    'negotiation → legal_review',
    'legal_review → negotiation',
    'legal_review → text_agreed [final_texts]',
    'text_agreed → awaiting_signature [final_texts, signatories]',
    'text_agreed → negotiation',
    'awaiting_signature → negotiation',
    'partially_signed → negotiation',
    'awaiting_signature → partially_signed (signature) [some_party_signed]',
    'awaiting_signature → signed (signature) [all_parties_signed, full_powers]',
    'partially_signed → signed (signature) [all_parties_signed, full_powers]',
    'signed → pending_ratification',
    'signed → in_force [entry_into_force, signed_copy]',
    'pending_ratification → in_force [entry_into_force, signed_copy, ratification_instrument]',
    'in_force → expired [term_ended]',
    'in_force → terminated',
    'in_force → superseded (link)',
    'drafting → on_hold',
    'on_hold → drafting',
    'drafting → abandoned',
    'interagency_consultation → on_hold',
    'on_hold → interagency_consultation',
    'interagency_consultation → abandoned',
    'negotiation → on_hold',
    'on_hold → negotiation',
    'negotiation → abandoned',
    'legal_review → on_hold',
    'on_hold → legal_review',
    'legal_review → abandoned',
    'text_agreed → on_hold',
    'on_hold → text_agreed',
    'text_agreed → abandoned',
    'awaiting_signature → on_hold',
    'on_hold → awaiting_signature',
    'awaiting_signature → abandoned',
    'partially_signed → on_hold',
    'on_hold → partially_signed',
    'on_hold → abandoned [no_signature_recorded]',
  ],
  cooperation_agreement: [
    'drafting → interagency_consultation',
    'interagency_consultation → drafting',
    'interagency_consultation → legal_review',
    'legal_review → drafting',
    'legal_review → text_agreed [final_texts]',
    'text_agreed → awaiting_signature [final_texts, signatories]',
    'text_agreed → drafting',
    'awaiting_signature → drafting',
    'partially_signed → drafting',
    'awaiting_signature → partially_signed (signature) [some_party_signed]',
    'awaiting_signature → signed (signature) [all_parties_signed, full_powers]',
    'partially_signed → signed (signature) [all_parties_signed, full_powers]',
    'signed → in_force [entry_into_force, signed_copy]',
    'in_force → expired [term_ended]',
    'in_force → terminated',
    'in_force → superseded (link)',
    'drafting → on_hold',
    'on_hold → drafting',
    'drafting → abandoned',
    'interagency_consultation → on_hold',
    'on_hold → interagency_consultation',
    'interagency_consultation → abandoned',
    'legal_review → on_hold',
    'on_hold → legal_review',
    'legal_review → abandoned',
    'text_agreed → on_hold',
    'on_hold → text_agreed',
    'text_agreed → abandoned',
    'awaiting_signature → on_hold',
    'on_hold → awaiting_signature',
    'awaiting_signature → abandoned',
    'partially_signed → on_hold',
    'on_hold → partially_signed',
    'on_hold → abandoned [no_signature_recorded]',
  ],
  guideline: [
    'drafting → legal_review',
    'legal_review → drafting',
    'legal_review → awaiting_signature [final_texts, signatories]',
    'awaiting_signature → drafting',
    'awaiting_signature → in_force (signature) [all_parties_signed, full_powers, entry_into_force]',
    'in_force → terminated',
    'in_force → superseded (link)',
    'drafting → on_hold',
    'on_hold → drafting',
    'drafting → abandoned',
    'legal_review → on_hold',
    'on_hold → legal_review',
    'legal_review → abandoned',
    'awaiting_signature → on_hold',
    'on_hold → awaiting_signature',
    'awaiting_signature → abandoned',
    'on_hold → abandoned [no_signature_recorded]',
  ],
};

/** Who may move a stage by hand, written out: drafters, and admins who may do everything. */
const MOVERS = ['admin', 'drafter'];

function rowText(rule: TransitionRule): string {
  const trigger = rule.trigger === 'manual' ? '' : ` (${rule.trigger})`;
  const guards = rule.guards.length ? ` [${rule.guards.join(', ')}]` : '';
  return `${rule.from} → ${rule.to}${trigger}${guards}`;
}

function parseRow(row: string): { from: Stage; to: Stage; trigger: Trigger; guards: GuardId[] } {
  const m = /^(\w+) → (\w+)(?: \((\w+)\))?(?: \[([\w, ]+)\])?$/.exec(row);
  if (!m) throw new Error(`unreadable row: ${row}`);
  return { from: m[1] as Stage, to: m[2] as Stage, trigger: (m[3] ?? 'manual') as Trigger, guards: (m[4]?.split(', ') ?? []) as GuardId[] };
}

/** Facts that satisfy the guards of a row, so each row can be exercised on its own. */
function factsFor(guards: readonly string[]) {
  if (guards.includes('some_party_signed')) return withStatuses(readyFacts(), 'signed', 'pending');
  if (guards.includes('all_parties_signed')) return withStatuses(readyFacts(), 'signed', 'signed');
  return readyFacts();
}

const tables = new Set<StageTable>(Object.values(TABLES));

describe('workflows: stage tables', () => {
  for (const table of tables) {
    describe(`table ${table.name}`, () => {
      const type = INSTRUMENT_TYPES.find((t) => TABLES[t] === table)!;

      it('when its rows are read, then they are exactly the rows written out here', () => {
        expect(table.transitions.map(rowText)).to.have.members(ROWS[table.name]);
        expect(table.transitions).to.have.length(ROWS[table.name].length);
      });

      it('when a row is manual, then drafters and admins, and only they, may take it', () => {
        for (const rule of table.transitions.filter((r) => r.trigger === 'manual')) expect([...rule.roles], rowText(rule)).to.have.members(MOVERS);
      });

      for (const row of ROWS[table.name]) {
        const rule = parseRow(row);
        const state = { type, stage: rule.from, previousStage: rule.from === 'on_hold' && rule.to !== 'abandoned' ? rule.to : ('drafting' as Stage) };
        it(`when ${row} is requested by its trigger with its guards met, then the engine allows it`, () => {
          const role = rule.trigger === 'manual' ? 'drafter' : 'signatory';
          const result = transition(state, { to: rule.to, role, trigger: rule.trigger }, factsFor(rule.guards));
          expect(result.ok, JSON.stringify(result)).to.equal(true);
          if (result.ok) expect(result.to).to.equal(rule.to);
        });

        if (rule.trigger === 'manual') {
          it(`when a diplomat asks for ${rule.from} → ${rule.to}, then the role is refused`, () => {
            const result = can(state, { to: rule.to, role: 'diplomat' }, factsFor(rule.guards));
            expect(result.ok).to.equal(false);
            if (!result.ok) expect(result.reason).to.equal('forbidden');
          });
        } else {
          it(`when a drafter asks for ${rule.from} → ${rule.to} by hand, then it is refused as automatic only`, () => {
            const result = can(state, { to: rule.to, role: 'drafter' }, factsFor(rule.guards));
            expect(result.ok).to.equal(false);
            if (!result.ok) expect(result.reason).to.equal('automatic_only');
          });
        }
      }

      it('when every stage of the table is listed, then each transition starts and ends on a known stage', () => {
        const known = new Set<Stage>([...table.stages, 'on_hold', 'abandoned']);
        for (const rule of table.transitions) {
          expect(known.has(rule.from), rule.from).to.equal(true);
          expect(known.has(rule.to), rule.to).to.equal(true);
        }
      });

      it('when a stage is terminal (expired, terminated, superseded, abandoned), then nothing leaves it', () => {
        for (const terminal of ['expired', 'terminated', 'superseded', 'abandoned'] as Stage[]) {
          expect(table.transitions.filter((r) => r.from === terminal)).to.have.length(0);
        }
      });

      it('when signed or partially_signed is a target, then only signatures reach it (a resume from on_hold aside)', () => {
        const targets = table.transitions.filter((r) => (r.to === 'signed' || r.to === 'partially_signed') && r.from !== 'on_hold');
        for (const rule of targets) expect(rule.trigger).to.equal('signature');
      });
    });
  }

  it('when mou, agreement and technical_arrangement are looked up, then they share the international table', () => {
    expect(tableFor({ type: 'mou' })).to.equal(tableFor({ type: 'agreement' }));
    expect(tableFor({ type: 'technical_arrangement' }).name).to.equal('international');
    expect(tableFor({ type: 'cooperation_agreement' }).name).to.equal('cooperation_agreement');
    expect(tableFor({ type: 'guideline' }).name).to.equal('guideline');
  });

  it('when the PKS table is read, then it has no negotiation and no ratification', () => {
    const stages = TABLES.cooperation_agreement.transitions.flatMap((r) => [r.from, r.to]);
    expect(stages).to.not.include('negotiation');
    expect(stages).to.not.include('pending_ratification');
  });

  it('when service-level days are asked for, then active stages have days and terminal or side states none', () => {
    expect(slaDays({ type: 'mou' }, 'negotiation')).to.equal(90);
    expect(slaDays({ type: 'cooperation_agreement' }, 'legal_review')).to.equal(21);
    expect(slaDays({ type: 'guideline' }, 'awaiting_signature')).to.equal(14);
    expect(slaDays({ type: 'mou' }, 'in_force')).to.equal(undefined);
    expect(slaDays({ type: 'mou' }, 'on_hold')).to.equal(undefined);
    expect(slaDays({ type: 'guideline' }, 'negotiation')).to.equal(undefined);
  });
});
