import { expect } from 'chai';
import { anyWordStartPattern, normaliseSearchText } from '../../../domain/agreements/derived-fields.js';
import { MAX_PATTERN_LENGTH, MAX_SEARCH_PHRASES, searchPhrases } from '../../../domain/agreements/search-aliases.js';

describe('agreements: abbreviations in free-text search', () => {
  it('when a query holds an abbreviation or a spelled-out form, then it becomes one phrase per form of its group, the query as typed first', () => {
    const rows: Array<[string, string[]]> = [
      ['TPPO', ['tppo', 'tindak pidana perdagangan orang', 'perdagangan orang', 'trafficking in persons']],
      ['korban perdagangan orang', ['korban perdagangan orang', 'korban tppo', 'korban tindak pidana perdagangan orang', 'korban trafficking in persons']],
      ['Kemlu', ['kemlu', 'kementerian luar negeri', 'ministry of foreign affairs']],
      ['Ministry of Foreign Affairs', ['ministry of foreign affairs', 'kemlu', 'kementerian luar negeri']],
      ['pelindungan WNI', ['pelindungan wni', 'pwni', 'pelindungan warga negara indonesia', 'protection of indonesian citizens']],
      ['kementerian lembaga', ['kementerian lembaga', 'k/l', 'kementerian/lembaga', 'ministries and agencies']],
      ['Calon Pekerja Migran Indonesia', ['calon pekerja migran indonesia', 'cpmi', 'prospective migrant worker']],
      ['ahu kemenkumham', ['ahu kemenkumham', 'administrasi hukum umum kemenkumham', 'general legal administration kemenkumham']],
    ];
    for (const [q, phrases] of rows) expect(searchPhrases(q), q).to.deep.equal(phrases);
  });

  it('when a query holds no form as whole words, then it is searched as typed only', () => {
    for (const q of ['shelter', 'pm', 'kemlux', 'cpm', 'perdagangan', 'TPPO2022']) expect(searchPhrases(q), q).to.deep.equal([normaliseSearchText(q)]);
  });

  it('when a query holds two abbreviations, then every pairing of their forms is searched', () => {
    const phrases = searchPhrases('PMI kemlu');
    expect(phrases).to.have.length(9);
    expect(phrases[0]).to.equal('pmi kemlu');
    expect(phrases).to.include.members(['pekerja migran indonesia kementerian luar negeri', 'indonesian migrant worker ministry of foreign affairs', 'pmi kementerian luar negeri']);
  });

  it('when a long query holds many abbreviations, then it stays within the bounds and the first ones are expanded', () => {
    for (const q of ['pmi kemlu tppo wni lpsk spsk ahu', 'k l '.repeat(50), `lpsk ${'a '.repeat(97)}`]) {
      const phrases = searchPhrases(q);
      expect(phrases[0], q).to.equal(normaliseSearchText(q));
      expect(phrases.length, q).to.be.at.most(MAX_SEARCH_PHRASES);
      expect(anyWordStartPattern(phrases).length, q).to.be.at.most(MAX_PATTERN_LENGTH);
    }
    expect(searchPhrases('pmi kemlu tppo wni lpsk spsk ahu')).to.include('pekerja migran indonesia ministry of foreign affairs tppo wni lpsk spsk ahu');
  });

  it('when the phrases are read as one pattern, then each form matches at a word start only, and text in them stays literal', () => {
    const re = new RegExp(anyWordStartPattern(searchPhrases('TPPO')));
    expect(re.test('pks korban perdagangan orang di luar negeri')).to.equal(true);
    expect(re.test('action plan on trafficking in persons')).to.equal(true);
    expect(re.test('rencana aksi tppo')).to.equal(true);
    expect(re.test('memperdagangan orang')).to.equal(false);
    expect(new RegExp(anyWordStartPattern(searchPhrases('pmi'))).test('pelatihan cpmi')).to.equal(false);
    expect(new RegExp(anyWordStartPattern(searchPhrases('k/l (.*)'))).test('kementerian/lembaga x')).to.equal(false);
  });
});
