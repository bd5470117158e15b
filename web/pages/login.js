// Sign in: e-mail and password to POST /api/auth/login; the token is kept in sessionStorage.
import { api, session } from '../api.js';
import { answer, clear, h } from '../dom.js';
import { t } from '../i18n/shell.js';
import { errorMessage, flashNotice } from '../alerts.js';

export function renderLogin(view) {
  view.setTitle(t('login.title'));
  // the refusal is an answer (dom.js): a language switch, which the reader may make to read it,
  // says it again here in the other language, with the fields it blamed still marked
  const errorArea = h('div', { id: 'login-error' });
  const email = h('input', { id: 'login-email', name: 'email', type: 'email', autocomplete: 'username', required: true, 'aria-describedby': 'login-error', spellcheck: 'false' });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'aria-describedby': 'login-error' });
  const submit = h('button', { type: 'submit', class: 'button button-primary', id: 'login-submit' }, t('login.submit'));

  /** `said`: a key of this page's texts or an API error, both read in the language of the moment. */
  const showError = (said, fields = [email, password]) => {
    clear(errorArea).append(answer(() => h('div', { class: 'alert alert-error', role: 'alert' }, h('p', { class: 'error-message' }, typeof said === 'string' ? t(said) : errorMessage(said)))));
    for (const field of fields) field.setAttribute('aria-invalid', 'true');
  };

  async function onSubmit(event) {
    event.preventDefault();
    clear(errorArea);
    email.removeAttribute('aria-invalid');
    password.removeAttribute('aria-invalid');
    if (!email.value.trim() || !password.value) {
      showError('login.missing');
      (email.value.trim() ? password : email).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = t('login.busy');
    try {
      const res = await api('/api/auth/login', { method: 'POST', body: { email: email.value.trim(), password: password.value }, auth: false });
      session.set({ token: res.token, expiresAt: res.expiresAt, user: res.user });
      view.navigate(view.takeReturnTo() || '#/agreements');
    } catch (err) {
      if (!view.isCurrent()) return;
      // the API refuses an address that is not one ("see each field below"): this form says it
      // at its one field, and the password, which was not looked at, stays
      if (err?.code === 'validation_failed' && Array.isArray(err.details) && err.details.some((d) => d?.field === 'email')) {
        showError('login.badEmail', [email]);
        email.focus();
        return;
      }
      showError(err);
      password.value = '';
      password.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = t('login.submit');
    }
  }

  view.main.append(
    h(
      'div',
      { class: 'login-wrap' },
      h(
        'section',
        { class: 'card login-card', 'aria-labelledby': 'login-title' },
        h('h1', { id: 'login-title', tabindex: '-1' }, t('login.title')),
        h('p', { class: 'muted' }, t('login.intro')),
        flashNotice(view.flash),
        h(
          'form',
          { id: 'login-form', novalidate: true, onsubmit: onSubmit },
          errorArea,
          h('div', { class: 'field' }, h('label', { for: 'login-email' }, t('login.email')), email),
          h('div', { class: 'field' }, h('label', { for: 'login-password' }, t('login.password')), password),
          h('div', { class: 'form-actions' }, submit),
        ),
      ),
    ),
  );
}
