import { expect } from 'chai';
import countries from 'i18n-iso-countries';
import { countryCode, countryNamed } from '../../../domain/agreements/country-codes.js';

describe('country codes', () => {
  it('when a code is alpha-2 or alpha-3 in any case, then it is kept as alpha-2; a code naming no country, or a shortened name, is not a code', () => {
    expect(['my', 'MYS', ' kor ', 'SA'].map(countryCode)).to.deep.equal(['MY', 'MY', 'KR', 'SA']);
    expect(['MAL', 'XX', 'ZZ', 'EU', 'Korea', ''].map(countryCode)).to.deep.equal([undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('when a country is named in Indonesian or English, whatever its case and accents, then its code is the one the code lists give that name', () => {
    expect(['Arab Saudi', 'saudi arabia', 'KOREA SELATAN', 'Yordania', 'Cote d’Ivoire'.replace('’', "'")].map(countryNamed)).to.deep.equal(['SA', 'SA', 'KR', 'JO', 'CI']);
    expect(['Pemerintah Malaysia', 'MY', 'BP2MI'].map(countryNamed)).to.deep.equal([undefined, undefined, undefined]);
    // every name of every country, as the library's own lookup answers it (a name two countries share stays with the first)
    for (const lang of ['id', 'en'] as const) {
      for (const names of Object.values(countries.getNames(lang, { select: 'all' }))) for (const name of names) expect(countryNamed(name), name).to.equal(countries.getAlpha2Code(name, lang));
    }
  });
});
