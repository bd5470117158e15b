import { expect } from 'chai';
import { GUARDS, guardsOfMove, TABLES, UPLOAD_GUARDS, type GuardId } from '../../../workflows/index.js';
import { readyFacts, withFullPowers, withStatuses } from './facts.js';
import type { AgreementFacts } from '../../../workflows/index.js';

/** What a transition sees when it skips the uploads: none of them. */
const withoutUploads = (f: AgreementFacts): AgreementFacts => ({
  ...f,
  finalTextLanguages: [],
  hasSignedCopy: false,
  parties: f.parties.map((p) => ({ ...p, hasFullPowers: false })),
});

describe('workflows: which guards read the uploads', () => {
  it('when a guard answers differently without the uploads, then it is listed in UPLOAD_GUARDS (so a move never skips facts it needs), and UPLOAD_GUARDS lists no other', () => {
    const variants = [readyFacts(), withStatuses(readyFacts(), 'signed', 'pending'), withStatuses(readyFacts(), 'signed', 'signed'), withFullPowers(readyFacts())];
    const found = new Set<GuardId>();
    for (const id of Object.keys(GUARDS) as GuardId[]) {
      const readsUploads = variants.some((f) => JSON.stringify(GUARDS[id].check(f)) !== JSON.stringify(GUARDS[id].check(withoutUploads(f))));
      if (readsUploads) expect(UPLOAD_GUARDS.has(id), id).to.equal(true);
      if (readsUploads) found.add(id);
    }
    // Both directions: a listed guard that does not read the uploads would only make moves read them for nothing.
    expect([...found].sort()).to.deep.equal([...UPLOAD_GUARDS].sort());
  });

  it('when the guards of a move are asked for, then they are those of every rule from the stage to the target', () => {
    for (const [type, table] of Object.entries(TABLES) as Array<[keyof typeof TABLES, (typeof TABLES)[keyof typeof TABLES]]>) {
      for (const rule of table.transitions) {
        const guards = guardsOfMove({ type, stage: rule.from, previousStage: rule.from === 'on_hold' ? rule.to : null }, rule.to);
        expect(guards, `${type} ${rule.from} → ${rule.to}`).to.include.members(rule.guards);
      }
    }
    expect(guardsOfMove({ type: 'mou', stage: 'legal_review' }, 'text_agreed')).to.include('final_texts');
    expect(guardsOfMove({ type: 'mou', stage: 'drafting' }, 'interagency_consultation').some((g) => UPLOAD_GUARDS.has(g))).to.equal(false);
  });
});
