// The person's own settings: the time zone every page shows times in. It is kept on the account
// (PATCH /api/me), so a diplomat posted to Riyadh reads Riyadh time on every device they sign in on.
// And their own password (POST /api/me/password), replacing the first one an administrator gave them.
import { api, session } from '../api.js';
import { clear, h } from '../dom.js';
import { detailMessage } from '../feedback.js';
import { t } from '../i18n/settings.js';
import { errorBox, field, flashNotice, refusalBox, section, showFieldProblems } from '../ui.js';
import { MISSION_ZONES, formatDateTime, knownZones, userZone, zoneCity } from '../time.js';

export async function renderSettings(view) {
  view.setTitle(t('settings.title'));
  const current = userZone();
  const zones = knownZones();
  if (!zones.includes(current)) zones.unshift(current);
  const missions = MISSION_ZONES.filter((z) => zones.includes(z));
  const option = (z) => h('option', { value: z, selected: z === current }, `${zoneCity(z)} (${z})`);
  const select = h(
    'select',
    // named by its section's heading: a label saying "Zona waktu" again right under it would only repeat it
    { id: 'settings-zone', name: 'timezone', 'aria-labelledby': 'settings-zone-section-heading', 'aria-describedby': 'settings-zone-intro settings-zone-now' },
    // headquarters' and the missions' zones first: a diplomat in Kuala Lumpur should not scroll
    // past Abidjan and 250 others to find theirs
    h('optgroup', { label: t('settings.zonesMissions') }, missions.map(option)),
    h('optgroup', { label: t('settings.zonesAll') }, zones.filter((z) => !missions.includes(z)).map(option)),
  );
  const nowText = h('p', { class: 'muted', id: 'settings-zone-now' });
  const showNow = () => {
    nowText.textContent = t('settings.zoneNow', { zone: select.value, time: formatDateTime(new Date(), select.value) });
  };
  showNow();
  select.addEventListener('change', showNow);
  const errorArea = h('div', { id: 'settings-error' });
  const button = h('button', { type: 'submit', class: 'button button-primary', id: 'settings-save' }, t('settings.save'));
  const form = h(
    'form',
    {
      class: 'settings-form',
      id: 'settings-form',
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        clear(errorArea);
        if (!select.value) {
          errorArea.append(refusalBox(() => t('settings.zoneMissing')));
          select.focus();
          return;
        }
        button.disabled = true;
        button.textContent = t('settings.saving');
        try {
          const user = await api('/api/me', { method: 'PATCH', body: { timezone: select.value } });
          // the session carries the account as the server now has it: every page reads the zone from there
          const s = session.get();
          if (s) session.set({ ...s, user: { ...s.user, ...user } });
          await view.reload({ kind: 'success', text: () => t('settings.saved', { zone: `${zoneCity(user.timezone)} (${user.timezone})` }) });
        } catch (err) {
          if (!view.isCurrent()) return;
          button.disabled = false;
          button.textContent = t('settings.save');
          const box = errorBox(err);
          box.tabIndex = -1;
          errorArea.append(box);
          box.focus();
        }
      },
    },
    errorArea,
    h('div', { class: 'field' }, select, h('span', { class: 'hint', id: 'settings-zone-intro' }, t('settings.zoneIntro'))),
    nowText,
    h('div', { class: 'form-actions' }, button),
  );
  // the password form's own notice stands under its heading, not at the top
  const flash = view.flash?.at === PASSWORD_DONE ? null : flashNotice(view.flash);
  if (flash) flash.id = 'settings-flash';
  // flash is null when there is nothing to say: append() would write it out as text
  view.main.append(
    ...[
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t('settings.title'))),
      flash,
      section(t('settings.zone'), form, { id: 'settings-zone-section' }),
      section(t('settings.password'), passwordForm(view), { id: 'settings-password-section' }),
    ].filter(Boolean),
  );
}

/** Where the password form says it is done; the shell's flash names it so a language switch puts it back there. */
const PASSWORD_DONE = 'settings-password-done';

/**
 * Current password, new password and the new one again. What is wrong is said under the field it
 * concerns (a confirmation that differs is caught here; the password rule's reasons and a wrong
 * current password come from the server), and the first such field takes focus. On success the
 * fields are emptied and the page says so; this session stays signed in, the others end, and a
 * calendar feed link, revoked with them, is to be taken again on the calendar page.
 */
