/** The month names a person writes, by language: messages say days in words, as the pages do. */
const MONTHS = {
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** '1 April 2027' for '2027-04-01' (also for '2027-04-01T00:00:00.000Z'), in Indonesian or English. */
export function inWords(day: string, lang: 'id' | 'en'): string {
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  return `${d} ${MONTHS[lang][m - 1]} ${y}`;
}
