// Texts of the signatures page (web/pages/signatures.js), Indonesian first. Texts more than one page shows
// are in common.js, the header's and the sign-in page's in shell.js.
import { translator } from '../i18n.js';
import { COMMON } from './common.js';
import { SHELL } from './shell.js';

export { roleLabel, stageLabel, typeLabel } from './common.js';

const plural = (n, one, many) => (Number(n) === 1 ? one : many);

export const SIGNATURES = {
  id: {
    'mysig.title': 'Menunggu tanda tangan saya',
    'mysig.intro': 'Perjanjian yang menunggu tanda tangan Anda sebagai penanda tangan yang ditunjuk, tenggat terdekat di atas.',
    'mysig.none': 'Tidak ada perjanjian yang menunggu tanda tangan Anda.',
    'mysig.count': ({ n }) => `${n} perjanjian menunggu tanda tangan Anda`,
    'mysig.for': ({ parties }) => `Atas nama: ${parties}`,
    'mysig.due': 'Tenggat tahap:',
    'mysig.open': 'Buka dan tanda tangani',
  },
  en: {
    'mysig.title': 'Waiting for my signature',
    'mysig.intro': 'Agreements waiting for your signature as the designated signatory, soonest deadline first.',
    'mysig.none': 'No agreement is waiting for your signature.',
    'mysig.count': ({ n }) => `${n} ${plural(n, 'agreement is', 'agreements are')} waiting for your signature`,
    'mysig.for': ({ parties }) => `On behalf of: ${parties}`,
    'mysig.due': 'Stage due:',
    'mysig.open': 'Open and sign',
  },
};

/** Looks a key up here, then in common.js, then in shell.js. */
export const { t, tOr, has } = translator(SIGNATURES, COMMON, SHELL);
