/**
 * What a text must be to enter the service, whichever way it comes (a JSON body, a multipart
 * field, a row of an imported register). The edge applies these through server/http/text-input.ts
 * and the Joi helpers of server/http/validate.ts; the import applies them to every cell. They live
 * here, below the edge, so that both use the same rules.
 */

/** With the u flag, \p{Cs} matches only unpaired surrogates: a valid pair is one code point. */
export const LONE_SURROGATE = /\p{Cs}/u;

/** What a decoder writes for bytes that were not text in the expected encoding. */
export const REPLACEMENT_CHARACTER = '\uFFFD';

/**
 * Control characters (Unicode Cc) other than tab and newline: refused in one-line fields (codes,
 * titles, names, units, places, search terms), where an escape sequence or a NUL can only hide
 * or disguise text. Multi-line fields (notes, reasons, comments) also take carriage returns.
 */
export const CONTROL_IN_LINE = /[^\P{Cc}\t\n]/u;
export const CONTROL_IN_TEXT = /[^\P{Cc}\t\n\r]/u;

/** True when a one-line text holds a control character it may not. */
export const hasLineControls = (value: string) => CONTROL_IN_LINE.test(value);

/**
 * The bidirectional overrides (LRO, RLO): they reverse how the characters after them are shown, so
 * "Judul\u202Elive" reads differently from what is stored and searched ("Trojan Source"). Embedding
 * and isolate marks, which Arabic text pasted from a word processor carries, are left alone.
 */
export const BIDI_OVERRIDE = /[\u202D\u202E]/u;
