import { expect } from 'chai';
import { Types } from 'mongoose';
import type { Actor } from '../../../domain/accounts/actor.js';
import { derivedFields, stageDueAt } from '../../../domain/agreements/derived-fields.js';
import { codeCountry } from '../../../domain/agreements/generate-code.js';
import { buildFilter, buildSort } from '../../../domain/agreements/list-agreements.js';
import { mergeParties } from '../../../domain/agreements/update-agreement.js';
import { reopenEffects } from '../../../domain/agreements/reopen-for-text-change.js';
import { authorisePartyAction } from '../../../domain/agreements/party-access.js';
import type { Party } from '../../../models/agreement.js';

const actor = (role: Actor['role'], unit = 'PWNI', email = `${role}@x.id`): Actor => ({ id: 'u', email, name: 'N', role, unit });
const party = (name: string, status: Party['status'] = 'pending', email?: string): Party => ({
  _id: new Types.ObjectId(),
  name,
  kind: 'state',
  status,
  ...(email ? { signatory: { name: 'S', email } } : {}),
});

describe('agreements: pure helpers', () => {
  it('when a stage has service-level days, then its due date is 17:00 Jakarta on that many working days after entry; side states have none', () => {
    // Sat 1 Jan 2022 07:00 WIB: counting starts Mon 3 Jan; 90 working days would be 18 whole weeks (Fri 6 May)
    // but for the ten weekdays off of the 2022 SKB up to then (Imlek, Isra Mikraj, Nyepi, Good Friday,
    // Idul Fitri with its collective leave) and Vesak on 16 May → Mon 23 May.
    const entered = new Date('2022-01-01T00:00:00Z');
    expect(stageDueAt({ type: 'mou' }, 'negotiation', entered)?.toISOString()).to.equal('2022-05-23T10:00:00.000Z');
    expect(stageDueAt({ type: 'mou' }, 'on_hold', entered)).to.equal(null);
  });

  it('when derived fields are built, then search text holds code, both titles and party names in lower case, and confidential ones are for the lead unit', () => {
    const f = derivedFields({
      code: 'MOU-MY-2022-01',
      title: { id: 'Nota Kesepahaman', en: 'Memorandum' },
      parties: [{ ...party('Malaysia'), country: 'MY' }],
      confidentiality: 'confidential',
      leadUnit: 'PWNI',
    });
    expect(f.searchText).to.include('mou-my-2022-01').and.include('nota kesepahaman').and.include('memorandum').and.include('malaysia');
    expect(f.partyKeys).to.deep.equal(['malaysia', 'my']);
    expect(f.audience).to.equal('PWNI');
    expect(derivedFields({ code: 'x', title: { id: 'a', en: 'b' }, parties: [], confidentiality: 'internal', leadUnit: 'PWNI' }).audience).to.equal('*');
  });

  it('when the code country is chosen, then the foreign state wins and domestic instruments use ID', () => {
    expect(codeCountry([{ kind: 'state', country: 'ID' }, { kind: 'state', country: 'my' }])).to.equal('MY');
    expect(codeCountry([{ kind: 'agency', country: 'ID' }])).to.equal('ID');
  });

  it('when a non-admin lists, then the audience filter is added; for admins it is not; free text is escaped', () => {
    const now = new Date();
    const f = buildFilter(actor('diplomat'), { q: 'a.b(c)', stage: 'drafting' }, now);
    expect(f.stage).to.equal('drafting');
    expect((f.audience as any).$in).to.deep.equal(['*', 'PWNI']);
    expect((f.searchText as any).$regex).to.equal('a\\.b\\(c\\)');
    expect(buildFilter(actor('admin'), {}, now)).to.not.have.property('audience');
    expect(buildSort('-code')).to.deep.equal({ code: -1 });
  });

  it('when parties are merged, then known ids keep status and signature and new ones start pending', () => {
    const signed = { ...party('A', 'signed'), signature: { signedAt: new Date(), method: 'wet_ink' as const } };
    const merged = mergeParties([signed], [{ id: String(signed._id), name: 'A', kind: 'state' }, { name: 'B', kind: 'agency' }], new Date());
    expect(merged[0]).to.include({ status: 'signed' });
    expect(merged[0].signature).to.not.equal(undefined);
    expect(merged[1]).to.include({ name: 'B', status: 'pending' });
  });

  it('when a text is reopened, then signatures and clearances are void but a refusal stays on record', () => {
    const effects = reopenEffects([party('A', 'signed'), party('B', 'declined'), party('C', 'cleared')], new Date());
    expect((effects.parties as Party[]).map((p) => p.status)).to.deep.equal(['pending', 'declined', 'pending']);
  });

  it('when someone acts for a party, then only its own signatory, or a drafter or admin on behalf, may', () => {
    const p = party('A', 'pending', 'menteri@x.id');
    expect(authorisePartyAction(actor('signatory', 'PWNI', 'MENTERI@x.id'), p)).to.deep.equal({ onBehalf: false });
    expect(authorisePartyAction(actor('drafter'), p)).to.deep.equal({ onBehalf: true });
    expect(() => authorisePartyAction(actor('signatory', 'PWNI', 'other@x.id'), p)).to.throw(/designated signatory/);
    expect(() => authorisePartyAction(actor('diplomat'), p)).to.throw(/designated signatory/);
  });
});
