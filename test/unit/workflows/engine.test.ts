import { expect } from 'chai';
import { can, nextSteps, stageAfterSignature, transition, isTextLocked, type Stage, type WorkflowState } from '../../../workflows/index.js';
import { readyFacts, withStatuses } from './facts.js';

const mou = (stage: WorkflowState['stage'], previousStage: WorkflowState['previousStage'] = null): WorkflowState => ({ type: 'mou', stage, previousStage });

describe('workflows: engine', () => {
  describe('guards', () => {
    it('when a final text is missing for one authentic language, then leaving legal_review names that language', () => {
      const result = can(mou('legal_review'), { to: 'text_agreed', role: 'drafter' }, readyFacts({ authenticLanguages: ['id', 'en', 'ms'] }));
      expect(result.ok).to.equal(false);
      if (result.ok) return;
      expect(result.reason).to.equal('guards');
      expect(result.unmet.map((u) => u.guard)).to.deep.equal(['final_texts']);
      expect(result.unmet[0].details).to.deep.equal({ missingLanguages: ['ms'] });
      expect(result.unmet[0].message).to.deep.equal({ id: 'Naskah final belum ada dalam bahasa Melayu', en: 'No final text yet in Malay' });
    });

    it('when a party has no signatory, then awaiting_signature is refused naming the party', () => {
      const facts = readyFacts({ parties: [{ id: 'a', name: 'LPSK', hasSignatory: false, status: 'pending' }] });
      const result = can(mou('text_agreed'), { to: 'awaiting_signature', role: 'drafter' }, facts);
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.unmet[0].details).to.deep.equal({ parties: ['LPSK'] });
    });

    it('when the entry-into-force basis is missing, then in_force is refused listing what is missing', () => {
      const result = can(mou('signed'), { to: 'in_force', role: 'drafter' }, readyFacts({ entryIntoForce: { date: '2022-04-01' } }));
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.unmet[0]).to.include({ guard: 'entry_into_force' }).and.to.have.nested.property('details.missing').that.deep.equals(['basis']);
    });

    it('when the term has not run out, then expired is refused naming its last day; from that day on, or with no term recorded, it is allowed', () => {
      const result = can(mou('in_force'), { to: 'expired', role: 'drafter' }, readyFacts({ termEndsOn: '2027-04-01', today: '2027-03-31' }));
      expect(result.ok).to.equal(false);
      if (!result.ok) {
        expect(result.unmet.map((u) => u.guard)).to.deep.equal(['term_ended']);
        expect(result.unmet[0].message).to.deep.equal({
          id: 'Masa berlaku baru berakhir pada 1 April 2027: untuk mengakhiri perjanjian lebih awal, pindahkan ke tahap “Diakhiri”',
          en: 'The term runs until 1 April 2027: to end the agreement earlier, move it to “Terminated”',
        });
      }
      expect(can(mou('in_force'), { to: 'expired', role: 'drafter' }, readyFacts({ termEndsOn: '2027-04-01', today: '2027-04-01' })).ok).to.equal(true);
      expect(can(mou('in_force'), { to: 'expired', role: 'drafter' }, readyFacts({ termEndsOn: null, today: '2027-03-31' })).ok).to.equal(true);
      expect(can(mou('in_force'), { to: 'terminated', role: 'drafter' }, readyFacts({ termEndsOn: '2027-04-01', today: '2027-03-31' })).ok).to.equal(true);
    });

    it('when both date and basis are present, then pending_ratification may move to in_force', () => {
      expect(can(mou('pending_ratification'), { to: 'in_force', role: 'admin' }, readyFacts()).ok).to.equal(true);
    });

    it('when several guards fail, then all are listed at once', () => {
      const facts = readyFacts({ finalTextLanguages: [], parties: [{ id: 'a', name: 'X', hasSignatory: false, status: 'pending' }] });
      const result = can(mou('text_agreed'), { to: 'awaiting_signature', role: 'drafter' }, facts);
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.unmet.map((u) => u.guard)).to.deep.equal(['final_texts', 'signatories']);
    });
  });

  describe('table and roles', () => {
    it('when a move is not in the table, then it is refused as not_allowed', () => {
      const result = can(mou('drafting'), { to: 'in_force', role: 'admin' }, readyFacts());
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.reason).to.equal('not_allowed');
    });

    it('when a signatory or auditor asks for a manual move, then the role is refused', () => {
      for (const role of ['signatory', 'auditor', 'diplomat'] as const) {
        const result = can(mou('drafting'), { to: 'interagency_consultation', role }, readyFacts());
        expect(result.ok).to.equal(false);
        if (!result.ok) expect(result.reason).to.equal('forbidden');
      }
    });

    it('when a drafter asks for signed by hand, then only signatures may reach it', () => {
      const result = can(mou('partially_signed'), { to: 'signed', role: 'drafter' }, withStatuses(readyFacts(), 'signed', 'signed'));
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.reason).to.equal('automatic_only');
    });

    it('when the guideline table is used, then negotiation is not a stage it knows', () => {
      const result = can({ type: 'guideline', stage: 'drafting' }, { to: 'negotiation', role: 'drafter' }, readyFacts());
      expect(result.ok).to.equal(false);
    });
  });

  describe('on_hold and abandoned', () => {
    it('when an agreement goes on hold, then the new state remembers the stage it left', () => {
      const result = transition(mou('negotiation'), { to: 'on_hold', role: 'drafter' }, readyFacts());
      expect(result).to.include({ ok: true, from: 'negotiation', to: 'on_hold', previousStage: 'negotiation' });
    });

    it('when on hold, then it resumes only to the stage it left', () => {
      const held = mou('on_hold', 'negotiation');
      expect(can(held, { to: 'negotiation', role: 'drafter' }, readyFacts()).ok).to.equal(true);
      expect(can(held, { to: 'drafting', role: 'drafter' }, readyFacts()).ok).to.equal(false);
      const resumed = transition(held, { to: 'negotiation', role: 'drafter' }, readyFacts());
      expect(resumed).to.include({ ok: true, to: 'negotiation', previousStage: null });
    });

    it('when on hold, then the next steps are the resume and abandoned only', () => {
      const steps = nextSteps(mou('on_hold', 'legal_review'), 'drafter', readyFacts());
      expect(steps.map((s) => s.to).sort()).to.deep.equal(['abandoned', 'legal_review']);
    });

    it('when the agreement is signed or in force, then it cannot go on hold or be abandoned', () => {
      for (const stage of ['signed', 'pending_ratification', 'in_force'] as const) {
        expect(can(mou(stage), { to: 'on_hold', role: 'admin' }, readyFacts()).ok, stage).to.equal(false);
        expect(can(mou(stage), { to: 'abandoned', role: 'admin' }, readyFacts()).ok, stage).to.equal(false);
      }
    });

    it('when partially signed, then it may go on hold but not be abandoned', () => {
      const facts = withStatuses(readyFacts(), 'signed', 'pending');
      expect(can(mou('partially_signed'), { to: 'on_hold', role: 'drafter' }, facts).ok).to.equal(true);
      expect(can(mou('partially_signed'), { to: 'abandoned', role: 'drafter' }, facts).ok).to.equal(false);
    });

    it('when on hold after a signature was recorded, then abandoning is refused by a guard', () => {
      const result = can(mou('on_hold', 'partially_signed'), { to: 'abandoned', role: 'drafter' }, withStatuses(readyFacts(), 'signed', 'pending'));
      expect(result.ok).to.equal(false);
      if (!result.ok) expect(result.unmet.map((u) => u.guard)).to.deep.equal(['no_signature_recorded']);
    });

    it('when abandoned, then no move leaves it', () => {
      expect(nextSteps(mou('abandoned'), 'admin', readyFacts())).to.deep.equal([]);
    });
  });

  describe('next steps', () => {
    it('when a drafter looks at legal_review without final texts, then text_agreed is listed with its unmet guard', () => {
      const steps = nextSteps(mou('legal_review'), 'drafter', readyFacts({ finalTextLanguages: ['id'] }));
      const toText = steps.find((s) => s.to === 'text_agreed')!;
      expect(toText).to.include({ allowed: false, roleAllowed: true });
      expect(toText.unmet.map((u) => u.guard)).to.deep.equal(['final_texts']);
      expect(steps.find((s) => s.to === 'negotiation')).to.include({ allowed: true });
    });

    it('when a diplomat looks, then every step is listed as not allowed for the role', () => {
      const steps = nextSteps(mou('negotiation'), 'diplomat', readyFacts());
      expect(steps.length).to.be.greaterThan(0);
      expect(steps.every((s) => !s.allowed && !s.roleAllowed)).to.equal(true);
    });

    it('when the text is agreed or signing has begun, then only the way back to negotiation reopens it; before, going back reopens nothing', () => {
      const reopening = (stage: Stage) => nextSteps(mou(stage), 'drafter', readyFacts()).filter((s) => s.reopens).map((s) => s.to);
      expect(reopening('text_agreed')).to.deep.equal(['negotiation']);
      expect(reopening('awaiting_signature')).to.deep.equal(['negotiation']);
      expect(reopening('partially_signed')).to.deep.equal(['negotiation']);
      expect(reopening('legal_review')).to.deep.equal([]);
      expect(reopening('negotiation')).to.deep.equal([]);
      const moved = transition(mou('partially_signed'), { to: 'negotiation', role: 'drafter' }, readyFacts());
      expect(moved).to.include({ ok: true, reopens: true });
      expect(transition(mou('partially_signed'), { to: 'on_hold', role: 'drafter' }, readyFacts())).to.include({ ok: true, reopens: false });
    });

    it('when awaiting signature, then the automatic moves are listed with trigger signature', () => {
      const steps = nextSteps(mou('awaiting_signature'), 'drafter', readyFacts());
      expect(steps.filter((s) => s.trigger === 'signature').map((s) => s.to).sort()).to.deep.equal(['partially_signed', 'signed']);
    });
  });

  describe('signatures', () => {
    it('when the first of eight parties signs, then the agreement becomes partially_signed, and stays so until the last', () => {
      expect(stageAfterSignature({ type: 'cooperation_agreement' }, 'awaiting_signature', false)).to.equal('partially_signed');
      expect(stageAfterSignature({ type: 'cooperation_agreement' }, 'partially_signed', false)).to.equal('partially_signed');
      expect(stageAfterSignature({ type: 'cooperation_agreement' }, 'partially_signed', true)).to.equal('signed');
    });

    it('when the only party signs, then awaiting_signature goes straight to signed', () => {
      expect(stageAfterSignature({ type: 'mou' }, 'awaiting_signature', true)).to.equal('signed');
    });

    it('when the minister signs a guideline, then it enters into force', () => {
      expect(stageAfterSignature({ type: 'guideline' }, 'awaiting_signature', true)).to.equal('in_force');
      expect(stageAfterSignature({ type: 'guideline' }, 'awaiting_signature', false)).to.equal('awaiting_signature');
    });

    it('when signed or later, then the text is locked; before, it is not', () => {
      expect(isTextLocked({ type: 'mou' }, 'signed')).to.equal(true);
      expect(isTextLocked({ type: 'mou' }, 'in_force')).to.equal(true);
      expect(isTextLocked({ type: 'mou' }, 'negotiation')).to.equal(false);
      expect(isTextLocked({ type: 'guideline' }, 'in_force')).to.equal(true);
    });
  });
});
