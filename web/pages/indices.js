// The administrator's tab of performance indices (#/admin?tab=indices), loaded by admin.js when
// the tab is opened: every index with its names by year, and adding one, renaming it from a year
// on (earlier years keep their name, so reports already written read the same), retiring it from a
// year on and reinstating it. Each change is asked for in a dialog that says what it does; the
// list is then drawn again in place, and focus goes back to the button that asked.
import { api } from '../api.js';
import { append, clear, h } from '../dom.js';
import { getLang } from '../i18n.js';
import { t } from '../i18n/indices.js';
import { badge, checkForm, errorBox, facts, field, flashNotice, loading, section, table } from '../ui.js';
import { formDialog, missing } from '../dialog.js';
import { staleBox } from '../feedback.js';
import { indexNameIn, reportYear } from '../index-years.js';

/** The years the API takes (server/routes/reports.ts). */
const MIN_YEAR = 1945;
const MAX_YEAR = 2100;
const CODE_PATTERN = '[a-z0-9_]{2,60}';


/** A year typed in a field, or null when it is not a whole year within min..MAX_YEAR. */
function yearOf(input, min = MIN_YEAR) {
  const value = input.value.trim();
  if (!/^\d{4}$/.test(value)) return null;
  const year = Number(value);
  return year >= min && year <= MAX_YEAR ? year : null;
}


const latest = (index) => index.names.at(-1);
/** What a change did, in the words of the language chosen when it is shown. */
const done = (text) => ({ kind: 'success', text });
const otherLang = () => (getLang() === 'id' ? 'en' : 'id');

export async function indicesTab(view, body) {
  const status = h('div', { id: 'indices-status' });
  const list = h('div', { id: 'indices-list', 'aria-busy': 'true' }, loading());
  const out = h('div', { id: 'index-form-result' });
  append(body, [
    section(t('admin.indices'), [h('p', { class: 'muted index-intro' }, t('indices.intro')), status, list], { id: 'indices' }),
    section(t('indices.add'), [addForm(view, out, refresh), out], { id: 'index-new' }),
  ]);

  /**
   * Draws the list again; `message` (`{ kind, text }`, as the shell's flash) says what changed
   * (`kind` 'warning' when nothing did), `focusId` is where focus goes back to.
   */
  async function refresh(message, focusId) {
    list.setAttribute('aria-busy', 'true');
    try {
      const res = await api('/api/indices');
      if (!view.isCurrent()) return;
      clear(list).append(res.items.length ? indicesTable(res.items, refresh, status) : h('p', { class: 'empty' }, t('indices.none')));
      clear(status);
      if (message) {
        status.append(flashNotice(message));
        // the one the tab is drawn with (again, in the other language) was announced already
        if (message !== view.flash) view.announce(message.text());
      }
      view.showFlash(message);
      if (focusId) document.getElementById(focusId)?.focus();
    } catch (err) {
      if (view.isCurrent()) clear(list).append(errorBox(err));
    } finally {
      list.setAttribute('aria-busy', 'false');
    }
  }

  await refresh(view.flash);
}

/** "2022–2024", "2025", "Mulai 2026": the years a name is used for (until the index is retired). */
function yearsLabel(index, i) {
  const from = index.names[i].fromYear;
  const next = index.names[i + 1]?.fromYear;
  const to = next !== undefined ? next - 1 : index.retiredFromYear !== null ? index.retiredFromYear - 1 : null;
  if (to === null || to < from) return t('indices.yearsFrom', { from });
  return from === to ? String(from) : `${from}–${to}`;
}

function indicesTable(items, refresh, status) {
  return table({
    caption: t('indices.caption'),
    head: [t('indices.code'), t('indices.names'), t('indices.status'), t('users.actions')],
    rows: items.map((index, k) => indexRow(index, refresh, orderButtons(items, k, refresh, status))),
    className: 'indices-table stack-on-phone',
  });
}

/**
 * Move up and Move down: the whole order goes to the server in one request (PUT /api/indices/order),
 * so two admins reordering at once never leave two indices in one place. Focus stays on the
 * button that moved the index, or on its other button at the top or the bottom.
 */
