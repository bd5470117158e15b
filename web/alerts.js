// What the shell and the sign-in page need to tell the user something: a notice, and an API
// error's message in the chosen language. Only shell.js's texts, so it comes before sign-in; ui.js
// adds the details a rejected form lists.
import { h } from './dom.js';
import { getLang } from './i18n.js';
import { t } from './i18n/shell.js';

/** The message of an API error (or of a failed fetch) in the chosen language. */
export function errorMessage(err) {
  if (!err || typeof err !== 'object' || !('status' in err)) return t('error.generic');
  if (err.status === 0) return t('error.network');
  return err.text?.[getLang()] || t('error.generic');
}

export function notice(text, kind = 'info') {
  return h('div', { class: ['alert', `alert-${kind}`], role: 'status' }, text);
}

/** A one-time notice (the shell's flash, `{ kind, text }`) in the language chosen now; null when there is none. */
export function flashNotice(message) {
  return message ? notice(message.text(), message.kind) : null;
}
