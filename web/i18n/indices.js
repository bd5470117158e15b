// Texts of the administrator's performance indices tab (web/pages/indices.js), Indonesian first.
// The tab's name and the page's own texts are in admin.js, texts more than one page shows in
// common.js, the header's and the sign-in page's in shell.js.
import { translator } from '../i18n.js';
import { ADMIN } from './admin.js';
import { COMMON } from './common.js';
import { SHELL } from './shell.js';

/** "2022–2024", or "2024" when it is a single year. */
const span = (from, to) => (from === to ? String(from) : `${from}–${to}`);

export const INDICES = {
  id: {
    'indices.intro':
      'Perjanjian dihitung untuk indeks kinerja Direktorat PWNI dalam laporan tahunan. Nama indeks berlaku mulai tahun tertentu: bila namanya diganti, tahun-tahun sebelumnya tetap memakai nama lama, sehingga laporan yang sudah disusun tidak berubah. Urutan di bawah ini adalah urutan bagian laporan tahunan.',
    'indices.caption': 'Indeks kinerja dan namanya per tahun',
    'indices.code': 'Kode',
    'indices.names': 'Nama per tahun',
    'indices.status': 'Masa berlaku',
    'indices.none': 'Belum ada indeks kinerja.',
    'indices.yearsFrom': ({ from }) => `Mulai ${from}`,
    'indices.inUse': ({ from }) => `Berlaku sejak ${from}`,
    'indices.startsIn': ({ from }) => `Berlaku mulai ${from}`,
    'indices.retiredBadge': ({ year }) => `Dihentikan mulai ${year}`,
    'indices.reported': ({ from, to }) => (from > to ? 'Tidak pernah dilaporkan' : `Dilaporkan untuk ${span(from, to)}`),
    'indices.rename': 'Ganti nama',
    'indices.moveUp': 'Naikkan',
    'indices.moveDown': 'Turunkan',
    'indices.orderStale': 'Daftar indeks berubah sementara itu, jadi urutannya tidak diubah. Inilah daftar terkini: pindahkan lagi bila perlu.',
    'indices.moved': ({ name, place, total }) => `“${name}” kini di urutan ${place} dari ${total}. Bagian laporan tahunan mengikuti urutan ini.`,
    'indices.retire': 'Hentikan',
    'indices.reinstate': 'Aktifkan kembali',
    'indices.add': 'Tambah indeks',
    'indices.nameId': 'Nama (bahasa Indonesia)',
    'indices.nameEn': 'Nama (bahasa Inggris)',
    'indices.fromYear': 'Berlaku mulai tahun',
    'indices.codeHint': '2–60 huruf kecil, angka, atau garis bawah, misalnya pelayanan_konsuler. Kode tidak dapat diubah sesudahnya.',
    'indices.codeInvalid': 'hanya 2–60 huruf kecil, angka, atau garis bawah',
    'indices.yearInvalid': ({ min, max }) => `isi tahun antara ${min} dan ${max}`,
    'indices.yearMissing': ({ min, max }) => `Isi tahunnya, antara ${min} dan ${max}.`,
    'indices.nameMissing': 'Isi nama indeks dalam bahasa Indonesia dan bahasa Inggris.',
    'indices.addTitle': ({ code }) => `Tambahkan indeks ${code}?`,
    'indices.addText': ({ year }) =>
      `Indeks ini dilaporkan mulai tahun ${year} dan dapat dipilih untuk perjanjian. Indeks tidak dapat dihapus: bila tidak dipakai lagi, indeks dihentikan mulai tahun tertentu.`,
    'indices.addConfirm': 'Ya, tambahkan',
    'indices.added': ({ name, year }) => `Indeks “${name}” ditambahkan dan berlaku mulai ${year}.`,
    'indices.renameTitle': 'Ganti nama indeks',
    'indices.renameIntro': ({ name }) => `Nama sekarang: “${name}”. Nama baru berlaku mulai tahun yang Anda pilih; laporan tahun-tahun sebelumnya tetap memakai nama lama.`,
    'indices.renameFrom': 'Nama baru berlaku mulai tahun',
    'indices.renameKeeps': ({ until, name }) => `Sampai ${until} tetap: “${name}”.`,
    'indices.renameReplaces': ({ year, name }) => `Nama yang berlaku mulai ${year} (“${name}”) diganti.`,
    'indices.renameUntil': ({ until, next, name }) => `Nama baru berlaku sampai ${until}; mulai ${next} tetap: “${name}”.`,
    'indices.renameSave': 'Simpan nama baru',
    'indices.renamed': ({ name, year }) => `Nama “${name}” berlaku mulai ${year}. Tahun-tahun sebelumnya tetap memakai nama lama.`,
    'indices.retireTitle': 'Hentikan indeks',
    'indices.retireIntro': ({ name }) =>
      `Mulai tahun yang Anda pilih, “${name}” tidak lagi ditawarkan untuk perjanjian dan tidak dilaporkan. Laporan tahun-tahun sebelumnya tetap memuatnya, dan perjanjian yang sudah dihitung untuknya tetap tercatat.`,
    'indices.retireFrom': 'Dihentikan mulai tahun',
    'indices.retireLast': ({ year }) => `Terakhir dilaporkan untuk tahun ${year}.`,
    'indices.retireConfirm': 'Ya, hentikan',
    'indices.retired': ({ name, year }) => `Indeks “${name}” dihentikan mulai ${year}.`,
    'indices.reinstateTitle': 'Aktifkan kembali indeks ini?',
    'indices.reinstateText': ({ name, year }) => `“${name}” akan kembali ditawarkan untuk perjanjian dan dilaporkan untuk tahun ${year} dan sesudahnya.`,
    'indices.reinstateConfirm': 'Ya, aktifkan kembali',
    'indices.reinstated': ({ name }) => `Indeks “${name}” berlaku kembali.`,
  },
  en: {
    'indices.intro':
      'Agreements count towards the directorate’s performance indices in the annual report. An index’s name applies from a given year: when it is renamed, earlier years keep the old name, so reports already written do not change. The order below is the order of the annual report’s sections.',
    'indices.caption': 'Performance indices and their names by year',
    'indices.code': 'Code',
    'indices.names': 'Names by year',
    'indices.status': 'In use',
    'indices.none': 'There are no performance indices yet.',
    'indices.yearsFrom': ({ from }) => `From ${from}`,
    'indices.inUse': ({ from }) => `In use since ${from}`,
    'indices.startsIn': ({ from }) => `In use from ${from}`,
    'indices.retiredBadge': ({ year }) => `Retired from ${year}`,
    'indices.reported': ({ from, to }) => (from > to ? 'Never reported' : `Reported for ${span(from, to)}`),
    'indices.rename': 'Rename',
    'indices.moveUp': 'Move up',
    'indices.moveDown': 'Move down',
    'indices.orderStale': 'The list of indices changed meanwhile, so the order was left as it was. This is the list as it is now: move the index again if need be.',
    'indices.moved': ({ name, place, total }) => `“${name}” is now ${place} of ${total}. The annual report’s sections follow this order.`,
    'indices.retire': 'Retire',
    'indices.reinstate': 'Reinstate',
    'indices.add': 'Add an index',
    'indices.nameId': 'Name (Indonesian)',
    'indices.nameEn': 'Name (English)',
    'indices.fromYear': 'In use from (year)',
    'indices.codeHint': '2 to 60 lower-case letters, digits or underscores, e.g. consular_services. The code cannot be changed later.',
    'indices.codeInvalid': 'only 2 to 60 lower-case letters, digits or underscores',
    'indices.yearInvalid': ({ min, max }) => `enter a year from ${min} to ${max}`,
    'indices.yearMissing': ({ min, max }) => `Enter the year, from ${min} to ${max}.`,
    'indices.nameMissing': 'Enter the index’s name in Indonesian and in English.',
    'indices.addTitle': ({ code }) => `Add the index ${code}?`,
    'indices.addText': ({ year }) =>
      `It is reported from ${year} on and can be chosen for agreements. An index cannot be deleted: once it is no longer used, it is retired from a given year.`,
    'indices.addConfirm': 'Yes, add it',
    'indices.added': ({ name, year }) => `“${name}” has been added, in use from ${year}.`,
    'indices.renameTitle': 'Rename the index',
    'indices.renameIntro': ({ name }) => `Current name: “${name}”. The new name applies from the year you choose; reports for earlier years keep the old name.`,
    'indices.renameFrom': 'New name applies from (year)',
    'indices.renameKeeps': ({ until, name }) => `Until ${until} it stays “${name}”.`,
    'indices.renameReplaces': ({ year, name }) => `The name in use from ${year} (“${name}”) is replaced.`,
    'indices.renameUntil': ({ until, next, name }) => `The new name applies until ${until}; from ${next} it stays “${name}”.`,
    'indices.renameSave': 'Save the new name',
    'indices.renamed': ({ name, year }) => `“${name}” applies from ${year}. Earlier years keep the old name.`,
    'indices.retireTitle': 'Retire the index',
    'indices.retireIntro': ({ name }) =>
      `From the year you choose, “${name}” is no longer offered for agreements and no longer reported. Reports for earlier years still include it, and agreements already counted towards it keep that.`,
    'indices.retireFrom': 'Retired from (year)',
    'indices.retireLast': ({ year }) => `Last reported for ${year}.`,
    'indices.retireConfirm': 'Yes, retire it',
    'indices.retired': ({ name, year }) => `“${name}” is retired from ${year}.`,
    'indices.reinstateTitle': 'Reinstate this index?',
    'indices.reinstateText': ({ name, year }) => `“${name}” will be offered for agreements again and reported for ${year} and the years after.`,
    'indices.reinstateConfirm': 'Yes, reinstate it',
    'indices.reinstated': ({ name }) => `“${name}” is in use again.`,
  },
};

/** Looks a key up here, then in admin.js, common.js and shell.js. */
export const { t, tOr, has } = translator(INDICES, ADMIN, COMMON, SHELL);
