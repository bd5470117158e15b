// Texts of the user's settings page (web/pages/settings.js), Indonesian first. Texts more than one page shows
// are in common.js, the header's and the sign-in page's in shell.js.
import { translator } from '../i18n.js';
import { COMMON } from './common.js';
import { SHELL } from './shell.js';

export const SETTINGS = {
  id: {
    'settings.title': 'Pengaturan saya',
    'settings.zone': 'Zona waktu',
    'settings.zoneIntro': 'Semua waktu di aplikasi ini ditampilkan dalam zona ini, di setiap perangkat tempat Anda masuk. Tenggat yang ditetapkan dalam zona perwakilan tetap ditampilkan dalam zona perwakilan itu, dengan keterangan.',
    'settings.zoneNow': ({ zone, time }) => `Sekarang: ${time} (${zone})`,
    'settings.save': 'Simpan zona waktu',
    'settings.saving': 'Menyimpan…',
    'settings.saved': ({ zone }) => `Zona waktu disimpan: ${zone}.`,
    'settings.zoneMissing': 'Pilih zona waktu.',
    'settings.zonesMissions': 'Kantor pusat dan perwakilan',
    'settings.zonesAll': 'Semua zona waktu',
    'settings.password': 'Ganti kata sandi',
    'settings.passwordIntro': 'Ganti kata sandi awal dari administrator dengan kata sandi pilihan Anda sendiri. Setelah kata sandi diganti, Anda keluar dari semua perangkat lain; di perangkat ini Anda tetap masuk.',
    'settings.currentPassword': 'Kata sandi saat ini',
    'settings.newPassword': 'Kata sandi baru',
    'settings.newPasswordHint': 'Minimal 10 karakter. Frasa panjang dari kata-kata yang tidak berkaitan mudah diingat dan sulit ditebak; spasi boleh dipakai.',
    'settings.confirmPassword': 'Ulangi kata sandi baru',
    'settings.passwordMismatch': 'tidak sama dengan kata sandi baru',
    'settings.changePassword': 'Ganti kata sandi',
    'settings.passwordChanged': ({ n }) =>
      n > 0 ? `Kata sandi Anda sudah diganti. Anda sudah dikeluarkan dari ${n} sesi lain; di perangkat ini Anda tetap masuk.` : 'Kata sandi Anda sudah diganti. Di perangkat ini Anda tetap masuk.',
    'settings.calendarFeedRevoked': 'Tautan kalender pribadi Anda juga dicabut: aplikasi kalender yang memakainya tidak lagi menerima tenggat Anda.',
    'settings.calendarFeedRenew': 'Buat tautan kalender baru',
  },
  en: {
    'settings.title': 'My settings',
    'settings.zone': 'Time zone',
    'settings.zoneIntro': 'Every time in this application is shown in this zone, on every device you sign in on. A deadline set in a mission’s zone is still shown in that zone, and says so.',
    'settings.zoneNow': ({ zone, time }) => `Now: ${time} (${zone})`,
    'settings.save': 'Save time zone',
    'settings.saving': 'Saving…',
    'settings.saved': ({ zone }) => `Time zone saved: ${zone}.`,
    'settings.zoneMissing': 'Choose a time zone.',
    'settings.zonesMissions': 'Headquarters and missions',
    'settings.zonesAll': 'All time zones',
    'settings.password': 'Change password',
    'settings.passwordIntro': 'Replace the first password your administrator gave you with one of your own. Once it is changed, you are signed out on every other device; on this one you stay signed in.',
    'settings.currentPassword': 'Current password',
    'settings.newPassword': 'New password',
    'settings.newPasswordHint': 'At least 10 characters. A long phrase of unrelated words is easy to remember and hard to guess; spaces are fine.',
    'settings.confirmPassword': 'Confirm new password',
    'settings.passwordMismatch': 'does not match the new password',
    'settings.changePassword': 'Change password',
    'settings.passwordChanged': ({ n }) =>
      n > 0
        ? `Your password has been changed. You have been signed out of ${n === 1 ? '1 other session' : `${n} other sessions`}; on this device you stay signed in.`
        : 'Your password has been changed. On this device you stay signed in.',
    'settings.calendarFeedRevoked': 'Your personal calendar link has been revoked too: calendar apps that use it no longer receive your deadlines.',
    'settings.calendarFeedRenew': 'Create a new calendar link',
  },
};

/** Looks a key up here, then in common.js, then in shell.js. */
export const { t, tOr, has } = translator(SETTINGS, COMMON, SHELL);
