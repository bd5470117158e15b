// The administrator's page, one tab each (#/admin?tab=users|holidays|escalation|reminders|indices):
// users and roles, holidays per year, escalation addresses per unit, the reminder schedule (a
// form), reminder sweeps and deliveries with the failed ones first, and the performance indices (pages/indices.js).
import { api, query } from '../api.js';
import { append, clear, h } from '../dom.js';
import { getLang, locale, pick, splitBilingual } from '../i18n.js';
import { roleLabel, t, tOr } from '../i18n/admin.js';
import { badge, checkForm, errorBox, field, flashNotice, formatDate, formatDateTime, loading, notice, section, showFieldProblems, table, time } from '../ui.js';
import { formDialog, keepFocusInside } from '../dialog.js';
import { intl } from '../time.js';

const TABS = ['users', 'holidays', 'escalation', 'reminders', 'indices'];
const ROLES = ['admin', 'drafter', 'diplomat', 'signatory', 'auditor'];

export async function renderAdmin(view) {
  const tab = TABS.includes(view.params.get('tab')) ? view.params.get('tab') : 'users';
  view.setTitle(`${t(`admin.${tab}`)} · ${t('admin.title')}`);
  const body = h('div', { id: 'admin-body', class: 'admin-body' });
  view.main.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t('admin.title'))),
    h(
      'nav',
      { class: 'tabs', 'aria-label': t('admin.sections') },
      TABS.map((name) => h('a', { class: 'tab', href: `#/admin${query({ tab: name === 'users' ? '' : name })}`, id: `tab-${name}`, 'aria-current': name === tab ? 'page' : undefined }, t(`admin.${name}`))),
    ),
    body,
  );
  newestNoticeOnly(view, body);
  const pages = { users: usersTab, holidays: holidaysTab, escalation: escalationTab, reminders: remindersTab, indices: indicesTab };
  await pages[tab](view, body);
}

/**
 * Every notice on a tab answers one thing done, in that thing's place (a row, a form, on top after
 * a reload): starting another (a click on one of its buttons, a form sent) takes the earlier ones
 * down, with the fields an earlier refusal marked, and forgets the notice a language switch would
 * draw again; or "password changed" stayed above a later "cannot be given another role", a saved
 * schedule above a refused one, as if both held. What a place the tab loads (`aria-busy`) says of
 * its load stays: a list that could not be had is still not there.
 */
function newestNoticeOnly(view, body) {
  const newThing = (event) => {
    if (event.type === 'click' && !event.target.closest('button')) return;
    for (const said of body.querySelectorAll('.alert')) if (!said.parentElement.hasAttribute('aria-busy')) said.remove();
    for (const blamed of body.querySelectorAll('[aria-invalid="true"]')) blamed.removeAttribute('aria-invalid');
    view.showFlash(null);
  };
  body.addEventListener('click', newThing, true);
  body.addEventListener('submit', newThing, true);
}

/**
 * Runs `action` from a form's submit with its button disabled, errors shown in `out`. The forms
 * are `novalidate`: checkForm says what is wrong in the page's language, not the browser's.
 */
function submitting(out, action) {
  return async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    if (!checkForm(form, out)) return;
    const button = form.querySelector('[type=submit]');
    if (button) button.disabled = true;
    try {
      await action(form);
    } catch (err) {
      clear(out).append(errorBox(err));
    } finally {
      if (button) button.disabled = false;
    }
  };
}

/**
 * The performance indices (web/pages/indices.js), fetched when the tab is opened: few admins
 * visit it, so the other tabs do not download it.
 */
async function indicesTab(view, body) {
  let tab;
  try {
    tab = (await import('./indices.js')).indicesTab;
  } catch {
    // the module could not be fetched (a dropped link): said where the tab would be
    if (view.isCurrent()) body.append(errorBox({ status: 0 }));
    return;
  }
  if (view.isCurrent()) await tab(view, body);
}

// --- users -------------------------------------------------------------------------------------

