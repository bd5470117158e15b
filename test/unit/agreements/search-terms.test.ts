import { expect } from 'chai';
import { derivedFields, normaliseSearchText, searchKeyOf, searchTermsOf, wordStartPattern } from '../../../domain/agreements/derived-fields.js';

const TEXTS = [
  'MOU-MY-2022-01 Nota Kesepahaman antara Republik Indonesia dan Malaysia tentang Penempatan dan Pelindungan Pekerja Migran',
  'PKS-ID-2024-000123 Perjanjian Kerja Sama (PKS) dengan Ditjen AHU Kemenkumham: integrasi data kewarganegaraan',
  'TA-TR-2023-07 Technical Arrangement between Indonesia and Türkiye on shelter management, "rumah aman"',
  'PED-ID-2022-02 Pedoman Penanganan Kasus Hukuman Mati bagi WNI di Luar Negeri / Guideline on death-penalty cases',
];

const SEPARATOR = /[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]/;

/** Every query a person could type that matches `text`: each substring starting at a word start or a separator. */
function matchingQueries(text: string): string[] {
  const normal = normaliseSearchText(text);
  const out: string[] = [];
  for (let start = 0; start < normal.length; start++) {
    const wordStart = start === 0 || SEPARATOR.test(normal[start - 1]!) || SEPARATOR.test(normal[start]!);
    if (!wordStart) continue;
    for (let end = start + 1; end <= Math.min(normal.length, start + 30); end++) {
      const q = normal.slice(start, end).trim();
      if (q) out.push(q);
    }
  }
  return out;
}

describe('agreements: free-text search keys', () => {
  it('when any query that matches a text is looked up, then its key is among the keys stored for that text', () => {
    let checked = 0;
    for (const text of TEXTS) {
      const stored = new Set(searchTermsOf(normaliseSearchText(text)));
      for (const q of matchingQueries(text)) {
        const phrase = normaliseSearchText(q);
        expect(new RegExp(wordStartPattern(phrase)).test(normaliseSearchText(text)), `'${q}' matches`).to.equal(true);
        const key = searchKeyOf(phrase);
        if (key === undefined) continue;
        expect(stored.has(key), `key '${key}' of '${q}'`).to.equal(true);
        checked++;
      }
    }
    expect(checked).to.be.greaterThan(1000);
  });

  it('when a code prefix is searched, then its key is the joined one, narrower than any single word', () => {
    expect(searchKeyOf('mou-my')).to.equal('mou-my');
    expect(searchKeyOf('mou-my-2022')).to.equal('mou-my');
    expect(searchKeyOf('my-2022')).to.equal('my-202');
    expect(searchKeyOf('pekerja migran')).to.equal('peke');
  });

  it('when a query has no word long enough, or only words nearly every agreement holds, then it has no key (the search reads every agreement)', () => {
    expect(searchKeyOf('my')).to.equal(undefined);
    expect(searchKeyOf('pks')).to.equal(undefined);
    expect(searchKeyOf('indonesia')).to.equal(undefined);
    expect(searchKeyOf('antara indonesia')).to.equal(undefined);
    expect(searchKeyOf('indonesia malaysia')).to.equal('mala');
  });

  it('when the stored keys are built, then words are cut to their heads, common ones are left out and accented letters stay in words', () => {
    const keys = searchTermsOf(normaliseSearchText('TA-TR-2023-07 Pengaturan Teknis antara Indonesia dan Türkiye'));
    expect(keys).to.include.members(['peng', 'tekn', 'türk', 'ta-tr-', 'tr-202', '2023-0']);
    expect(keys).to.not.include.members(['anta', 'indo', 'dan']);
  });

  it('when derived fields are built, then searchTerms come from the code, both titles and the party names', () => {
    const f = derivedFields({
      code: 'MOU-QA-2024-01',
      title: { id: 'Nota Kesepahaman Ketenagakerjaan', en: 'Labour Memorandum' },
      parties: [{ name: 'Negara Qatar', kind: 'state', status: 'pending' } as any],
      confidentiality: 'internal',
      leadUnit: 'PWNI',
    });
    expect(f.searchTerms).to.include.members(['mou-qa', 'kete', 'labo', 'nega', 'qata']);
    expect(f.searchTerms, 'instrument names are too common to narrow a search').to.not.include.members(['nota', 'kese', 'memo']);
  });

  it('when the word-start pattern is read by a regex engine, then separators before the phrase count and letters do not', () => {
    const re = new RegExp(wordStartPattern('kemen'));
    expect(re.test('ditjen ahu kemenkumham')).to.equal(true);
    expect(re.test('x-kemenkumham')).to.equal(true);
    expect(re.test('kemenkumham')).to.equal(true);
    expect(re.test('akemenkumham')).to.equal(false);
    expect(re.test('ükemen')).to.equal(false);
    expect(new RegExp(wordStartPattern('(shelter)')).test('rumah aman(shelter)')).to.equal(true);
  });
});
