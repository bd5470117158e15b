// Texts of the notifications page (web/pages/notifications.js), Indonesian first. Texts more than one page shows
// are in common.js, the header's and the sign-in page's in shell.js.
import { translator } from '../i18n.js';
import { COMMON } from './common.js';
import { SHELL } from './shell.js';

export { roleLabel, stageLabel, typeLabel } from './common.js';

export const NOTIFICATIONS = {
  id: {
    'notif.title': 'Notifikasi',
    'notif.intro': 'Pengingat tenggat yang dikirim kepada Anda.',
    'notif.none': 'Tidak ada notifikasi.',
    'notif.noneUnread': 'Tidak ada notifikasi yang belum dibaca.',
    'notif.unreadOnly': 'Hanya yang belum dibaca',
    'notif.summary': ({ unread, total }) => `${unread} belum dibaca dari ${total}`,
    'notif.summaryUnread': ({ unread }) => `${unread} belum dibaca`,
    'notif.markRead': 'Tandai sudah dibaca',
    'notif.read': 'Sudah dibaca',
    'notif.unread': 'Belum dibaca',
    'notif.due': 'Tenggat',
    'notif.received': 'Diterima',
    'notif.open': 'Buka perjanjian',
    'notif.details': 'Isi pesan',
  },
  en: {
    'notif.title': 'Notifications',
    'notif.intro': 'Deadline reminders sent to you.',
    'notif.none': 'No notifications.',
    'notif.noneUnread': 'No unread notifications.',
    'notif.unreadOnly': 'Unread only',
    'notif.summary': ({ unread, total }) => `${unread} unread of ${total}`,
    'notif.summaryUnread': ({ unread }) => `${unread} unread`,
    'notif.markRead': 'Mark as read',
    'notif.read': 'Read',
    'notif.unread': 'Unread',
    'notif.due': 'Due',
    'notif.received': 'Received',
    'notif.open': 'Open the agreement',
    'notif.details': 'Message',
  },
};

/** Looks a key up here, then in common.js, then in shell.js. */
export const { t, tOr, has } = translator(NOTIFICATIONS, COMMON, SHELL);
