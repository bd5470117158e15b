// The language choice and the lookup of texts. The texts themselves live in web/i18n/, one file per
// page named after it (board.js, detail.js, admin.js…), with common.js for texts several pages show
// and shell.js for the header and the sign-in page. A page imports `t` from its own file, so its
// texts arrive with its module: nothing but shell.js is downloaded before sign-in.
// Kept free of DOM access at import time, so a Node test can check every file and every key.

export const LANGUAGES = ['id', 'en'];
const STORAGE_KEY = 'pwni.lang';

/** The stored choice, Indonesian when there is none (or storage is unavailable). */
export function getLang() {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    return LANGUAGES.includes(stored) ? stored : 'id';
  } catch {
    return 'id';
  }
}

export function setLang(lang) {
  if (!LANGUAGES.includes(lang)) return;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
}

/**
 * `t` and `tOr` over the given dictionaries (`{ id: {...}, en: {...} }`), searched in the order
 * given. A value is a string with {placeholders}, or a function of the variables where the grammar
 * needs it (English plurals). `has(key)` says whether every language has the key (for the tests).
 */
export function translator(...dictionaries) {
  const find = (key, lang) => {
    for (const dictionary of dictionaries) {
      const value = dictionary[lang]?.[key];
      if (value !== undefined) return value;
    }
    return undefined;
  };

  /** The text for a key in the current language; an unknown key shows itself, so a gap is visible. */
  function t(key, vars = {}, lang = getLang()) {
    const value = find(key, lang) ?? find(key, 'id');
    if (value === undefined) return key;
    if (typeof value === 'function') return value(vars);
    return value.replace(/\{(\w+)\}/g, (_, name) => (vars[name] === undefined ? `{${name}}` : String(vars[name])));
  }

  /** A key that may not exist (e.g. a stage the server added later): the raw value then. */
  function tOr(key, fallback, lang = getLang()) {
    return find(key, lang) !== undefined ? t(key, {}, lang) : fallback;
  }

  const has = (key) => LANGUAGES.every((lang) => find(key, lang) !== undefined);
  return { t, tOr, has };
}

/** Picks the current language from an `{ id, en }` pair the API sends. */
export function pick(pair, lang = getLang()) {
  if (!pair || typeof pair !== 'object') return pair ?? '';
  return pair[lang] ?? pair.id ?? pair.en ?? '';
}

/**
 * The API's error messages read "English / Indonesian" in one string (the project's convention);
 * reminder subjects read "Indonesian / English", hence `first`. Splits at the first " / " (spaces
 * on both sides, so a path like /api/x stays whole). Without a separator both halves are the text.
 */
export function splitBilingual(message, first = 'en') {
  const text = String(message ?? '');
  const at = text.indexOf(' / ');
  if (at < 0) return { en: text, id: text };
  const [a, b] = [text.slice(0, at), text.slice(at + 3)];
  return first === 'en' ? { en: a, id: b } : { id: a, en: b };
}

/** Locale for dates and numbers. */
export const locale = (lang = getLang()) => (lang === 'id' ? 'id-ID' : 'en-GB');
