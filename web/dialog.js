// A modal form on the native <dialog>: focus stays inside, Escape cancels, and on a phone it
// fills the screen. Used for signing, declining and the moves that cannot be undone, which must
// say what they do and ask for a reason.
import { h } from './dom.js';
import { getLang } from './i18n.js';
import { t } from './i18n/common.js';
import { errorBox } from './ui.js';
import { clearErrors, markInvalidFields, staleBox } from './feedback.js';

/**
 * Shows the dialog; `onSubmit()` does the work and resolves with a result (the dialog closes and
 * the promise resolves with it) or throws an ApiError (shown inside, the dialog stays open).
 * Resolves null when cancelled. `onStale` is offered when the answer is a stale version.
 */
export function formDialog({ id = 'form-dialog', title, intro, content = [], submitLabel, danger = false, onSubmit, onStale }) {
  return new Promise((resolve) => {
    const errorArea = h('div', { class: 'dialog-error' });
    const submit = h('button', { type: 'submit', class: ['button', danger ? 'button-danger' : 'button-primary'], id: `${id}-ok` }, submitLabel);
    const cancel = h('button', { type: 'button', class: 'button button-plain', id: `${id}-cancel`, onclick: () => dialog.close() }, t('confirm.cancel'));
    let result = null;
    const form = h(
      'form',
      {
        novalidate: true,
        onsubmit: async (event) => {
          event.preventDefault();
          clearErrors(form, errorArea);
          submit.disabled = true;
          try {
            result = (await onSubmit(form)) ?? true;
            dialog.close();
          } catch (err) {
            submit.disabled = false;
            if (err?.localField) {
              // a check made here, before asking the server: the field says what is missing
              const field = form.querySelector(`#${CSS.escape(err.localField)}`);
              field?.setAttribute('aria-invalid', 'true');
              errorArea.append(h('div', { class: 'alert alert-error', role: 'alert' }, err.message));
              field?.focus();
              return;
            }
            const box = err?.code === 'version_conflict' && onStale ? staleBox(() => {
              dialog.close();
              onStale();
            }) : errorBox(err);
            box.tabIndex = -1;
            errorArea.append(box);
            markInvalidFields(form, err);
            box.focus();
          }
        },
      },
      h('h2', { id: `${id}-title` }, title),
      intro ? h('p', { class: 'dialog-intro' }, intro) : null,
      errorArea,
      content,
      h('div', { class: 'form-actions' }, submit, cancel),
    );
    const dialog = h('dialog', { class: 'form-dialog', id, 'aria-labelledby': `${id}-title`, lang: getLang() }, form);
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result);
    });
    keepFocusInside(dialog);
    document.body.append(dialog);
    dialog.showModal();
    (form.querySelector('input, textarea, select') ?? cancel).focus();
  });
}

const FOCUSABLE = 'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable="true"]';

/** What Tab stops at in `root`, in order; a radio group is one stop, at its checked radio (or its first). */
function tabStops(root) {
  const stops = [];
  const groups = new Set();
  for (const el of root.querySelectorAll(FOCUSABLE)) {
    if (el.disabled || el.tabIndex < 0 || el.type === 'hidden' || el.closest('[hidden], [inert]') || el.getClientRects().length === 0) continue;
    if (el.type === 'radio' && el.name) {
      if (groups.has(el.name)) continue;
      groups.add(el.name);
      stops.push(root.querySelector(`input[type="radio"][name="${CSS.escape(el.name)}"]:checked`) ?? el);
    } else stops.push(el);
  }
  return stops;
}

/**
 * Tab past the last control of a modal dialog goes back to its first, Shift+Tab before the first to
 * its last. A modal <dialog> keeps focus from the page behind it, but Chromium still lets Tab leave
 * for the browser's own controls, and a keyboard user lands in the address bar with the dialog open.
 * Closing it gives focus back to the control that opened it: the browser does that for showModal().
 */
export function keepFocusInside(dialog) {
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey) return;
    const stops = tabStops(dialog);
    const here = document.activeElement;
    // from something that is not a stop itself (an error box, the dialog), where the next stop would be
    const sameGroup = (el) => el === here || (here?.type === 'radio' && el.type === 'radio' && el.name === here.name);
    const ahead = stops.filter((el) => !sameGroup(el) && here.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
    const behind = stops.filter((el) => !sameGroup(el) && here.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING);
    const wrapTo = stops.length === 0 ? null : event.shiftKey ? (behind.length === 0 ? stops.at(-1) : null) : ahead.length === 0 ? stops[0] : null;
    if (stops.length === 0 || wrapTo) event.preventDefault();
    wrapTo?.focus();
  });
}

/** An error for formDialog's onSubmit when a required field is empty (checked before sending). */
export function missing(fieldId, message) {
  const err = new Error(message);
  err.localField = fieldId;
  return err;
}
