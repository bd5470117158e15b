/**
 * Languages named as people read them, for messages and history texts: "Arabic" / "bahasa Arab",
 * never the ISO code 'ar' (the code stays in the machine-readable parts: fields, details).
 *
 * The names come from where the pages take theirs (web/ui.js `languageName`): the CLDR names of
 * Intl.DisplayNames in the pages' locales, id-ID and en-GB. So there is no list to keep in step
 * with the browser's, and every code the API accepts has a name, not only a chosen few.
 */
const LOCALES = { id: 'id-ID', en: 'en-GB' } as const;
type Lang = keyof typeof LOCALES;

const displayNames = {
  id: new Intl.DisplayNames(LOCALES.id, { type: 'language', fallback: 'none' }),
  en: new Intl.DisplayNames(LOCALES.en, { type: 'language', fallback: 'none' }),
};

/** The bare name as a page shows it: "Arab" / "Arabic"; a code CLDR does not know, quoted as it is. */
export function languageWord(code: string, lang: Lang): string {
  let name: string | undefined;
  try {
    name = displayNames[lang].of(code);
  } catch {
    name = undefined; // not even shaped like a language code
  }
  return name ?? `“${code}”`;
}

/** The name as a sentence uses it: { id: 'bahasa Arab', en: 'Arabic' }. */
export function languageName(code: string): { id: string; en: string } {
  return { id: `bahasa ${languageWord(code, 'id')}`, en: languageWord(code, 'en') };
}

/**
 * Several names in a sentence: "bahasa Indonesia dan bahasa Inggris" / "Indonesian and English"
 * (`or`: "… atau …" / "… or …").
 */
export function languageNames(codes: readonly string[], joiner: 'and' | 'or' = 'and'): { id: string; en: string } {
  const type = joiner === 'and' ? 'conjunction' : 'disjunction';
  const list = (lang: Lang) => new Intl.ListFormat(LOCALES[lang], { type }).format(codes.map((c) => languageName(c)[lang]));
  return { id: list('id'), en: list('en') };
}

/** The first letter in capitals, for a name that opens a sentence ("Bahasa Arab bukan …"). */
export const atSentenceStart = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Which way text in the language runs: 'rtl' for Arabic, Persian, Urdu, Hebrew…, from CLDR's
 * likely script for the language (Intl.Locale), as the names come from CLDR: no list to keep.
 * A code CLDR does not know runs left to right.
 */
export function languageDirection(code: string): 'ltr' | 'rtl' {
  let locale: Intl.Locale & { getTextInfo?(): { direction?: string }; textInfo?: { direction?: string } };
  try {
    locale = new Intl.Locale(code);
  } catch {
    return 'ltr'; // not even shaped like a language code
  }
  // getTextInfo() in newer engines; Node 20's V8 has the earlier textInfo accessor
  const info = locale.getTextInfo?.() ?? locale.textInfo;
  return info?.direction === 'rtl' ? 'rtl' : 'ltr';
}
