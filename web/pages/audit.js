// The auditor's page: verify every history chain at once (GET /api/history/verify) with the list
// of broken ones, ask what happened across agreements in a period (GET /api/history) and export it,
// or find one agreement to verify its chain and export its history as JSON or CSV.
import { api, query } from '../api.js';
import { append, clear, h } from '../dom.js';
import { getLang, pick } from '../i18n.js';
import { roleLabel, t } from '../i18n/audit.js';
// the names the agreement page gives history events (action.*), so the export says what the page says
import { t as detailText, tOr as detailTextOr } from '../i18n/detail.js';
import { HQ_ZONE, dateInputValue, formatDay, jakartaTime } from '../time.js';
import { errorBox, field, formatDateTime, loading, notice, section, stageBadge, table, time } from '../ui.js';
import { HISTORY_ACTIONS, actorText, describeEvent, eventWords } from './history-event.js';

/** Hands text to the browser as a download (made here, so it needs no second request). */
export function saveText(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const csvField = (value) => {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * The history as a spreadsheet in the reader's language: one event a line, its time in Jakarta
 * ("2022-04-01 10:15 WIB"), role and event by their names, what it changed in the page's words
 * (when the page gives them), its changes as JSON exactly as recorded
 * (codes and all, for checking against the hash), both hashes, and last the instant as stored
 * (UTC, ISO 8601), which the minute in Jakarta alone would round away.
 */
export function historyCsv(items, lang = getLang(), { withAgreement = false, describe } = {}) {
  // a period's history spans agreements: each line then begins with its agreement's code and title;
  // `describe` (the page's own wording, eventWords) adds what happened in words beside the JSON
  const keys = [...(withAgreement ? ['code', 'title'] : []), 'seq', 'at', 'actor', 'email', 'role', 'action', ...(describe ? ['described'] : []), 'changes', 'prevHash', 'hash', 'atUtc'];
  const head = keys.map((k) => t(`audit.csv.${k}`, {}, lang));
  const rows = items.map((e) => [
    ...(withAgreement ? [e.agreement?.code, pick(e.agreement?.title, lang)] : []),
    e.seq,
    jakartaTime(e.at),
    e.actor?.name,
    e.actor?.email,
    e.role ? roleLabel(e.role, lang) : '',
    e.action ? detailTextOr(`action.${e.action}`, e.action, lang) : '',
    ...(describe ? [describe(e)] : []),
    JSON.stringify(e.changes ?? {}),
    e.prevHash,
    e.hash,
    e.at,
  ]);
  return `\uFEFF${[head, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

const reasonText = (broken) => pick(broken.message) || broken.reason;

/** How many matches the search shows: enough to pick one agreement from, each with its own buttons. */
const FOUND_LIMIT = 10;

export async function renderAudit(view) {
  view.setTitle(t('audit.title'));
  const allResult = h('div', { id: 'audit-all-result', class: 'reserve-line' });
  const verifyAll = h(
    'button',
    {
      type: 'button',
      class: 'button button-primary',
      id: 'verify-all',
      onclick: async () => {
        verifyAll.disabled = true;
        clear(allResult).append(h('p', { role: 'status', class: 'loading' }, t('audit.verifying')));
        try {
          const res = await api('/api/history/verify');
          if (!view.isCurrent()) return;
          append(clear(allResult), [allSummary(res)]);
          view.announce(summaryText(res));
        } catch (err) {
          clear(allResult).append(errorBox(err));
        } finally {
          verifyAll.disabled = false;
        }
      },
    },
    t('audit.verifyAll'),
  );

  const found = h('div', { id: 'audit-found' });
  const q = h('input', { id: 'audit-q', type: 'search', maxlength: '200', autocomplete: 'off', 'aria-describedby': 'audit-q-hint' });
  const onSearch = async (event) => {
    event.preventDefault();
    const text = q.value.trim();
    if (!text) return;
    clear(found).append(loading());
    try {
      const res = await api(`/api/agreements${query({ q: text, limit: FOUND_LIMIT })}`);
      if (!view.isCurrent()) return;
      if (!res.items.length) return void clear(found).append(h('p', { class: 'empty' }, t('audit.noMatch')));
      // the list is the first few matches: whoever looks for one agreement must not take it for all there are
      const more = res.total > res.items.length || res.totalExact === false;
      append(clear(found), [
        more ? h('p', { class: 'muted', id: 'audit-found-more' }, t('audit.moreMatches', { shown: res.items.length, total: res.totalExact === false ? `${res.total}+` : res.total })) : null,
        h('ul', { class: 'audit-found-list' }, res.items.map((a) => foundItem(view, a))),
      ]);
    } catch (err) {
      clear(found).append(errorBox(err));
    }
  };

  view.main.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t('audit.title')), h('p', { class: 'muted' }, t('audit.intro'))),
    section(t('audit.all'), [h('div', { class: 'form-actions' }, verifyAll), allResult], { id: 'audit-all' }),
    periodSection(view),
    section(
      t('audit.one'),
      [
        h(
          'form',
          { class: 'inline-form', role: 'search', onsubmit: onSearch, 'aria-label': t('audit.search') },
          h('div', { class: 'field' }, h('label', { for: 'audit-q' }, t('audit.search')), q, h('span', { class: 'hint', id: 'audit-q-hint' }, t('audit.searchHint'))),
          h('button', { type: 'submit', class: 'button', id: 'audit-find' }, t('audit.find')),
        ),
        found,
      ],
      { id: 'audit-one' },
    ),
  );
}

/** The result in a sentence; one who may not see every agreement is told the check covered theirs, not the registry. */
function summaryText(res) {
  const visible = res.scope === 'visible';
  if (res.valid) return t(visible ? 'audit.allValidVisible' : 'audit.allValid', { n: res.agreements, total: res.events });
  return t(visible ? 'audit.someBrokenVisible' : 'audit.someBroken', { n: res.broken.length, total: res.agreements });
}

function allSummary(res) {
  const checked = h('p', { class: 'muted' }, t('audit.checkedAt', { date: formatDateTime(res.finishedAt) }));
  if (res.valid) return [notice(summaryText(res), 'success'), checked];
  return [
    h('div', { class: 'alert alert-error', role: 'alert', id: 'audit-broken-summary' }, summaryText(res)),
    table({
      caption: t('audit.brokenCaption'),
      head: [t('col.code'), t('col.title'), t('audit.firstBroken'), t('audit.events')],
      rows: res.broken.map((b) =>
        h(
          'tr',
          { class: 'broken-link', dataset: { id: b.agreementId } },
          h('td', null, h('a', { href: `#/agreements/${encodeURIComponent(b.agreementId)}`, class: 'code-link' }, b.code)),
          h('td', null, pick(b.title)),
          h('td', null, t('history.broken', { seq: b.seq, reason: reasonText(b) })),
          h('td', { class: 'num' }, String(b.events)),
        ),
      ),
      className: 'audit-broken',
    }),
    checked,
  ];
}

