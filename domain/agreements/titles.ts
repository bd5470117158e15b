import type { Titles } from '../../models/agreement.js';
import { AppError } from '../errors.js';
import { atSentenceStart, languageName, languageNames } from '../../workflows/language-names.js';

/** Indonesian and English first (always there), then the other languages in alphabetical order. */
export function titlesInOrder(title: Titles): Array<[string, string]> {
  const rest = Object.keys(title)
    .filter((l) => l !== 'id' && l !== 'en' && typeof title[l] === 'string' && title[l])
    .sort();
  return [['id', title.id], ['en', title.en], ...rest.map((l): [string, string] => [l, title[l]!])];
}

/** The title as the API shows it: a plain object with a key per language, id and en first. */
export function titleView(title: Titles): Titles {
  return Object.fromEntries(titlesInOrder(title)) as Titles;
}

/**
 * A title beside Indonesian and English belongs to an authentic language of the agreement: a
 * title in Arabic on an agreement authentic only in Indonesian and English is a slip (the
 * language was meant to be added, or the title is in the wrong field), so it is refused with the
 * way out in the message rather than stored where nobody would look for it.
 */
export function checkTitleLanguages(title: Titles, authenticLanguages: string[]): void {
  const stray = titlesInOrder(title)
    .map(([l]) => l)
    .filter((l) => l !== 'id' && l !== 'en' && !authenticLanguages.includes(l));
  if (stray.length === 0) return;
  throw new AppError(
    'validation_failed',
    'A title is given in a language that is not an authentic language of the agreement / Judul diberikan dalam bahasa yang bukan bahasa otentik perjanjian',
    stray.map((l) => {
      const named = languageName(l);
      const authentic = authenticLanguages.length ? languageNames(authenticLanguages) : { en: 'none is set yet', id: 'belum ada yang ditetapkan' };
      return {
        field: `title.${l}`,
        message: `${atSentenceStart(named.en)} is not among the authentic languages of this agreement (${authentic.en}): add it to the authentic languages or leave this title out / ${atSentenceStart(named.id)} tidak termasuk bahasa otentik perjanjian ini (${authentic.id}): tambahkan ke bahasa otentik atau hapus judul ini`,
      };
    }),
  );
}