function orderButtons(items, k, refresh, status) {
  const index = items[k];
  const nameId = `index-name-${index.code}`;
  const move = (by) => async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    const codes = items.map((i) => i.code);
    [codes[k], codes[k + by]] = [codes[k + by], codes[k]];
    const place = k + by + 1;
    const focusId = (by < 0 ? place === 1 : place === items.length) ? `index-${by < 0 ? 'down' : 'up'}-${index.code}` : button.id;
    try {
      await api('/api/indices/order', { method: 'PUT', body: { codes } });
      await refresh(done(() => t('indices.moved', { name: indexNameIn(index, reportYear())[getLang()], place, total: items.length })), focusId);
    } catch (err) {
      // someone added or removed an index meanwhile: the list as it is now, and why nothing moved
      if (err?.code === 'version_conflict') return refresh({ kind: 'warning', text: () => t('indices.orderStale') }, button.id);
      button.disabled = false;
      status.replaceChildren(errorBox(err));
    }
  };
  const button = (dir, label, by, disabled) =>
    h('button', { type: 'button', class: 'button button-small', id: `index-${dir}-${index.code}`, 'aria-describedby': nameId, disabled: disabled || undefined, onclick: move(by) }, label);
  return [button('up', t('indices.moveUp'), -1, k === 0), button('down', t('indices.moveDown'), 1, k === items.length - 1)];
}

function indexRow(index, refresh, order) {
  const lang = getLang();
  const other = otherLang();
  const retired = index.retiredFromYear !== null;
  const nameId = `index-name-${index.code}`;
  const names = h(
    'ol',
    { class: 'index-names' },
    index.names.map((n, i) =>
      h(
        'li',
        { dataset: { fromYear: String(n.fromYear) } },
        h('span', { class: 'index-years' }, yearsLabel(index, i)),
        ' ',
        h('span', { class: 'index-name', lang, id: i === index.names.length - 1 ? nameId : undefined }, n[lang]),
        h('span', { class: 'index-name-other', lang: other }, n[other]),
      ),
    ),
  );
  const state = retired
    ? [badge(t('indices.retiredBadge', { year: index.retiredFromYear }), 'neutral'), h('div', { class: 'muted index-reported' }, t('indices.reported', { from: index.fromYear, to: index.retiredFromYear - 1 }))]
    : index.fromYear > reportYear()
      ? badge(t('indices.startsIn', { from: index.fromYear }), 'info')
      : badge(t('indices.inUse', { from: index.fromYear }), 'success');
  const button = (id, label, onclick) => h('button', { type: 'button', class: 'button button-small', id, 'aria-describedby': nameId, onclick }, label);
  const renameId = `index-rename-${index.code}`;
  const retireId = `index-retire-${index.code}`;
  return h(
    'tr',
    { class: retired ? 'index-retired' : undefined, dataset: { code: index.code, retired: String(retired) } },
    h('th', { scope: 'row' }, h('code', null, index.code)),
    h('td', { dataset: { label: t('indices.names') } }, names),
    h('td', { class: 'index-state', dataset: { label: t('indices.status') } }, state),
    h(
      'td',
      { class: 'row-actions' },
      h(
        'div',
        { class: 'form-actions' },
        button(renameId, t('indices.rename'), (event) => renameDialog(index, event.currentTarget, refresh)),
        retired
          ? button(retireId, t('indices.reinstate'), (event) => reinstateDialog(index, event.currentTarget, refresh))
          : button(retireId, t('indices.retire'), (event) => retireDialog(index, event.currentTarget, refresh)),
        ...order,
      ),
    ),
  );
}

/**
 * A dialog for a change to one index (dialog.js: Escape cancels, errors show inside, in the page's
 * language). On success the list is drawn again with `done(result)` on top; either way focus goes
 * back to `opener` (drawn anew under the same id).
 */