function foundItem(view, a) {
  const out = h('div', { class: 'audit-item-result', 'aria-live': 'polite' });
  const headingId = `found-${a.id}`;
  const verify = async () => {
    try {
      const res = await api(`/api/agreements/${encodeURIComponent(a.id)}/history/verify`);
      clear(out).append(
        res.valid
          ? notice(res.events ? t('history.valid', { n: res.events, hash: res.headHash }) : t('history.empty'), 'success')
          : h('div', { class: 'alert alert-error', role: 'alert' }, t('history.broken', { seq: res.firstBroken.seq, reason: reasonText(res.firstBroken) })),
      );
    } catch (err) {
      clear(out).append(errorBox(err));
    }
  };
  const exportAs = async (format) => {
    try {
      const res = await api(`/api/agreements/${encodeURIComponent(a.id)}/history`);
      const indices = format === 'csv' && res.items.some((e) => e.action === 'indices_set') ? await api('/api/indices').then((r) => r.items, () => null) : null;
      const name = t('audit.fileName', { code: a.code, format });
      if (format === 'json') saveText(name, `${JSON.stringify({ agreement: { id: a.id, code: a.code, title: a.title }, exportedAt: new Date().toISOString(), ...res }, null, 2)}\n`, 'application/json');
      else saveText(name, historyCsv(res.items, getLang(), { describe: (e) => eventWords(e, indices, { items: res.items }) }), 'text/csv;charset=utf-8');
      view.announce(t('audit.exported', { name }));
    } catch (err) {
      clear(out).append(errorBox(err));
    }
  };
  const button = (label, id, onclick) => h('button', { type: 'button', class: 'button button-small', id, onclick, 'aria-describedby': headingId }, label);
  return h(
    'li',
    { class: 'card audit-item', dataset: { id: a.id } },
    h('h3', { id: headingId }, h('a', { href: `#/agreements/${encodeURIComponent(a.id)}`, class: 'code-link' }, a.code), ' ', stageBadge(a.stage)),
    h('p', { class: 'muted' }, pick(a.title)),
    h(
      'div',
      { class: 'form-actions' },
      button(t('audit.verify'), `verify-${a.id}`, verify),
      button(t('audit.exportJson'), `export-json-${a.id}`, () => exportAs('json')),
      button(t('audit.exportCsv'), `export-csv-${a.id}`, () => exportAs('csv')),
    ),
    out,
  );
}

