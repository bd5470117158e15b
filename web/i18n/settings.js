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
  },
};

/** Looks a key up here, then in common.js, then in shell.js. */
export const { t, tOr, has } = translator(SETTINGS, COMMON, SHELL);
