import type { AgreementFacts } from '../../../workflows/index.js';

/** Facts under which every guard holds, except the signature guards, which depend on statuses. */
export function readyFacts(overrides: Partial<AgreementFacts> = {}): AgreementFacts {
  return {
    authenticLanguages: ['id', 'en'],
    finalTextLanguages: ['id', 'en'],
    parties: [
      { id: 'p1', name: 'Indonesia', hasSignatory: true, status: 'pending' },
      { id: 'p2', name: 'Malaysia', hasSignatory: true, status: 'pending' },
    ],
    entryIntoForce: { date: '2022-04-01', basis: 'on_signature' },
    previousStage: null,
    hasSignedCopy: true,
    ratification: { kind: 'law', number: '1 Tahun 2023', date: '2023-01-10' },
    ...overrides,
  };
}

export const withStatuses = (facts: AgreementFacts, ...statuses: string[]): AgreementFacts => ({
  ...facts,
  parties: statuses.map((status, i) => ({ id: `p${i + 1}`, name: `Party ${i + 1}`, hasSignatory: true, status })),
});

/** The first party's signatory needs full powers, and the letter is on file. */
export const withFullPowers = (facts: AgreementFacts): AgreementFacts => ({
  ...facts,
  parties: facts.parties.map((p, i) => (i === 0 ? { ...p, fullPowersRequired: true, hasFullPowers: true } : p)),
});
