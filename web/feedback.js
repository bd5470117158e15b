// What people are told when something goes wrong or must be confirmed: validation details with
// field names as people know them, in both languages, and a stale version that saved nothing.
import { clear, h } from './dom.js';
import { pick, splitBilingual } from './i18n.js';
import { t, tOr } from './i18n/common.js';

/**
 * A field path from the API (`parties.0.signatory.email`, `title.en`, `parties[1].name`) as a
 * person reads it: "Pihak 1 › E-mail penanda tangan".
 */
export function fieldLabel(path) {
  const parts = String(path ?? '').replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean);
  const out = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === 'parties' && /^\d+$/.test(parts[i + 1] ?? '')) {
      out.push(t('form.partyN', { n: Number(parts[i + 1]) + 1 }));
      i++;
      continue;
    }
    if (part === 'signatory' && parts[i + 1]) {
      out.push(tOr(`fieldName.signatory.${parts[i + 1]}`, parts[i + 1]));
      i++;
      continue;
    }
    const joined = parts.slice(i, i + 2).join('.');
    if (parts[i + 1] && tOr(`fieldName.${joined}`, null) !== null) {
      out.push(t(`fieldName.${joined}`));
      i++;
      continue;
    }
    if (/^\d+$/.test(part)) {
      out.push(`#${Number(part) + 1}`);
      continue;
    }
    out.push(tOr(`fieldName.${part}`, part));
  }
  return out.join(' › ');
}

/** What is wrong with a field, in the chosen language (by Joi's error type; else the server's words). */
export function detailMessage(detail) {
  if (detail?.message && typeof detail.message === 'object') return pick(detail.message);
  const known = detail?.type ? tOr(`invalid.${detail.type}`, null) : null;
  if (known) return known;
  // the server's words are "English / Indonesian" and name the field itself ("'parties[0].name' is required"): the reader's half, without the name
  const text = pick(splitBilingual(detail?.message));
  return text.replace(/^'[^']*'\s*/, '') || t('invalid.generic');
}

/** The list of a 422's details, each "field: what is wrong". */
export function detailsList(details) {
  return h(
    'ul',
    { class: 'error-details' },
    // a detail with a `column` names a register's header as the file must write it ("code", not the page's "Kode")
    details.map((d) => h('li', { dataset: { field: d.field ?? '' } }, d.field ? [h('strong', null, 'column' in d ? d.field : fieldLabel(d.field)), `: ${detailMessage(d)}`] : detailMessage(d))),
  );
}

/** Marks the inputs a 422 names (ids follow the field paths) and returns how many were found. */
export function markInvalidFields(root, err) {
  const details = Array.isArray(err?.details) ? err.details : [];
  let found = 0;
  for (const d of details) {
    if (!d.field) continue;
    const id = String(d.field).replace(/\[(\d+)\]/g, '.$1').replace(/\./g, '-');
    const el = root.querySelector(`#${CSS.escape(id)}`);
    if (el) {
      el.setAttribute('aria-invalid', 'true');
      found++;
    }
  }
  return found;
}

/** A 409 on a stale version: nothing was saved; the reader is offered the current state. */
export function staleBox(onReload) {
  return h(
    'div',
    { class: 'alert alert-warning stale', role: 'alert', id: 'stale-notice' },
    h('p', { class: 'error-message' }, h('strong', null, t('stale.title')), ' ', t('stale.text')),
    h('button', { type: 'button', class: 'button button-primary', id: 'stale-reload', onclick: onReload }, t('stale.reload')),
  );
}

/** Before a new attempt: the last error and the fields it marked are cleared. */
export function clearErrors(form, errorArea) {
  clear(errorArea);
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}
