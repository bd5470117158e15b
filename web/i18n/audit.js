// Texts of the auditor's page (web/pages/audit.js), Indonesian first. Texts more than one page shows
// are in common.js, the header's and the sign-in page's in shell.js.
import { translator } from '../i18n.js';
import { COMMON } from './common.js';
import { SHELL } from './shell.js';

export { roleLabel, stageLabel, typeLabel } from './common.js';

const plural = (n, one, many) => (Number(n) === 1 ? one : many);

export const AUDIT = {
  id: {
    'audit.title': 'Audit riwayat',
    'audit.intro': 'Setiap perubahan perjanjian dicatat berantai dengan SHA-256. Verifikasi menghitung ulang rantai dan menunjukkan mata rantai pertama yang rusak.',
    'audit.all': 'Semua perjanjian',
    'audit.verifyAll': 'Verifikasi semua rantai',
    'audit.verifying': 'Memverifikasi seluruh riwayat…',
    'audit.allValid': ({ n, total }) => `Semua rantai utuh: ${n} perjanjian, ${total} peristiwa diperiksa.`,
    'audit.allValidVisible': ({ n, total }) => `Setiap rantai yang dapat Anda lihat utuh: ${n} perjanjian, ${total} peristiwa diperiksa. Perjanjian rahasia unit lain tidak termasuk; administrator dapat memverifikasinya.`,
    'audit.someBroken': ({ n, total }) => `${n} rantai rusak dari ${total} perjanjian yang diperiksa.`,
    'audit.someBrokenVisible': ({ n, total }) => `${n} rantai rusak di antara ${total} perjanjian yang dapat Anda lihat; semuanya telah diperiksa.`,
    'audit.brokenCaption': 'Rantai riwayat yang rusak',
    'audit.firstBroken': 'Mata rantai pertama yang rusak',
    'audit.events': 'Peristiwa',
    'audit.one': 'Satu perjanjian',
    'audit.search': 'Cari perjanjian',
    'audit.searchHint': 'Kode, judul, atau nama pihak',
    'audit.find': 'Cari',
    'audit.noMatch': 'Tidak ada perjanjian yang cocok.',
    'audit.moreMatches': ({ shown, total }) => `${shown} dari ${total} perjanjian yang cocok ditampilkan. Persempit pencarian untuk menemukan yang lain.`,
    'audit.verify': 'Verifikasi',
    'audit.exportJson': 'Ekspor JSON',
    'audit.exportCsv': 'Ekspor CSV',
    'audit.exported': ({ name }) => `Riwayat diekspor: ${name}`,
    'audit.fileName': ({ code, format }) => `riwayat-${code}.${format}`,
    'audit.checkedAt': ({ date }) => `Diperiksa ${date}`,
    'audit.csv.seq': 'No',
    'audit.csv.at': 'Waktu',
    'audit.csv.actor': 'Oleh',
    'audit.csv.email': 'E-mail',
    'audit.csv.role': 'Peran',
    'audit.csv.action': 'Peristiwa',
    'audit.csv.changes': 'Perubahan',
    'audit.csv.prevHash': 'Hash sebelumnya',
    'audit.csv.hash': 'Hash',
    'audit.csv.atUtc': 'Waktu UTC (ISO 8601)',
  },
  en: {
    'audit.title': 'History audit',
    'audit.intro': 'Every change to an agreement is recorded in a SHA-256 hash chain. Verification recomputes the chains and names the first broken link.',
    'audit.all': 'All agreements',
    'audit.verifyAll': 'Verify every chain',
    'audit.verifying': 'Verifying the whole history…',
    'audit.allValid': ({ n, total }) => `Every chain is intact: ${n} ${plural(n, 'agreement', 'agreements')}, ${total} events checked.`,
    'audit.allValidVisible': ({ n, total }) => `Every chain you may see is intact: ${n} ${plural(n, 'agreement', 'agreements')}, ${total} events checked. Other units’ confidential agreements are not included; an administrator can verify them.`,
    'audit.someBroken': ({ n, total }) => `${n} broken ${plural(n, 'chain', 'chains')} among ${total} agreements checked.`,
    'audit.someBrokenVisible': ({ n, total }) => `${n} broken ${plural(n, 'chain', 'chains')} among the ${total} agreements you may see; all were checked.`,
    'audit.brokenCaption': 'Broken history chains',
    'audit.firstBroken': 'First broken link',
    'audit.events': 'Events',
    'audit.one': 'One agreement',
    'audit.search': 'Find an agreement',
    'audit.searchHint': 'Code, title or party name',
    'audit.find': 'Search',
    'audit.noMatch': 'No agreement matches.',
    'audit.moreMatches': ({ shown, total }) => `Showing ${shown} of the ${total} matching agreements. Narrow the search to find the others.`,
    'audit.verify': 'Verify',
    'audit.exportJson': 'Export JSON',
    'audit.exportCsv': 'Export CSV',
    'audit.exported': ({ name }) => `History exported: ${name}`,
    'audit.fileName': ({ code, format }) => `history-${code}.${format}`,
    'audit.checkedAt': ({ date }) => `Checked ${date}`,
    'audit.csv.seq': 'No',
    'audit.csv.at': 'Time',
    'audit.csv.actor': 'By',
    'audit.csv.email': 'E-mail',
    'audit.csv.role': 'Role',
    'audit.csv.action': 'Event',
    'audit.csv.changes': 'Changes',
    'audit.csv.prevHash': 'Previous hash',
    'audit.csv.hash': 'Hash',
    'audit.csv.atUtc': 'UTC time (ISO 8601)',
  },
};

/** Looks a key up here, then in common.js, then in shell.js. */
export const { t, tOr, has } = translator(AUDIT, COMMON, SHELL);
