import countries from 'i18n-iso-countries';

/**
 * A party's country as the tracker keeps it: an ISO 3166-1 alpha-2 code in upper case, the form
 * agreement codes (MOU-MY-2022-01), the country filter and the country names on screen use. An
 * alpha-3 code is taken as its alpha-2 (KOR is KR); anything else, a name shortened to three
 * letters ("MAL") included, names no country and is refused rather than kept as a code nobody
 * finds.
 */
export function countryCode(input: string): string | undefined {
  const code = input.trim().toUpperCase();
  if (!/^[A-Z]{2,3}$/.test(code) || !countries.isValid(code)) return undefined;
  return countries.toAlpha2(code);
}

export const COUNTRY_RULE = {
  en: 'must be an ISO 3166-1 country code such as MY, SA or KR',
  id: 'harus berupa kode negara ISO 3166-1, misalnya MY, SA atau KR',
};

const nameKey = (name: string) => name.trim().normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/**
 * Every name the code lists give a country in Indonesian and English, for a lookup per list
 * request (the party filter is read once per stage count): the library's own getAlpha2Code walks
 * all 250 countries each time, about 70 µs.
 */
const CODE_BY_NAME = new Map<string, string>();
for (const lang of ['id', 'en'] as const) {
  for (const [code, names] of Object.entries(countries.getNames(lang, { select: 'all' }))) {
    // a name two countries share ("Congo") stays with the first, as getAlpha2Code answers
    for (const name of names) if (!CODE_BY_NAME.has(nameKey(name))) CODE_BY_NAME.set(nameKey(name), code);
  }
}

/** The alpha-2 code of a country named in Indonesian or English ("Arab Saudi", "saudi arabia"), if it is one. */
export const countryNamed = (name: string): string | undefined => CODE_BY_NAME.get(nameKey(name));