/** Events a page of the period shows, and how many a request for the export asks for at a time (the API's most). */
const PERIOD_PAGE = 50;
const EXPORT_PAGE = 200;

/**
 * What happened across agreements in a period: dates (Jakarta's days), an action and a unit, the
 * events a page at a time, each worded as the agreement page words it, and the whole result as CSV.
 * The server checks the period (its rules and their wording live there); the page shows its refusal.
 */
function periodSection(view) {
  const today = dateInputValue(new Date(), HQ_ZONE);
  const from = h('input', { id: 'period-from', type: 'date', required: true, value: `${today.slice(0, 8)}01` });
  const to = h('input', { id: 'period-to', type: 'date', required: true, value: today });
  const action = h(
    'select',
    { id: 'period-action' },
    h('option', { value: '' }, t('audit.anyAction')),
    HISTORY_ACTIONS.map((a) => h('option', { value: a }, detailTextOr(`action.${a}`, a))),
  );
  const unit = h('input', { id: 'period-unit', type: 'text', maxlength: '60', autocomplete: 'off', placeholder: 'PWNI' });
  const result = h('div', { id: 'period-result' });
  let asked = null;
  // an attribution to performance indices names them as the agreement page does: asked for once, when a page has one
  let indices = null;
  const indicesFor = (items) => (items.some((e) => e.action === 'indices_set') ? (indices ??= api('/api/indices').then((r) => r.items, () => null)) : null);

  const filters = () => Object.fromEntries(Object.entries({ from: from.value, to: to.value, action: action.value, leadUnit: unit.value.trim() }).filter(([, v]) => v));
  const show = async (offset) => {
    clear(result).append(loading());
    try {
      const res = await api(`/api/history${query({ ...asked, limit: PERIOD_PAGE, offset })}`);
      const names = await indicesFor(res.items);
      if (!view.isCurrent()) return;
      append(clear(result), periodPage(view, res, { asked, show, indicesFor }, names));
    } catch (err) {
      clear(result).append(errorBox(err));
    }
  };
  const form = h(
    'form',
    {
      class: 'form-grid period-filters',
      id: 'period-form',
      'aria-label': t('audit.period'),
      onsubmit: (event) => {
        event.preventDefault();
        asked = filters();
        show(0);
      },
    },
    field('period-from', t('audit.from'), from),
    field('period-to', t('audit.to'), to),
    field('period-action', t('audit.action'), action),
    field('period-unit', t('audit.unit'), unit, t('audit.unitHint')),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', id: 'period-show' }, t('audit.show'))),
  );
  return section(t('audit.period'), [h('p', { class: 'muted' }, t('audit.periodIntro')), form, result], { id: 'audit-period' });
}

