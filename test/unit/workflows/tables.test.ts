import { expect } from 'chai';
import { can, INSTRUMENT_TYPES, TABLES, tableFor, slaDays, transition, type Stage, type StageTable } from '../../../workflows/index.js';
import { readyFacts, withStatuses } from './facts.js';

/** Facts that satisfy the guards of a rule, so each row can be exercised on its own. */
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

      for (const rule of table.transitions) {
        const state = { type, stage: rule.from, previousStage: rule.from === 'on_hold' && rule.to !== 'abandoned' ? rule.to : ('drafting' as Stage) };
        it(`when ${rule.from} → ${rule.to} is requested by its trigger (${rule.trigger}) with its guards met, then it is allowed`, () => {
          const role = rule.trigger === 'manual' ? rule.roles[0] : 'signatory';
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
