// The person's own settings: the time zone every page shows times in. It is kept on the account
// (PATCH /api/me), so a diplomat posted to Riyadh reads Riyadh time on every device they sign in on.
import { api, session } from '../api.js';
import { clear, h } from '../dom.js';
import { t } from '../i18n/settings.js';
import { errorBox, notice, section } from '../ui.js';
import { formatDateTime, knownZones, userZone, zoneCity } from '../time.js';

export async function renderSettings(view) {
  view.setTitle(t('settings.title'));
  const current = userZone();
  const zones = knownZones();
  if (!zones.includes(current)) zones.unshift(current);
  const select = h(
    'select',
    { id: 'settings-zone', name: 'timezone', 'aria-describedby': 'settings-zone-intro settings-zone-now' },
    zones.map((z) => h('option', { value: z, selected: z === current }, `${zoneCity(z)} (${z})`)),
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
          errorArea.append(h('div', { class: 'alert alert-error', role: 'alert' }, t('settings.zoneMissing')));
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
          await view.reload({ kind: 'success', text: t('settings.saved', { zone: `${zoneCity(user.timezone)} (${user.timezone})` }) });
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
    h('div', { class: 'field' }, h('label', { for: 'settings-zone' }, t('settings.zone')), select, h('span', { class: 'hint', id: 'settings-zone-intro' }, t('settings.zoneIntro'))),
    nowText,
    h('div', { class: 'form-actions' }, button),
  );
  const flash = view.flash ? notice(view.flash.text, view.flash.kind) : null;
  if (flash) flash.id = 'settings-flash';
  // flash is null when there is nothing to say: append() would write it out as text
  view.main.append(...[h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t('settings.title'))), flash, section(t('settings.zone'), form, { id: 'settings-zone-section' })].filter(Boolean));
}