async function usersTab(view, body) {
  const out = h('div', { id: 'user-form-result' });
  const roleSelect = (id) => h('select', { id, name: 'role', required: true }, ROLES.map((r) => h('option', { value: r, selected: r === 'diplomat' || undefined }, roleLabel(r))));
  const form = h(
    'form',
    {
      id: 'user-create',
      class: 'form-grid',
      novalidate: true,
      onsubmit: submitting(out, async (f) => {
        const data = new FormData(f);
        const user = await api('/api/users', {
          method: 'POST',
          body: { name: data.get('name').trim(), email: data.get('email').trim(), role: data.get('role'), unit: data.get('unit').trim() || undefined, password: data.get('password') },
        });
        // the form is free for the next person; the new one is said in their row
        f.reset();
        await changed({ kind: 'success', text: () => t('users.created', { name: user.name }) }, user.id);
      }),
    },
    field('new-name', t('users.name'), h('input', { id: 'new-name', name: 'name', required: true, maxlength: '200', autocomplete: 'off' })),
    field('new-email', t('users.email'), h('input', { id: 'new-email', name: 'email', type: 'email', required: true, maxlength: '254', autocomplete: 'off' })),
    field('new-role', t('users.role'), roleSelect('new-role')),
    field('new-unit', t('users.unit'), h('input', { id: 'new-unit', name: 'unit', maxlength: '40', value: 'PWNI' })),
    field('new-password', t('users.initialPassword'), h('input', { id: 'new-password', name: 'password', type: 'password', required: true, minlength: '10', autocomplete: 'new-password' }), t('users.passwordHint')),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', id: 'user-create-submit' }, t('users.create'))),
  );

  const list = h('div', { id: 'users-list', 'aria-busy': 'true' }, loading());
  append(body, [flashOf(view), section(t('admin.users'), list, { id: 'users' }), section(t('users.create'), [form, out], { id: 'user-new' })]);

  const draw = async () => {
    const res = await api('/api/users?limit=200');
    if (!view.isCurrent()) return;
    clear(list).append(
      h('p', { class: 'muted' }, t('users.total', { n: res.total ?? res.items.length })),
      table({
        caption: t('users.caption'),
        head: [t('users.name'), t('users.email'), t('users.role'), t('users.unit'), t('users.status'), t('users.actions')],
        rows: res.items.map((u) => userRow(view, u, changed)),
        className: 'users-table',
      }),
    );
  };

  /**
   * The list drawn again in place after a change to user `id`, `message` said in their row (or,
   * for one deleted, in a row where theirs stood), focused and on screen. On top of the tab it was
   * screens away from the row on a phone, and the page drawn anew lost what was typed in the form.
   */
  async function changed(message, id) {
    const rows = [...list.querySelectorAll('tbody > tr')];
    const stood = rows.findIndex((row) => row.dataset.id === id);
    await draw();
    if (!view.isCurrent()) return;
    let place = list.querySelector(`#user-said-${CSS.escape(id)}`);
    if (!place) {
      // gone: said where the row was, the one after it moving down
      place = h('td', { colspan: '6' });
      const after = list.querySelectorAll('tbody > tr')[stood];
      const row = h('tr', { class: 'user-gone' }, place);
      if (after) after.before(row);
      else list.querySelector('tbody')?.append(row);
    }
    const said = flashNotice(message);
    said.id = 'users-said';
    said.tabIndex = -1;
    place.append(said);
    view.showFlash(message);
    said.focus({ preventScroll: true });
    said.scrollIntoView({ block: 'center' });
  }

  try {
    await draw();
  } catch (err) {
    if (view.isCurrent()) clear(list).append(errorBox(err));
  } finally {
    list.setAttribute('aria-busy', 'false');
  }
}

/** The message a tab left for itself before reloading (the shell's flash). */
function flashOf(view) {
  return flashNotice(view.flash);
}

/** A user's row: `changed(message, id)` draws the list again with what a change did said in the row. */
function userRow(view, u, changed) {
  // named by the user: a language switch says a refusal again here (dom.js `answer`)
  const out = h('div', { class: 'row-result', id: `user-said-${u.id}` });
  const nameId = `user-${u.id}`;
  const act = (label, id, onclick, extra = {}) => h('button', { type: 'button', class: ['button button-small', extra.danger && 'button-danger'], id, onclick, 'aria-describedby': nameId }, label);

  const setDisabled = () => api(`/api/users/${encodeURIComponent(u.id)}`, { method: 'PATCH', body: { disabled: !u.disabled } });
  const toggled = () => changed({ kind: 'success', text: () => t(u.disabled ? 'users.enabledOk' : 'users.disabledOk', { name: u.name }) }, u.id);
  // Enabling is at once. Disabling asks first: it signs the person out everywhere and revokes their
  // calendar link for good (enabling again does not bring it back), one click away from Reset password.
  const toggle = act(u.disabled ? t('users.enable') : t('users.disable'), `toggle-${u.id}`, (event) => {
    if (!u.disabled) {
      return confirmDialog({
        id: 'user-disable-dialog',
        title: t('users.disableTitle', { name: u.name }),
        text: [t('users.disableText', { name: u.name })],
        yes: t('users.disableConfirm'),
        danger: true,
        action: setDisabled,
        then: toggled,
        returnTo: event.currentTarget,
      });
    }
    return setDisabled()
      .then(toggled)
      .catch((err) => clear(out).append(errorBox(err)));
  });

  const reset = act(t('users.resetPassword'), `reset-${u.id}`, () => {
    const input = h('input', { id: `pw-${u.id}`, type: 'password', required: true, minlength: '10', autocomplete: 'new-password' });
    // what is wrong shows beside the form, which stays to be corrected
    const problems = h('div', { id: `pw-result-${u.id}` });
    clear(out).append(
      h(
        'form',
        {
          class: 'inline-form',
          novalidate: true,
          onsubmit: submitting(problems, async () => {
            await api(`/api/users/${encodeURIComponent(u.id)}`, { method: 'PATCH', body: { password: input.value } });
            const done = { kind: 'success', text: () => t('users.passwordSet', { name: u.name }) };
            clear(out).append(flashNotice(done));
            view.showFlash(done);
          }),
        },
        field(`pw-${u.id}`, t('users.newPassword'), input, t('users.passwordHint')),
        h('button', { type: 'submit', class: 'button button-small button-primary' }, t('users.setPassword')),
      ),
      problems,
    );
    input.focus();
  });

  const remove = act(t('users.delete'), `delete-${u.id}`, () => confirmDelete(u, changed), { danger: true });

  return h(
    'tr',
    { dataset: { id: u.id, email: u.email } },
    h('th', { scope: 'row', id: nameId }, u.name),
    h('td', { dataset: { label: t('users.email') } }, u.email),
    h('td', { dataset: { label: t('users.role') } }, roleForm(u, nameId, out, changed)),
    h('td', { dataset: { label: t('users.unit') } }, u.unit),
    h('td', { dataset: { label: t('users.status') } }, u.disabled ? badge(t('users.disabled'), 'danger') : badge(t('users.active'), 'success')),
    h('td', { class: 'row-actions' }, h('div', { class: 'form-actions' }, toggle, reset, remove), out),
  );
}

