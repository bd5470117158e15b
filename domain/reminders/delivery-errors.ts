/**
 * The reasons a delivery fails that the service gives itself, stored as `lastError` in English
 * (the log's language) and read to an administrator in theirs. A mail server's or a webhook
 * receiver's own words are kept as they came: they are what its operator would search for.
 */
export const DELIVERY_ERRORS = {
  withheld: {
    stored: 'withheld: the recipient may not see this agreement',
    id: 'Ditahan: penerima tidak berhak melihat perjanjian ini (klasifikasinya atau unit penerima berubah sesudah pengingat dicatat)',
    en: 'Withheld: the recipient may not see this agreement (its confidentiality or the recipient’s unit changed after the reminder was recorded)',
  },
  nothingToSend: {
    stored: 'nothing to send',
    id: 'Tidak ada isi yang dapat dikirim',
    en: 'There was nothing to send',
  },
} as const;

/** The stored reason in both languages when the service gave it, else null (a server's own words). */
export function deliveryErrorText(stored: string | null | undefined): { id: string; en: string } | null {
  const known = Object.values(DELIVERY_ERRORS).find((e) => e.stored === stored);
  return known ? { id: known.id, en: known.en } : null;
}