function passwordForm(view) {
  const input = (id, name, autocomplete) => h('input', { id, name, type: 'password', required: true, maxlength: '256', autocomplete, spellcheck: 'false' });
  const current = input('settings-current-password', 'currentPassword', 'current-password');
  const fresh = input('settings-new-password', 'newPassword', 'new-password');
  const again = input('settings-confirm-password', 'confirmPassword', 'new-password');
  const inputs = [current, fresh, again];
  // each field's problems are said right under it, and read out with it
  const problemAreas = new Map(inputs.map((el) => [el, h('div', { class: 'field-problem', id: `${el.id}-problem` })]));
  const byApiField = { currentPassword: current, newPassword: fresh };
  const result = h('div', { id: 'settings-password-result' });
  const showDone = (message) => {
    const done = flashNotice(message);
    if (message.calendarFeedRevoked) {
      done.append(h('p', { id: 'settings-calendar-feed-revoked' }, t('settings.calendarFeedRevoked'), ' ', h('a', { href: '#/calendar' }, t('settings.calendarFeedRenew'))));
    }
    done.id = PASSWORD_DONE;
    done.tabIndex = -1;
    result.append(done);
    return done;
  };
  // drawn again in the other language: the change just made is still said
  if (view.flash?.at === PASSWORD_DONE) showDone(view.flash);
  const button = h('button', { type: 'submit', class: 'button button-primary', id: 'settings-password-save' }, t('settings.changePassword'));

  /** Says each problem under its field; the first field ends with the focus (showFieldProblems moves it to the field it is given). */
  const showAtFields = (wrong) => {
    for (const w of [...wrong].reverse()) showFieldProblems(problemAreas.get(w.el), [w]);
  };
  /** The field with its problem area under it, tied to the control for screen readers. */
  const withProblem = (el, wrapper) => {
    wrapper.append(problemAreas.get(el));
    el.setAttribute('aria-describedby', [el.getAttribute('aria-describedby'), `${el.id}-problem`].filter(Boolean).join(' '));
    return wrapper;
  };

  const form = h(
    'form',
    {
      class: 'settings-form',
      id: 'settings-password-form',
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        clear(result);
        for (const el of inputs) {
          el.removeAttribute('aria-invalid');
          clear(problemAreas.get(el));
        }
        // spaces count: a password of spaces is the rule's to refuse, with its reason
        const wrong = inputs.filter((el) => !el.value).map((el) => ({ el, problem: () => t('invalid.any.required') }));
        if (fresh.value && again.value && again.value !== fresh.value) wrong.push({ el: again, problem: () => t('settings.passwordMismatch') });
        if (wrong.length) return showAtFields(wrong);
        button.disabled = true;
        button.textContent = t('settings.saving');
        try {
          const answer = await api('/api/me/password', { method: 'POST', body: { currentPassword: current.value, newPassword: fresh.value } });
          if (!view.isCurrent()) return;
          for (const el of inputs) el.value = '';
          // the feed URL went with the old password: the calendar app subscribed to it gets nothing until it is given a new one
          const message = { kind: 'success', text: () => t('settings.passwordChanged', { n: answer.otherSessionsEnded }), at: PASSWORD_DONE, calendarFeedRevoked: answer.calendarFeedRevoked };
          showDone(message).focus();
          view.showFlash(message);
        } catch (err) {
          if (!view.isCurrent()) return;
          const atFields = (Array.isArray(err?.details) ? err.details : []).filter((d) => byApiField[d.field]).map((d) => ({ el: byApiField[d.field], problem: () => detailMessage(d) }));
          if (atFields.length) {
            showAtFields(atFields);
          } else {
            const box = errorBox(err);
            box.tabIndex = -1;
            result.append(box);
            box.focus();
          }
        } finally {
          button.disabled = false;
          button.textContent = t('settings.changePassword');
        }
      },
    },
    h('p', { class: 'muted', id: 'settings-password-intro' }, t('settings.passwordIntro')),
    result,
    // the account's e-mail, unseen, so that a password manager knows whose password it is saving
    h('input', { type: 'email', name: 'username', autocomplete: 'username', value: session.get()?.user?.email ?? '', hidden: true, readonly: true, tabindex: '-1' }),
    withProblem(current, field(current.id, t('settings.currentPassword'), current)),
    withProblem(fresh, field(fresh.id, t('settings.newPassword'), fresh, t('settings.newPasswordHint'))),
    withProblem(again, field(again.id, t('settings.confirmPassword'), again)),
    h('div', { class: 'form-actions' }, button),
  );
  return form;
}