/** The role as a choice and a button to change it (a change of role ends the user's sessions on the server's terms). */
function roleForm(u, nameId, out, changed) {
  const select = h(
    'select',
    { id: `role-${u.id}`, 'aria-label': `${t('users.role')}: ${u.name}`, class: 'select-compact' },
    ROLES.map((r) => h('option', { value: r, selected: r === u.role || undefined }, roleLabel(r))),
  );
  const save = h('button', { type: 'submit', class: 'button button-small', 'aria-describedby': nameId, id: `role-save-${u.id}` }, t('users.changeRole'));
  return h(
    'form',
    {
      class: 'role-form',
      onsubmit: submitting(out, async () => {
        if (select.value === u.role) return;
        try {
          await api(`/api/users/${encodeURIComponent(u.id)}`, { method: 'PATCH', body: { role: select.value } });
        } catch (err) {
          // nothing changed: the choice shows the role the account still has
          select.value = u.role;
          throw err;
        }
        await changed({ kind: 'success', text: () => t('users.updated', { name: u.name }) }, u.id);
      }),
    },
    select,
    save,
  );
}

/** A modal dialog that asks for a reason before an account is deleted for good. */
function confirmDelete(u, changed) {
  // checked here rather than by the browser, so the message is the page's own, in the page's language
  const reason = h('textarea', { id: 'delete-reason', rows: '3', maxlength: '500', 'aria-required': 'true' });
  const out = h('div');
  const dialog = h(
    'dialog',
    { class: 'confirm-dialog', id: 'delete-dialog', 'aria-labelledby': 'delete-title' },
    h(
      'form',
      {
        method: 'dialog',
        onsubmit: async (event) => {
          event.preventDefault();
          if (!reason.value.trim()) {
            reason.setAttribute('aria-invalid', 'true');
            clear(out).append(h('p', { class: 'alert alert-error', role: 'alert' }, t('users.reasonMissing')));
            reason.focus();
            return;
          }
          try {
            await api(`/api/users/${encodeURIComponent(u.id)}`, { method: 'DELETE', body: { reason: reason.value.trim() } });
            dialog.close();
            dialog.remove();
            await changed({ kind: 'success', text: () => t('users.deleted', { name: u.name }) }, u.id);
          } catch (err) {
            clear(out).append(errorBox(err));
          }
        },
      },
      h('h2', { id: 'delete-title' }, t('users.deleteTitle', { name: u.name })),
      h('p', null, t('users.deleteWarning')),
      field('delete-reason', t('users.reason'), reason),
      out,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'submit', class: 'button button-danger', id: 'delete-confirm' }, t('users.confirmDelete')),
        h('button', { type: 'button', class: 'button', id: 'delete-cancel', onclick: () => dialog.close() }, t('admin.cancel')),
      ),
    ),
  );
  dialog.addEventListener('close', () => dialog.remove());
  keepFocusInside(dialog);
  document.body.append(dialog);
  dialog.showModal();
  reason.focus();
}

// --- holidays ----------------------------------------------------------------------------------

