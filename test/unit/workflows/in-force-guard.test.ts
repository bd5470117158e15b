import { expect } from 'chai';
import { can, nextSteps, type InstrumentType, type Stage } from '../../../workflows/index.js';
import { readyFacts, withStatuses } from './facts.js';

const signedBoth = (overrides: Parameters<typeof readyFacts>[0] = {}) => withStatuses(readyFacts(overrides), 'signed', 'signed');

describe('workflows: entering into force needs a signed copy', () => {
  const manualMoves: Array<[InstrumentType, Stage]> = [
    ['mou', 'signed'],
    ['technical_arrangement', 'pending_ratification'],
    ['cooperation_agreement', 'signed'],
  ];

  for (const [type, from] of manualMoves) {
    it(`when a ${type} at ${from} has no signed copy, then in_force is refused naming the signed_copy guard in both languages`, () => {
      const result = can({ type, stage: from }, { to: 'in_force', role: 'drafter' }, signedBoth({ hasSignedCopy: false }));
      expect(result.ok).to.equal(false);
      if (result.ok) return;
      expect(result.reason).to.equal('guards');
      expect(result.unmet.map((u) => u.guard)).to.deep.equal(['signed_copy']);
      expect(result.unmet[0].message.en).to.match(/signed copy/);
      expect(result.unmet[0].message.id).to.match(/ditandatangani/);
    });

    it(`when a ${type} at ${from} has its signed copy and entry-into-force facts, then in_force is allowed`, () => {
      expect(can({ type, stage: from }, { to: 'in_force', role: 'drafter' }, signedBoth()).ok).to.equal(true);
    });
  }

  it('when both the signed copy and the entry-into-force basis are missing, then both are listed at once', () => {
    const result = can({ type: 'mou', stage: 'signed' }, { to: 'in_force', role: 'admin' }, signedBoth({ hasSignedCopy: false, entryIntoForce: { date: '2022-04-01' } }));
    expect(result.ok).to.equal(false);
    if (!result.ok) expect(result.unmet.map((u) => u.guard)).to.deep.equal(['entry_into_force', 'signed_copy']);
  });

  it('when the next steps of a signed agreement without a signed copy are listed, then in_force shows what is missing', () => {
    const steps = nextSteps({ type: 'mou', stage: 'signed' }, 'drafter', signedBoth({ hasSignedCopy: false }));
    const inForce = steps.find((s) => s.to === 'in_force')!;
    expect(inForce).to.deep.include({ allowed: false, roleAllowed: true });
    expect(inForce.unmet.map((u) => u.guard)).to.deep.equal(['signed_copy']);
    expect(steps.find((s) => s.to === 'pending_ratification')!.allowed).to.equal(true);
  });

  it('when the minister signs a guideline that has no signed copy yet, then the signature still puts it in force', () => {
    const facts = withStatuses(readyFacts({ hasSignedCopy: false }), 'signed');
    const result = can({ type: 'guideline', stage: 'awaiting_signature' }, { to: 'in_force', role: 'signatory', trigger: 'signature' }, facts);
    expect(result.ok).to.equal(true);
  });
});
