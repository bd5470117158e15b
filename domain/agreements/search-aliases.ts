import { anyWordStartPattern, normaliseSearchText, searchWords, searchWordSpans } from './derived-fields.js';

/**
 * The directorate's abbreviations and the other ways its people write the same thing, one group
 * per term: a search for any spelling of a group also finds the others ("TPPO" finds a title
 * saying "perdagangan orang", "Ministry of Foreign Affairs" finds "Kemlu").
 *
 * Source: the glossary of the project's domain notes (domain.md, "## Glossary"), Indonesian
 * spelled-out forms and the English meanings it gives. Two bodies it names only by their
 * abbreviation carry their official Indonesian names: BP2MI (Badan Pelindungan Pekerja Migran
 * Indonesia) and BHAKP (Biro Hukum dan Administrasi Kementerian dan Perwakilan).
 * "Perdagangan orang" stands in the TPPO group on its own because titles say "korban perdagangan
 * orang" without "tindak pidana".
 * CPMI is a term of its own: "PMI" finds neither "CPMI" (a search matches at word starts) nor is
 * found by it. MoU, PKS and TA are left out: their forms are in nearly every agreement's code or
 * title, so they would narrow nothing.
 */
export const SEARCH_ALIASES: readonly (readonly string[])[] = [
  ['WNI', 'Warga Negara Indonesia', 'Indonesian citizen'],
  ['PWNI', 'Pelindungan WNI', 'Pelindungan Warga Negara Indonesia', 'protection of Indonesian citizens'],
  ['Kemlu', 'Kementerian Luar Negeri', 'Ministry of Foreign Affairs'],
  ['K/L', 'Kementerian/Lembaga', 'ministries and agencies'],
  ['TPPO', 'Tindak Pidana Perdagangan Orang', 'perdagangan orang', 'trafficking in persons'],
  ['PMI', 'Pekerja Migran Indonesia', 'Indonesian migrant worker'],
  ['CPMI', 'Calon Pekerja Migran Indonesia', 'prospective migrant worker'],
  ['SPSK', 'Sistem Penempatan Satu Kanal', 'one-channel placement system'],
  ['BHAKP', 'Biro Hukum dan Administrasi Kementerian dan Perwakilan', 'legal and administration bureau'],
  ['LPSK', 'Lembaga Perlindungan Saksi dan Korban', 'witness and victim protection agency'],
  ['BP2MI', 'Badan Pelindungan Pekerja Migran Indonesia', 'migrant worker protection agency'],
  ['AHU', 'Administrasi Hukum Umum', 'general legal administration'],
];

/**
 * How far one search may grow: at most this many phrases, and a pattern (anyWordStartPattern) at
 * most this long, half the 32,764 characters mongod accepts in a regex. The abbreviations of a
 * query past these bounds are searched as typed, the first ones of the query expanded first.
 */
export const MAX_SEARCH_PHRASES = 16;
export const MAX_PATTERN_LENGTH = 16_000;

interface Form {
  phrase: string;
  words: string[];
}

const GROUPS: Form[][] = SEARCH_ALIASES.map((group) =>
  group.map((f) => {
    const phrase = normaliseSearchText(f);
    return { phrase, words: searchWords(phrase) };
  }),
);

/** The forms, longest first: "pelindungan wni" is read as PWNI before its "wni" is read as WNI. */
const FORMS = GROUPS.flatMap((group) => group.map((form) => ({ ...form, group }))).sort((a, b) => b.words.length - a.words.length);

/**
 * A query (normalised) and the same query with each abbreviation or spelled-out form it holds
 * written in the other forms of its group, the query as typed first. A form counts only as whole
 * words of the query ("pm" is not "pmi"), whatever separators it is typed with ("kementerian
 * lembaga" is "Kementerian/Lembaga"). The phrases are matched as any query is (word starts,
 * separators, case): the expansion adds spellings, never a looser rule.
 */
export function searchPhrases(q: string): string[] {
  const phrase = normaliseSearchText(q);
  let accepted: Found[] = [];
  let phrases = [phrase];
  for (const found of formsIn(phrase)) {
    const tried = spelledOut(phrase, [...accepted, found]);
    if (tried.length > MAX_SEARCH_PHRASES || anyWordStartPattern(tried).length > MAX_PATTERN_LENGTH) continue;
    accepted = [...accepted, found];
    phrases = tried;
  }
  return phrases;
}

interface Found {
  start: number;
  end: number;
  group: Form[];
}

/** Where the forms of the groups stand in a phrase, in its order, as whole words. */
function formsIn(phrase: string): Found[] {
  const spans = searchWordSpans(phrase);
  const found: Found[] = [];
  for (let i = 0; i < spans.length; ) {
    const form = FORMS.find((f) => f.words.every((w, k) => spans[i + k]?.word === w));
    if (!form) {
      i++;
      continue;
    }
    found.push({ start: spans[i]!.start, end: spans[i + form.words.length - 1]!.end, group: form.group });
    i += form.words.length;
  }
  return found;
}

/** The phrase with each found form written in every form of its group, the phrase itself first. */
function spelledOut(phrase: string, found: readonly Found[]): string[] {
  let phrases = [phrase];
  // from the last form to the first, so that the offsets of those before it still hold
  for (const { start, end, group } of [...found].reverse()) {
    const next = new Set<string>();
    for (const p of phrases) {
      next.add(p);
      for (const form of group) next.add(p.slice(0, start) + form.phrase + p.slice(end));
    }
    phrases = [...next];
  }
  return phrases;
}