async function holidaysTab(view, body) {
  const thisYear = new Date().getFullYear();
  const asked = Number.parseInt(view.params.get('year') ?? '', 10);
  const year = asked >= 2000 && asked <= 2100 ? asked : thisYear;
  const years = [...new Set([thisYear - 1, thisYear, thisYear + 1, thisYear + 2, year])].sort();
  const yearSelect = h('select', { id: 'holiday-year', name: 'year' }, years.map((y) => h('option', { value: String(y), selected: y === year || undefined }, String(y))));
  const pickYear = h(
    'form',
    { class: 'inline-form', id: 'holiday-year-form', onsubmit: (e) => (e.preventDefault(), view.navigate(`#/admin?tab=holidays&year=${yearSelect.value}`)) },
    field('holiday-year', t('holidays.year'), yearSelect),
    h('button', { type: 'submit', class: 'button' }, t('holidays.show')),
  );

  const out = h('div', { id: 'holiday-form-result' });
  const form = h(
    'form',
    {
      id: 'holiday-add',
      class: 'form-grid',
      novalidate: true,
      onsubmit: submitting(out, async (f) => {
        const data = new FormData(f);
        const date = data.get('date');
        const shown = () => formatDate(`${date}T00:00:00Z`, 'UTC');
        const add = async (key) => {
          await api('/api/holidays', { method: 'POST', body: { date, kind: data.get('kind'), name: { id: data.get('nameId').trim(), en: data.get('nameEn').trim() } } });
          view.navigate(`#/admin?tab=holidays&year=${date.slice(0, 4)}`, { flash: { kind: 'success', text: () => t(key, { date: shown() }) } });
        };
        // the API replaces a day that is already there: the admin is told which, and asked first
        const that = await api(`/api/holidays?year=${date.slice(0, 4)}`);
        const existing = that.days.find((d) => d.date === date);
        if (!existing) return add('holidays.addedOk');
        confirmDialog({
          id: 'holiday-replace-dialog',
          title: t('holidays.replaceTitle', { date: shown() }),
          text: [t('holidays.replaceText', { name: pick(existing.name), kind: t(`holidays.kind.${existing.kind}`), source: sourceLabel(existing, that.official) })],
          yes: t('holidays.replaceConfirm'),
          action: () => add('holidays.replacedOk'),
          returnTo: f.querySelector('[type=submit]'),
        });
      }),
    },
    field('holiday-date', t('holidays.date'), h('input', { id: 'holiday-date', name: 'date', type: 'date', required: true })),
    field(
      'holiday-kind',
      t('holidays.kind'),
      h('select', { id: 'holiday-kind', name: 'kind' }, ['holiday', 'collective_leave'].map((k) => h('option', { value: k }, t(`holidays.kind.${k}`)))),
    ),
    field('holiday-name-id', t('holidays.nameId'), h('input', { id: 'holiday-name-id', name: 'nameId', required: true, maxlength: '200', lang: 'id' })),
    field('holiday-name-en', t('holidays.nameEn'), h('input', { id: 'holiday-name-en', name: 'nameEn', required: true, maxlength: '200', lang: 'en' })),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', id: 'holiday-add-submit' }, t('holidays.add'))),
  );

  const list = h('div', { id: 'holidays-list', 'aria-busy': 'true' }, loading());
  append(body, [flashOf(view), section(t('admin.holidays'), [pickYear, list], { id: 'holidays' }), section(t('holidays.add'), [form, out], { id: 'holiday-new' })]);

  try {
    const res = await api(`/api/holidays?year=${year}`);
    if (!view.isCurrent()) return;
    append(clear(list), [
      res.days.length
        ? table({
            caption: t('holidays.caption', { year }),
            hideCaption: false,
            head: [t('holidays.date'), t('holidays.kind'), t('holidays.name'), t('holidays.source'), t('users.actions')],
            rows: res.days.map((d) => holidayRow(view, d, year, res.official)),
            className: 'holidays-table stack-on-phone',
          })
        : h('p', { class: 'empty' }, t('holidays.none')),
      removedHolidays(view, res.removed ?? [], year),
    ]);
  } catch (err) {
    if (view.isCurrent()) clear(list).append(errorBox(err));
  } finally {
    list.setAttribute('aria-busy', 'false');
  }
}

/** Where a day comes from: an admin, or the national list (the year's decree, a fixed date, or an estimate before the decree). */
function sourceLabel(d, official) {
  if (d.source === 'admin') return t('holidays.added');
  if (d.provisional) return t('holidays.provisional');
  return official ? t('holidays.shipped') : t('holidays.shippedFixed');
}

function holidayRow(view, d, year, official) {
  const dateId = `holiday-${d.date}`;
  const shown = () => formatDate(`${d.date}T00:00:00Z`, 'UTC');
  const day = new Date(`${d.date}T00:00:00Z`);
  // the weekday's name when the holiday falls on a Saturday or Sunday (days off whatever the calendar says), else null
  const offDay = day.getUTCDay() === 0 || day.getUTCDay() === 6 ? intl(Intl.DateTimeFormat, locale(), { weekday: 'long', timeZone: 'UTC' }).format(day) : null;
  return h(
    'tr',
    { dataset: { date: d.date } },
    h('th', { scope: 'row', id: dateId }, time(`${d.date}T00:00:00Z`, false, 'UTC')),
    h('td', { dataset: { label: t('holidays.kind') } }, t(`holidays.kind.${d.kind}`)),
    h('td', { dataset: { label: t('holidays.name') } }, pick(d.name)),
    h('td', { dataset: { label: t('holidays.source') } }, sourceLabel(d, official)),
    h(
      'td',
      null,
      h(
        'button',
        {
          type: 'button',
          class: 'button button-small',
          'aria-describedby': dateId,
          id: `remove-${d.date}`,
          onclick: (event) =>
            confirmDialog({
              returnTo: event.currentTarget,
              id: 'holiday-remove-dialog',
              title: t('holidays.removeTitle', { date: shown() }),
              // a holiday on a Saturday or Sunday leaves a day that is off all the same: no deadline moves
              text: [
                offDay ? t('holidays.removeTextWeekend', { name: pick(d.name), weekday: offDay }) : t('holidays.removeText', { name: pick(d.name) }),
                d.source === 'file' ? t('holidays.removeShippedNote') : null,
              ],
              yes: t('holidays.removeConfirm'),
              danger: true,
              action: async () => {
                await api(`/api/holidays/${d.date}`, { method: 'DELETE' });
                view.navigate(`#/admin?tab=holidays&year=${year}`, { flash: { kind: 'success', text: () => t(offDay ? 'holidays.removedWeekend' : 'holidays.removed', { date: shown() }) } });
              },
            }),
        },
        t('admin.remove'),
      ),
    ),
  );
}