async function changeDialog(opener, refresh, { done: describe, ...options }) {
  const focusId = opener.id;
  const result = await formDialog({ ...options, onStale: () => refresh(null, focusId) });
  if (result) await refresh(done(() => describe(result)), focusId);
  else document.getElementById(focusId)?.focus();
}

const patch = (index, body) => api(`/api/indices/${encodeURIComponent(index.code)}`, { method: 'PATCH', body: { version: index.version, ...body } });

const yearInput = (id, value) => h('input', { id, type: 'text', inputmode: 'numeric', autocomplete: 'off', maxlength: '4', class: 'short', value: String(value) });

function renameDialog(index, opener, refresh) {
  const lang = getLang();
  const current = latest(index);
  const year = yearInput('rename-year', Math.max(reportYear(), index.fromYear));
  const nameId = h('input', { id: 'rename-id', maxlength: '300', lang: 'id', value: current.id, autocomplete: 'off' });
  const nameEn = h('input', { id: 'rename-en', maxlength: '300', lang: 'en', value: current.en, autocomplete: 'off' });
  // what the chosen year means for the names the index already has, said as it is typed
  const hint = h('span');
  const explain = () => {
    const y = yearOf(year, index.fromYear);
    if (y === null) return hint.replaceChildren(t('indices.yearInvalid', { min: index.fromYear, max: MAX_YEAR }));
    const same = index.names.find((n) => n.fromYear === y);
    const next = index.names.find((n) => n.fromYear > y);
    const parts = [];
    if (y > index.fromYear) parts.push(t('indices.renameKeeps', { until: y - 1, name: indexNameIn(index, y - 1)[lang] }));
    if (same) parts.push(t('indices.renameReplaces', { year: y, name: same[lang] }));
    if (next) parts.push(t('indices.renameUntil', { until: next.fromYear - 1, next: next.fromYear, name: next[lang] }));
    hint.replaceChildren(parts.join(' '));
  };
  year.addEventListener('input', explain);
  explain();
  return changeDialog(opener, refresh, {
    id: 'index-rename-dialog',
    title: t('indices.renameTitle'),
    intro: t('indices.renameIntro', { name: current[lang] }),
    content: [field('rename-year', t('indices.renameFrom'), year, hint, { live: true }), field('rename-id', t('indices.nameId'), nameId), field('rename-en', t('indices.nameEn'), nameEn)],
    submitLabel: t('indices.renameSave'),
    onSubmit: async () => {
      const y = yearOf(year, index.fromYear);
      if (y === null) throw missing('rename-year', t('indices.yearMissing', { min: index.fromYear, max: MAX_YEAR }));
      if (!nameId.value.trim()) throw missing('rename-id', t('indices.nameMissing'));
      if (!nameEn.value.trim()) throw missing('rename-en', t('indices.nameMissing'));
      const rename = { fromYear: y, id: nameId.value.trim(), en: nameEn.value.trim() };
      await patch(index, { rename });
      return rename;
    },
    done: (rename) => t('indices.renamed', { name: rename[getLang()], year: rename.fromYear }),
  });
}

function retireDialog(index, opener, refresh) {
  const name = latest(index)[getLang()];
  // The year is checked here only for what the API takes at all: whether the index may be retired
  // that year (after its first) is the server's rule, and its answer is shown in the page's language.
  const year = yearInput('retire-year', Math.max(reportYear(), index.fromYear + 1));
  const hint = h('span');
  const explain = () => {
    const y = yearOf(year);
    hint.replaceChildren(y === null ? t('indices.yearInvalid', { min: MIN_YEAR, max: MAX_YEAR }) : y > index.fromYear ? t('indices.retireLast', { year: y - 1 }) : '');
  };
  year.addEventListener('input', explain);
  explain();
  return changeDialog(opener, refresh, {
    id: 'index-retire-dialog',
    title: t('indices.retireTitle'),
    intro: t('indices.retireIntro', { name }),
    content: field('retire-year', t('indices.retireFrom'), year, hint, { live: true }),
    submitLabel: t('indices.retireConfirm'),
    danger: true,
    onSubmit: async () => {
      const y = yearOf(year);
      if (y === null) throw missing('retire-year', t('indices.yearMissing', { min: MIN_YEAR, max: MAX_YEAR }));
      await patch(index, { retiredFromYear: y });
      return y;
    },
    done: (y) => t('indices.retired', { name: latest(index)[getLang()], year: y }),
  });
}

