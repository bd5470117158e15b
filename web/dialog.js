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
    document.body.append(dialog);
    dialog.showModal();
    (form.querySelector('input, textarea, select') ?? cancel).focus();
  });
}

/** An error for formDialog's onSubmit when a required field is empty (checked before sending). */
export function missing(fieldId, message) {
  const err = new Error(message);
  err.localField = fieldId;
  return err;
}