/** The national list's days an admin removed this year, each with the way to put it back as it was. */
function removedHolidays(view, days, year) {
  if (!days.length) return null;
  return h(
    'div',
    { id: 'holidays-removed', class: 'holidays-removed' },
    h('h3', { id: 'holidays-removed-title' }, t('holidays.removedList')),
    h(
      'ul',
      { 'aria-labelledby': 'holidays-removed-title' },
      days.map((d) => {
        const out = h('div');
        const shown = () => formatDate(`${d.date}T00:00:00Z`, 'UTC');
        const nameId = `removed-${d.date}`;
        return h(
          'li',
          { dataset: { date: d.date } },
          h('span', { id: nameId }, time(`${d.date}T00:00:00Z`, false, 'UTC'), ` · ${pick(d.name)} (${t(`holidays.kind.${d.kind}`)})`),
          h(
            'button',
            {
              type: 'button',
              class: 'button button-small',
              id: `restore-${d.date}`,
              'aria-describedby': nameId,
              onclick: async (event) => {
                const button = event.currentTarget;
                button.disabled = true;
                try {
                  // as the national list has it: the server then drops the removal and the day reads as shipped again
                  await api('/api/holidays', { method: 'POST', body: { date: d.date, kind: d.kind, name: d.name } });
                  view.navigate(`#/admin?tab=holidays&year=${year}`, { flash: { kind: 'success', text: () => t('holidays.restored', { date: shown() }) } });
                } catch (err) {
                  clear(out).append(errorBox(err));
                  button.disabled = false;
                }
              },
            },
            t('holidays.restore'),
          ),
          out,
        );
      }),
    ),
  );
}

/**
 * A modal question before a change made with one click (removing or replacing a holiday): it says
 * what will change; `action` runs on yes and its error shows inside (formDialog), and `then` says
 * it once the dialog has closed (a modal dialog keeps focus from the notice). Escape or Cancel
 * leaves all as it was, and focus goes back to `returnTo` (a submit button is disabled while the
 * form is sent, so the browser has nothing of its own to go back to).
 */
async function confirmDialog({ id, title, text, yes, danger = false, action, then, returnTo }) {
  const done = await formDialog({ id, title, content: h('div', { id: `${id}-text` }, text.filter(Boolean).map((p) => h('p', null, p))), submitLabel: yes, danger, onSubmit: action });
  if (done) await then?.();
  else if (returnTo?.isConnected && (!document.activeElement || document.activeElement === document.body)) returnTo.focus();
}

// --- escalation --------------------------------------------------------------------------------

/** An e-mail address as the escalation list takes it: a name, @, and a domain with a dot (as the API's check). */
const EMAIL = /^[^\s@,;]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** Names, at the field, the typed addresses that are not e-mail addresses. */
const notAddresses = (out, input, wrong) =>
  showFieldProblems(out, [{ el: input, problem: () => t('escalation.invalidEmails', { list: wrong.map((e) => `“${e}”`).join(', '), n: wrong.length }) }]);

async function escalationTab(view, body) {
  const out = h('div', { id: 'escalation-result' });
  const unit = h('input', { id: 'esc-unit', name: 'unit', required: true, maxlength: '40' });
  const emails = h('input', { id: 'esc-emails', name: 'emails', type: 'text', maxlength: '2000', autocomplete: 'off' });
  const form = h(
    'form',
    {
      id: 'escalation-form',
      class: 'form-grid',
      novalidate: true,
      onsubmit: submitting(out, async () => {
        const list = emails.value.split(/[,;\s]+/).map((e) => e.trim()).filter(Boolean);
        // the addresses that are not addresses, named as typed (the API would say "emails › #2")
        const wrong = list.filter((e) => !EMAIL.test(e));
        if (wrong.length) return notAddresses(out, emails, wrong);
        let saved;
        try {
          saved = await api(`/api/reminders/escalation/${encodeURIComponent(unit.value.trim())}`, { method: 'PUT', body: { emails: list } });
        } catch (err) {
          // what the server refused all the same (its check is stricter than this page's): the same words
          const refused = (Array.isArray(err?.details) ? err.details : []).map((d) => /^emails\.(\d+)$/.exec(String(d.field ?? ''))?.[1]).filter((i) => i !== undefined);
          if (refused.length) return notAddresses(out, emails, refused.map((i) => list[Number(i)]));
          throw err;
        }
        // under the unit's name as its agreements spell it ("pwni" is saved for PWNI)
        view.reload({ kind: 'success', text: () => t('escalation.saved', { unit: saved.unit }) });
      }),
    },
    field('esc-unit', t('escalation.unit'), unit),
    field('esc-emails', t('escalation.emails'), emails, t('escalation.emailsHint')),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', id: 'escalation-save' }, t('escalation.save'))),
  );
  const list = h('div', { id: 'escalation-list', 'aria-busy': 'true' }, loading());
  append(body, [flashOf(view), section(t('admin.escalation'), [h('p', { class: 'muted' }, t('escalation.intro')), list], { id: 'escalation' }), section(t('escalation.save'), [form, out], { id: 'escalation-edit' })]);
  try {
    const res = await api('/api/reminders/escalation');
    if (!view.isCurrent()) return;
    clear(list).append(
      res.items.length
        ? table({
            caption: t('escalation.caption'),
            head: [t('escalation.unit'), t('escalation.emails'), t('users.actions')],
            rows: res.items.map((r) =>
              h(
                'tr',
                { dataset: { unit: r.unit } },
                h('th', { scope: 'row' }, r.unit),
                h('td', { dataset: { label: t('escalation.emails') } }, r.emails.join(', ')),
                h(
                  'td',
                  null,
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'button button-small',
                      onclick: () => {
                        unit.value = r.unit;
                        emails.value = r.emails.join(', ');
                        emails.focus();
                      },
                    },
                    t('escalation.edit', { unit: r.unit }),
                  ),
                ),
              ),
            ),
            className: 'escalation-table stack-on-phone',
          })
        : h('p', { class: 'empty' }, t('escalation.none')),
    );
  } catch (err) {
    if (view.isCurrent()) clear(list).append(errorBox(err));
  } finally {
    list.setAttribute('aria-busy', 'false');
  }
}