function reinstateDialog(index, opener, refresh) {
  const name = latest(index)[getLang()];
  return changeDialog(opener, refresh, {
    id: 'index-reinstate-dialog',
    title: t('indices.reinstateTitle'),
    intro: t('indices.reinstateText', { name, year: index.retiredFromYear }),
    submitLabel: t('indices.reinstateConfirm'),
    onSubmit: () => patch(index, { retiredFromYear: null }),
    done: () => t('indices.reinstated', { name: latest(index)[getLang()] }),
  });
}

/**
 * The form for a new index. An index cannot be deleted, so what is about to be added is shown in a
 * dialog first; what the server refuses (a code already taken) shows under the form.
 */
function addForm(view, out, refresh) {
  const code = h('input', {
    id: 'index-code',
    name: 'code',
    required: true,
    maxlength: '60',
    pattern: CODE_PATTERN,
    autocomplete: 'off',
    spellcheck: 'false',
    autocapitalize: 'none',
    dataset: { invalid: t('indices.codeInvalid') },
  });
  const nameId = h('input', { id: 'index-name-id', name: 'nameId', required: true, maxlength: '300', lang: 'id', autocomplete: 'off' });
  const nameEn = h('input', { id: 'index-name-en', name: 'nameEn', required: true, maxlength: '300', lang: 'en', autocomplete: 'off' });
  const year = h('input', {
    id: 'index-from-year',
    name: 'fromYear',
    required: true,
    inputmode: 'numeric',
    maxlength: '4',
    autocomplete: 'off',
    value: String(reportYear()),
    pattern: '(?:194[5-9]|19[5-9]\\d|20\\d\\d|2100)',
    dataset: { invalid: t('indices.yearInvalid', { min: MIN_YEAR, max: MAX_YEAR }) },
  });
  const submit = h('button', { type: 'submit', class: 'button button-primary', id: 'index-add-submit' }, t('indices.add'));
  const form = h(
    'form',
    {
      id: 'index-add',
      class: 'form-grid index-add-form',
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        if (!checkForm(form, out)) return;
        const body = { code: code.value.trim(), name: { id: nameId.value.trim(), en: nameEn.value.trim() }, fromYear: Number(year.value) };
        const yes = await formDialog({
          id: 'index-add-dialog',
          title: t('indices.addTitle', { code: body.code }),
          intro: t('indices.addText', { year: body.fromYear }),
          content: facts([
            [t('indices.nameId'), h('span', { lang: 'id' }, body.name.id)],
            [t('indices.nameEn'), h('span', { lang: 'en' }, body.name.en)],
            [t('indices.fromYear'), String(body.fromYear)],
          ]),
          submitLabel: t('indices.addConfirm'),
          onSubmit: async () => true,
        });
        if (!yes) return submit.focus();
        submit.disabled = true;
        try {
          await api('/api/indices', { method: 'POST', body });
          form.reset();
          year.value = String(reportYear());
          await refresh(done(() => t('indices.added', { name: body.name[getLang()], year: body.fromYear })));
          submit.focus();
        } catch (err) {
          if (!view.isCurrent()) return;
          const box = err?.code === 'version_conflict' ? staleBox(() => refresh()) : errorBox(err);
          box.tabIndex = -1;
          if (err?.code === 'duplicate') code.setAttribute('aria-invalid', 'true');
          clear(out).append(box);
          box.focus();
        } finally {
          submit.disabled = false;
        }
      },
    },
    field('index-code', t('indices.code'), code, t('indices.codeHint')),
    field('index-name-id', t('indices.nameId'), nameId),
    field('index-name-en', t('indices.nameEn'), nameEn),
    field('index-from-year', t('indices.fromYear'), year),
    h('div', { class: 'form-actions' }, submit),
  );
  return form;
}