/** One page of the period: the table, the way to the other pages and the export of them all. */
function periodPage(view, res, period, indices) {
  const { asked, show } = period;
  if (!res.items.length) return [h('p', { class: 'empty', id: 'period-none' }, t('audit.periodNone'))];
  const status = h('p', { class: 'reserve-line', role: 'status', id: 'period-export-status' });
  const exportAll = h('button', { type: 'button', class: 'button', id: 'period-export', onclick: () => exportPeriod(view, period, exportAll, status) }, t('audit.exportCsv'));
  const pageButton = (offset, label, id) =>
    offset === null
      ? h('span', { class: 'button button-disabled', 'aria-disabled': 'true', id }, label)
      : h('button', { type: 'button', class: 'button', id, onclick: () => show(offset) }, label);
  const prev = res.offset > 0 ? Math.max(0, res.offset - res.limit) : null;
  const next = res.offset + res.items.length < res.total ? res.offset + res.limit : null;
  const sameAgreement = (e) => res.items.filter((x) => x.agreement.id === e.agreement.id);
  const rows = res.items.map((e) =>
    h(
      'tr',
      { dataset: { agreement: e.agreement.id, seq: String(e.seq), action: e.action } },
      // data-label: on a phone each event reads as a card, each value under its column's name
      h('td', { class: 'nowrap', dataset: { label: detailText('history.when') } }, time(e.at, true, HQ_ZONE)),
      h(
        'td',
        { dataset: { label: t('audit.agreement') } },
        h('a', { href: `#/agreements/${encodeURIComponent(e.agreement.id)}`, class: 'code-link' }, e.agreement.code ?? '—'),
        h('div', { class: 'muted' }, pick(e.agreement.title) ?? ''),
      ),
      h('td', { dataset: { label: detailText('history.who') } }, actorText(e)),
      h(
        'td',
        { class: 'event', dataset: { label: detailText('history.what') } },
        h('strong', null, detailTextOr(`action.${e.action}`, e.action)),
        // the page's other events of the same agreement name a deadline or file an event refers to
        h('div', { class: 'event-detail' }, describeEvent(e, indices, { items: sameAgreement(e) })),
      ),
    ),
  );
  return [
    table({
      // the name a screen reader gives the table: days in words, as under the date boxes
      caption: t('audit.periodCaption', { from: formatDay(asked.from), to: formatDay(asked.to) }),
      head: [detailText('history.when'), t('audit.agreement'), detailText('history.who'), detailText('history.what')],
      rows,
      className: 'history-table period-table',
    }),
    h(
      'nav',
      { class: 'pagination', 'aria-label': t('page.label') },
      h('p', { class: 'page-status', id: 'period-status' }, t('page.status', { from: res.offset + 1, to: res.offset + res.items.length, total: res.total })),
      h('div', { class: 'page-links' }, pageButton(prev, t('page.prev'), 'period-prev'), pageButton(next, t('page.next'), 'period-next')),
    ),
    h('div', { class: 'form-actions' }, exportAll),
    status,
  ];
}

/** Every event of the period, read a page at a time, as one CSV in the reader's language. */
async function exportPeriod(view, { asked, indicesFor }, button, status) {
  button.disabled = true;
  clear(status);
  try {
    const items = [];
    for (let offset = 0; ; offset += EXPORT_PAGE) {
      const res = await api(`/api/history${query({ ...asked, limit: EXPORT_PAGE, offset })}`);
      items.push(...res.items);
      if (res.items.length < EXPORT_PAGE || items.length >= res.total) break;
    }
    const name = t('audit.periodFileName', { from: asked.from, to: asked.to });
    const indices = await indicesFor(items);
    // an event names a deadline or file by another event of its agreement
    const byAgreement = new Map();
    for (const e of items) {
      if (!byAgreement.has(e.agreement.id)) byAgreement.set(e.agreement.id, []);
      byAgreement.get(e.agreement.id).push(e);
    }
    const describe = (e) => eventWords(e, indices, { items: byAgreement.get(e.agreement.id) });
    saveText(name, historyCsv(items, getLang(), { withAgreement: true, describe }), 'text/csv;charset=utf-8');
    status.textContent = t('audit.exported', { name });
    view.announce(t('audit.exported', { name }));
  } catch (err) {
    clear(status).append(errorBox(err));
  } finally {
    button.disabled = false;
  }
}