// --- reminders ---------------------------------------------------------------------------------

async function remindersTab(view, body) {
  const out = h('div', { id: 'sweep-result', class: 'reserve-line' });
  const sweep = h(
    'button',
    {
      type: 'button',
      class: 'button button-primary',
      id: 'sweep-run',
      onclick: async () => {
        sweep.disabled = true;
        clear(out).append(h('p', { role: 'status', class: 'loading' }, t('reminders.sweeping')));
        try {
          const res = await api('/api/reminders/sweep', { method: 'POST' });
          if (!view.isCurrent()) return;
          const text = () => (res.ran === false ? t('reminders.sweepBusy') : t('reminders.sweepDone', { recorded: res.remindersRecorded ?? 0, sent: res.sent ?? 0, logged: res.logged ?? 0, failed: res.failed ?? 0 }));
          view.reload({ kind: res.ran === false ? 'warning' : 'success', text });
        } catch (err) {
          clear(out).append(errorBox(err));
          sweep.disabled = false;
        }
      },
    },
    t('reminders.sweep'),
  );
  // Which channels deliver: without SMTP nothing is e-mailed, and the admin must see that at a glance.
  // the e-mail channel is told with the deliveries: a place loaded as they are, whose word stays (newestNoticeOnly)
  const channels = h('div', { id: 'reminder-channels', 'aria-busy': 'true' });
  // when reminders go out, as the sweep follows it, and the form that changes it
  const schedule = h('div', { id: 'reminder-schedule-box', 'aria-busy': 'true' }, loading());
  const scheduleEdit = h('div', { id: 'reminder-schedule-form-box' });
  const failed = h('div', { id: 'deliveries-failed', 'aria-busy': 'true' }, loading());
  const recent = h('div', { id: 'deliveries-recent', 'aria-busy': 'true' }, loading());
  append(body, [
    flashOf(view),
    section(t('admin.reminders'), [channels, schedule, h('div', { class: 'form-actions' }, sweep), out], { id: 'sweep' }),
    scheduleEdit,
    section(t('reminders.failed'), failed, { id: 'failed' }),
    section(t('reminders.recent'), recent, { id: 'recent' }),
  ]);
  const fill = async (el, status, empty) => {
    try {
      const res = await api(`/api/reminders${query({ status, limit: 50 })}`);
      if (!view.isCurrent()) return;
      if (res.channels && el === recent) clear(channels).append(notice(pick(res.channels.email.note), res.channels.email.live ? 'info' : 'warning'));
      clear(el).append(res.items.length ? deliveriesTable(res.items, el === failed ? t('reminders.failed') : t('reminders.recent')) : h('p', { class: 'empty' }, empty));
    } catch (err) {
      if (view.isCurrent()) clear(el).append(errorBox(err));
    } finally {
      el.setAttribute('aria-busy', 'false');
      if (el === recent) channels.setAttribute('aria-busy', 'false');
    }
  };
  const fillSchedule = async () => {
    try {
      const res = await api('/api/reminders/schedule');
      if (!view.isCurrent()) return;
      append(clear(schedule), [...scheduleList(res.schedule), scheduleNote(res)]);
      append(clear(scheduleEdit), [scheduleForm(view, res)]);
    } catch (err) {
      if (view.isCurrent()) clear(schedule).append(errorBox(err));
    } finally {
      schedule.setAttribute('aria-busy', 'false');
    }
  };
  await Promise.all([fillSchedule(), fill(failed, 'failed', t('reminders.noFailed')), fill(recent, 'pending,sending,sent,logged', t('reminders.none'))]);
}

/** Each field of the schedule: its label (also naming it in what changed) and how a value reads. */
const SCHEDULE_FIELDS = {
  daysBefore: { label: 'schedule.daysBefore', value: (v) => (v.length ? v.join(', ') : t('schedule.none')) },
  onTheDay: { label: 'schedule.onTheDayField', value: (v) => t(v ? 'schedule.yes' : 'schedule.no') },
  sendAtLocalTime: { label: 'schedule.sendAt', value: (v) => (getLang() === 'id' ? v.replace(':', '.') : v) },
  overdueFirstAfterWorkingDays: { label: 'schedule.overdueFirst', value: String },
  overdueEveryWorkingDays: { label: 'schedule.overdueEvery', value: String },
  overdueMaxReminders: { label: 'schedule.overdueMax', value: String },
  escalateFromOverdueReminder: { label: 'schedule.escalateFrom', value: (v) => (v === 0 ? t('schedule.never') : String(v)) },
};

