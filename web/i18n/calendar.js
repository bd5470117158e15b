// Texts of the deadline calendar (web/pages/calendar.js), Indonesian first. Texts more than one page shows
// are in common.js, the header's and the sign-in page's in shell.js.
import { translator } from '../i18n.js';
import { COMMON } from './common.js';
import { SHELL } from './shell.js';

export { roleLabel, stageLabel, typeLabel } from './common.js';

export const CALENDAR = {
  id: {
    'calendar.intro': 'Tenggat semua perjanjian yang dapat Anda lihat. Waktu ditampilkan dalam zona waktu Anda (lihat Pengaturan); waktu setempat perwakilan disebutkan bila berbeda.',
    'calendar.month': 'Bulan',
    'calendar.list': 'Daftar',
    'calendar.view': 'Tampilan',
    'calendar.prev': 'Bulan sebelumnya',
    'calendar.next': 'Bulan berikutnya',
    'calendar.today': 'Bulan ini',
    'calendar.mine': 'Hanya yang ditujukan kepada saya',
    'calendar.all': 'Semua tenggat',
    'calendar.none': 'Tidak ada tenggat pada bulan ini.',
    'calendar.overdueTitle': ({ n }) => `Sudah terlambat (${n})`,
    'calendar.overdueCount': ({ n }) => `${n} tenggat sudah terlambat.`,
    'calendar.overdueLink': 'Lihat daftarnya',
    'calendar.overdueTruncated': ({ n, total }) => `Menampilkan ${n} dari ${total} tenggat yang terlambat, yang paling lama lebih dahulu.`,
    'calendar.more': ({ n }) => `dan ${n} lainnya`,
    'calendar.localTime': ({ time, city }) => `pukul ${time} waktu ${city}`,
    'calendar.truncated': ({ n, total }) => `Menampilkan ${n} dari ${total} tenggat bulan ini.`,
    'calendar.feed': 'Langganan kalender pribadi (ICS)',
    'calendar.feedIntro': 'Tambahkan tautan rahasia ini ke Outlook, Google Calendar atau kalender ponsel: tenggat yang ditujukan kepada Anda akan muncul di sana dan diperbarui sendiri. Jangan bagikan tautan ini.',
    'calendar.feedCreate': 'Buat tautan kalender',
    'calendar.feedRenew': 'Buat tautan baru (tautan lama tidak berlaku lagi)',
    'calendar.feedRevoke': 'Cabut tautan',
    'calendar.feedUrl': 'Tautan kalender Anda',
    'calendar.feedCopy': 'Salin tautan',
    'calendar.feedCopied': 'Tautan disalin.',
    'calendar.feedRevoked': 'Tautan kalender dicabut.',
    'calendar.feedExists': ({ created, used }) => `Anda sudah memiliki tautan kalender, dibuat ${created}; ${used ? `terakhir dibaca ${used}` : 'belum pernah dibaca oleh aplikasi kalender'}.`,
    'calendar.feedNone': 'Anda belum memiliki tautan kalender.',
    'calendar.feedOnce': 'Tautan ini hanya ditampilkan sekali. Simpan sekarang.',
    'weekday.short': 'Sen,Sel,Rab,Kam,Jum,Sab,Min',
  },
  en: {
    'calendar.intro': 'Deadlines of every agreement you may see. Times are shown in your own time zone (see Settings); a mission’s local time is given where it differs.',
    'calendar.month': 'Month',
    'calendar.list': 'List',
    'calendar.view': 'View',
    'calendar.prev': 'Previous month',
    'calendar.next': 'Next month',
    'calendar.today': 'This month',
    'calendar.mine': 'Only those addressed to me',
    'calendar.all': 'All deadlines',
    'calendar.none': 'No deadlines this month.',
    'calendar.overdueTitle': ({ n }) => `Overdue (${n})`,
    'calendar.overdueCount': ({ n }) => (n === 1 ? '1 deadline is overdue.' : `${n} deadlines are overdue.`),
    'calendar.overdueLink': 'See the list',
    'calendar.overdueTruncated': ({ n, total }) => `Showing ${n} of ${total} overdue deadlines, the longest overdue first.`,
    'calendar.more': ({ n }) => `and ${n} more`,
    'calendar.localTime': ({ time, city }) => `${time} ${city} time`,
    'calendar.truncated': ({ n, total }) => `Showing ${n} of ${total} deadlines this month.`,
    'calendar.feed': 'Personal calendar subscription (ICS)',
    'calendar.feedIntro': 'Add this secret link to Outlook, Google Calendar or your phone’s calendar: the deadlines addressed to you appear there and stay up to date. Do not share the link.',
    'calendar.feedCreate': 'Create a calendar link',
    'calendar.feedRenew': 'Create a new link (the old one stops working)',
    'calendar.feedRevoke': 'Revoke the link',
    'calendar.feedUrl': 'Your calendar link',
    'calendar.feedCopy': 'Copy link',
    'calendar.feedCopied': 'Link copied.',
    'calendar.feedRevoked': 'Calendar link revoked.',
    'calendar.feedExists': ({ created, used }) => `You have a calendar link, created ${created}; ${used ? `last read ${used}` : 'no calendar application has read it yet'}.`,
    'calendar.feedNone': 'You have no calendar link yet.',
    'calendar.feedOnce': 'This link is shown only once. Keep it now.',
    'weekday.short': 'Mon,Tue,Wed,Thu,Fri,Sat,Sun',
  },
};

/** Looks a key up here, then in common.js, then in shell.js. */
export const { t, tOr, has } = translator(CALENDAR, COMMON, SHELL);