/** Who changed the schedule last, or that it is the shipped one. */
function scheduleNote(res) {
  const last = res.changes[0];
  const text = res.isDefault && !last ? t('schedule.isDefault') : last ? t('schedule.lastChange', { name: last.by.name, at: formatDateTime(last.at) }) : null;
  return text ? h('p', { class: 'muted', id: 'reminder-schedule-note' }, text) : null;
}

/**
 * The schedule as a form: saving moves every open deadline onto it (the server does, in one
 * transaction) and the page then says what changed; "restore the defaults" saves the shipped one.
 */
function scheduleForm(view, res) {
  const s = res.schedule;
  const out = h('div', { id: 'reminder-schedule-result' });
  const number = (name, min, max) => h('input', { id: `rs-${name}`, name, type: 'number', inputmode: 'numeric', min: String(min), max: String(max), step: '1', required: true, value: String(s[name]) });
  const inputs = {
    daysBefore: h('input', {
      id: 'rs-daysBefore',
      name: 'daysBefore',
      inputmode: 'numeric',
      autocomplete: 'off',
      value: s.daysBefore.join(', '),
      pattern: '\\s*(\\d+\\s*(,\\s*\\d+\\s*)*)?',
      dataset: { invalid: t('schedule.daysBeforeInvalid') },
    }),
    onTheDay: h('input', { id: 'rs-onTheDay', name: 'onTheDay', type: 'checkbox', checked: s.onTheDay }),
    // text, not type=time: Chromium shows a time input in the browser's locale ("01:30 PM" on an Indonesian page)
    sendAtLocalTime: h('input', {
      id: 'rs-sendAtLocalTime',
      name: 'sendAtLocalTime',
      inputmode: 'numeric',
      autocomplete: 'off',
      maxlength: '5',
      required: true,
      value: SCHEDULE_FIELDS.sendAtLocalTime.value(s.sendAtLocalTime),
      pattern: '([01]?\\d|2[0-3])[:.][0-5]\\d',
      dataset: { invalid: t('schedule.sendAtInvalid') },
    }),
    overdueFirstAfterWorkingDays: number('overdueFirstAfterWorkingDays', 1, 30),
    overdueEveryWorkingDays: number('overdueEveryWorkingDays', 1, 30),
    overdueMaxReminders: number('overdueMaxReminders', 0, 20),
    escalateFromOverdueReminder: number('escalateFromOverdueReminder', 0, 20),
  };
  const read = () => ({
    daysBefore: inputs.daysBefore.value.split(',').map((d) => d.trim()).filter(Boolean).map(Number),
    onTheDay: inputs.onTheDay.checked,
    // "8.30" as Indonesians write it is 08:30
    sendAtLocalTime: inputs.sendAtLocalTime.value.trim().replace('.', ':').padStart(5, '0'),
    overdueFirstAfterWorkingDays: Number(inputs.overdueFirstAfterWorkingDays.value),
    overdueEveryWorkingDays: Number(inputs.overdueEveryWorkingDays.value),
    overdueMaxReminders: Number(inputs.overdueMaxReminders.value),
    escalateFromOverdueReminder: Number(inputs.escalateFromOverdueReminder.value),
  });
  const save = async (body) => {
    let change;
    try {
      change = await api('/api/reminders/schedule', { method: 'PUT', body });
    } catch (err) {
      // each field the server refused, at that field, in the reader's language (its words name the limits)
      const wrong = (Array.isArray(err?.details) ? err.details : [])
        .map((d) => ({ el: inputs[String(d.field ?? '').split('.')[0]], words: splitBilingual(d.message) }))
        .filter((w) => w.el);
      if (wrong.length) return showFieldProblems(out, wrong.map(({ el, words }) => ({ el, problem: () => pick(words).replace(/^'[^']*'\s*/, '') })));
      throw err;
    }
    const changes = () => change.changed.map((k) => `${t(SCHEDULE_FIELDS[k].label)} ${SCHEDULE_FIELDS[k].value(change.before[k])} → ${SCHEDULE_FIELDS[k].value(change.after[k])}`).join('; ');
    view.reload(change.changed.length ? { kind: 'success', text: () => [t('schedule.saved', { changes: changes() }), change.deadlinesRescheduled ? t('schedule.rescheduled', { n: change.deadlinesRescheduled }) : ''].join(' ').trim() } : { kind: 'info', text: () => t('schedule.unchanged') });
  };
  const restore = h(
    'button',
    {
      type: 'button',
      class: 'button',
      id: 'reminder-schedule-restore',
      disabled: res.isDefault,
      onclick: async () => {
        restore.disabled = true;
        clear(out);
        try {
          await save(res.defaults);
        } catch (err) {
          clear(out).append(errorBox(err));
        } finally {
          restore.disabled = res.isDefault;
        }
      },
    },
    t('schedule.restore'),
  );
  const numberField = (name, label, hint) => field(inputs[name].id, t(label), inputs[name], hint ? t(hint) : undefined);
  return section(
    t('schedule.formTitle'),
    [
      h(
        'form',
        { id: 'reminder-schedule-form', class: 'form-grid', novalidate: true, onsubmit: submitting(out, () => {
            const body = read();
            // said here in the form's words: the server's names the API field, overdueMaxReminders
            if (body.escalateFromOverdueReminder > body.overdueMaxReminders) {
              return showFieldProblems(out, [{ el: inputs.escalateFromOverdueReminder, problem: () => t('schedule.escalateTooHigh', { max: body.overdueMaxReminders }) }]);
            }
            return save(body);
          }) },
        field('rs-daysBefore', t('schedule.daysBefore'), inputs.daysBefore, t('schedule.daysBeforeHint')),
        h('div', { class: 'field' }, h('label', { class: 'check', for: 'rs-onTheDay' }, inputs.onTheDay, ' ', t('schedule.onTheDayField'))),
        field('rs-sendAtLocalTime', t('schedule.sendAt'), inputs.sendAtLocalTime, t('schedule.sendAtHint')),
        numberField('overdueFirstAfterWorkingDays', 'schedule.overdueFirst'),
        numberField('overdueEveryWorkingDays', 'schedule.overdueEvery'),
        numberField('overdueMaxReminders', 'schedule.overdueMax', 'schedule.overdueMaxHint'),
        numberField('escalateFromOverdueReminder', 'schedule.escalateFrom', 'schedule.escalateFromHint'),
        h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', id: 'reminder-schedule-save' }, t('schedule.save')), restore),
      ),
      out,
    ],
    { id: 'reminder-schedule-edit' },
  );
}

/** The reminder schedule in force (GET /api/reminders, `schedule`) in sentences, one a rung of the ladder. */
function scheduleList(s) {
  const at = getLang() === 'id' ? s.sendAtLocalTime.replace(':', '.') : s.sendAtLocalTime;
  const days = new Intl.ListFormat(locale(), { type: 'conjunction' }).format(s.daysBefore.map(String));
  const items = [
    s.daysBefore.length ? t('schedule.before', { days, n: s.daysBefore.length === 1 ? s.daysBefore[0] : 2 }) : null,
    s.onTheDay ? t('schedule.onTheDay', { at }) : null,
    s.overdueMaxReminders > 0 ? t('schedule.overdue', { first: s.overdueFirstAfterWorkingDays, every: s.overdueEveryWorkingDays, max: s.overdueMaxReminders, at }) : null,
    s.escalateFromOverdueReminder > 0 ? t('schedule.escalation', { from: s.escalateFromOverdueReminder }) : t('schedule.noEscalation'),
  ];
  return [
    h('h3', { id: 'reminder-schedule-title' }, t('schedule.title')),
    h('ul', { id: 'reminder-schedule', 'aria-labelledby': 'reminder-schedule-title' }, items.filter(Boolean).map((text) => h('li', null, text))),
    h('p', { class: 'muted' }, t('schedule.scope')),
  ];
}

/** A reminder's rung in words: 'overdue-5' is the fifth reminder after the deadline passed. */
function slotLabel(slot) {
  const m = /^(before|overdue)-(\d+)$/.exec(slot ?? '');
  if (m) return t(`slot.${m[1]}`, { n: Number(m[2]) });
  return slot === 'on-the-day' ? t('slot.onTheDay') : slot;
}

function deliveriesTable(items, caption) {
  const statusKind = { failed: 'danger', sent: 'success', logged: 'warning', pending: 'info', sending: 'info' };
  const cell = (key, ...content) => h('td', { dataset: { label: t(key) } }, ...content);
  return table({
    caption,
    head: [t('reminders.when'), t('reminders.agreement'), t('reminders.recipient'), t('reminders.channel'), t('reminders.slot'), t('reminders.status'), t('reminders.attempts'), t('reminders.error')],
    rows: items.map((d) =>
      h(
        'tr',
        { dataset: { id: d.id, status: d.status } },
        cell('reminders.when', time(d.createdAt, true)),
        cell('reminders.agreement', d.agreement?.code ? h('a', { href: `#/agreements/${encodeURIComponent(d.agreementId)}`, title: pick(d.agreement.title) }, d.agreement.code) : '—'),
        cell('reminders.recipient', d.recipient, d.escalation ? [' ', badge(t('notif.escalation'), 'danger')] : null),
        cell('reminders.channel', tOr(`channel.${d.channel}`, d.channel)),
        cell('reminders.slot', slotLabel(d.slot)),
        cell('reminders.status', badge(t(`deliveryStatus.${d.status}`), statusKind[d.status])),
        h('td', { class: 'num', dataset: { label: t('reminders.attempts') } }, `${d.attempts}/${d.maxAttempts}`),
        h('td', { class: 'delivery-error', dataset: { label: t('reminders.error') } }, d.lastErrorText ? pick(d.lastErrorText) : (d.lastError ?? '—')),
      ),
    ),
    className: 'deliveries-table stack-on-phone',
  });
}
