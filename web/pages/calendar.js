// Deadlines as a month grid or a list (#/calendar?month=2026-12&view=list&mine=true), with the
// personal ICS feed. One request per month: GET /api/deadlines carries each deadline's agreement.
import { api, query, session } from '../api.js';
import { append, clear, h } from '../dom.js';
import { locale, pick } from '../i18n.js';
import { t } from '../i18n/calendar.js';
import { badge, deadlineName, errorBox, formatDateTime, isPastDue, loading, overdueMarker, section } from '../ui.js';
import { formatTimeOfDay, userZone, zoneCity, zonedInstant } from '../time.js';

const MAX_ITEMS = 200;
const MAX_IN_CELL = 3;

const pad = (n) => String(n).padStart(2, '0');

function readMonth(params) {
  const m = /^(\d{4})-(\d{2})$/.exec(params.get('month') ?? '');
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return { year: Number(m[1]), month: Number(m[2]) };
  const [year, month] = dayKey(new Date()).split('-').map(Number);
  return { year, month };
}

/** The calendar day (YYYY-MM-DD) of an instant in the user's zone. */
function dayKey(instant) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: userZone(), year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(instant));
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const shift = ({ year, month }, by) => {
  const index = year * 12 + (month - 1) + by;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
};
const monthParam = ({ year, month }) => `${year}-${pad(month)}`;
const monthTitle = ({ year, month }) => new Intl.DateTimeFormat(locale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, month - 1, 1)));
const timeIn = (instant, zone) => new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit', timeZone: zone }).format(new Date(instant));
const dayTitle = (key) => new Intl.DateTimeFormat(locale(), { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${key}T00:00:00Z`));

// which party must sign: a three-party MoU has three signing deadlines, often on one day
const whatIsDue = (d) => deadlineName(d, d.partyName ?? '');

function statusBadge(status) {
  const kinds = { open: 'info', met: 'success', missed: 'danger', cancelled: 'neutral' };
  return badge(t(`dlStatus.${status}`), kinds[status]);
}

export async function renderCalendar(view) {
  const month = readMonth(view.params);
  const listView = view.params.get('view') === 'list';
  const mine = view.params.get('mine') === 'true';
  view.setTitle(t('calendar.title'));
  const hash = (changes) => `#/calendar${query({ month: monthParam(month), view: listView ? 'list' : '', mine: mine ? 'true' : '', ...changes })}`;

  const body = h('div', { id: 'calendar-body', class: 'calendar-body', 'aria-busy': 'true' }, loading());
  view.main.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t('calendar.title')), h('p', { class: 'muted' }, t('calendar.intro'))),
    h(
      'div',
      { class: 'calendar-toolbar no-print' },
      h(
        'nav',
        { class: 'month-nav', 'aria-label': t('calendar.month') },
        h('a', { class: 'button', href: hash({ month: monthParam(shift(month, -1)) }), id: 'cal-prev' }, h('span', { 'aria-hidden': 'true' }, '‹ '), t('calendar.prev')),
        h('a', { class: 'button', href: hash({ month: '' }), id: 'cal-today' }, t('calendar.today')),
        h('a', { class: 'button', href: hash({ month: monthParam(shift(month, 1)) }), id: 'cal-next' }, t('calendar.next'), h('span', { 'aria-hidden': 'true' }, ' ›')),
      ),
      h(
        'nav',
        { class: 'tabs', 'aria-label': t('calendar.view') },
        h('a', { class: 'tab', href: hash({ view: '' }), 'aria-current': listView ? undefined : 'true', id: 'cal-view-month' }, t('calendar.month')),
        h('a', { class: 'tab', href: hash({ view: 'list' }), 'aria-current': listView ? 'true' : undefined, id: 'cal-view-list' }, t('calendar.list')),
      ),
      h(
        'nav',
        { class: 'tabs', 'aria-label': t('calendar.mine') },
        h('a', { class: 'tab', href: hash({ mine: '' }), 'aria-current': mine ? undefined : 'true' }, t('calendar.all')),
        h('a', { class: 'tab', href: hash({ mine: 'true' }), 'aria-current': mine ? 'true' : undefined, id: 'cal-mine' }, t('calendar.mine')),
      ),
    ),
    h('h2', { class: 'month-title', id: 'month-title' }, monthTitle(month)),
    body,
    feedCard(view),
  );

  const next = shift(month, 1);
  const params = {
    // the month as its days fall in the user's zone
    dueAfter: zonedInstant(`${monthParam(month)}-01`, '00:00'),
    dueBefore: zonedInstant(`${monthParam(next)}-01`, '00:00'),
    status: 'open,missed,met',
    person: mine ? session.get()?.user?.email : '',
    limit: MAX_ITEMS,
  };
  // Overdue, whatever month is shown: open deadlines whose time has passed, the board's rule for
  // "overdue" (an open stage deadline past due is exactly an agreement the board marks overdue).
  // the month view shows only how many: one item is enough to get the total
  const overdueParams = { dueBefore: new Date().toISOString(), status: 'open', person: params.person, limit: listView ? MAX_ITEMS : 1 };
  let res;
  let overdue;
  try {
    [res, overdue] = await Promise.all([api(`/api/deadlines${query(params)}`), api(`/api/deadlines${query(overdueParams)}`)]);
  } catch (err) {
    if (view.isCurrent()) clear(body).append(errorBox(err));
    return;
  } finally {
    body.setAttribute('aria-busy', 'false');
  }
  if (!view.isCurrent()) return;
  const byDay = new Map();
  for (const d of res.items) {
    const key = dayKey(d.dueAt);
    if (!byDay.has(key)) byDay.set(key, []);
    byDay.get(key).push(d);
  }
  append(clear(body), [
    res.total > res.items.length ? h('p', { class: 'alert alert-info' }, t('calendar.truncated', { n: res.items.length, total: res.total })) : null,
    // the list opens with what is overdue; the month says how many and leads there
    listView ? overdueGroup(overdue) : overdueNote(overdue, hash({ view: 'list' })),
    listView ? null : monthGrid(month, byDay),
    // in the month view the list stands in for the grid on a phone (roles.css)
    dayList(byDay, listView ? 'cal-list' : 'cal-list cal-list-narrow'),
  ]);
}

function deadlineLink(d, { withTime }) {
  const a = d.agreement;
  return h(
    'a',
    { href: `#/agreements/${encodeURIComponent(d.agreementId)}`, class: ['cal-item', `cal-${d.status}`] },
    withTime === 'date' ? h('span', { class: 'cal-time' }, `${formatDateTime(d.dueAt)} `) : withTime ? h('span', { class: 'cal-time' }, `${formatTimeOfDay(d.dueAt)} `) : null,
    h('span', { class: 'cal-code' }, a?.code ?? '—'),
    ' ',
    h('span', { class: 'cal-what' }, whatIsDue(d)),
  );
}

function monthGrid(month, byDay) {
  const days = new Date(Date.UTC(month.year, month.month, 0)).getUTCDate();
  const lead = (new Date(Date.UTC(month.year, month.month - 1, 1)).getUTCDay() + 6) % 7; // Monday first
  const today = dayKey(new Date());
  const cells = [...Array(lead).fill(null), ...Array.from({ length: days }, (_, i) => i + 1)];
  while (cells.length % 7) cells.push(null);
  const weeks = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  const names = t('weekday.short').split(',');
  const cell = (day) => {
    if (day === null) return h('td', { class: 'cal-empty' });
    const key = `${monthParam(month)}-${pad(day)}`;
    const items = byDay.get(key) ?? [];
    return h(
      'td',
      { class: ['cal-day', key === today && 'cal-today', items.length && 'cal-has'], 'aria-current': key === today ? 'date' : undefined },
      h('span', { class: 'cal-date' }, String(day)),
      items.length
        ? h(
            'ul',
            { class: 'cal-items' },
            items.slice(0, MAX_IN_CELL).map((d) => h('li', null, deadlineLink(d, { withTime: false }))),
            items.length > MAX_IN_CELL ? h('li', { class: 'muted' }, t('calendar.more', { n: items.length - MAX_IN_CELL })) : null,
          )
        : null,
    );
  };
  return h(
    'div',
    { class: 'table-wrap cal-grid-wrap' },
    h(
      'table',
      { class: 'cal-grid', id: 'cal-grid' },
      h('caption', { class: 'visually-hidden' }, monthTitle(month)),
      h('thead', null, h('tr', null, names.map((n) => h('th', { scope: 'col' }, n)))),
      h('tbody', null, weeks.map((w) => h('tr', null, w.map(cell)))),
    ),
  );
}

/** The month view's line: how many deadlines are overdue, and the way to the list that names them. */
function overdueNote(overdue, listHash) {
  if (!overdue.total) return null;
  return h(
    'p',
    { class: 'alert alert-warning cal-overdue-note', id: 'cal-overdue-note' },
    h('span', { class: 'overdue-icon', 'aria-hidden': 'true' }, '!'),
    ' ',
    t('calendar.overdueCount', { n: overdue.total }),
    ' ',
    h('a', { href: listHash, id: 'cal-overdue-link' }, t('calendar.overdueLink')),
  );
}

/** The list view's first group: every overdue deadline, the longest overdue first. */
function overdueGroup(overdue) {
  if (!overdue.total) return null;
  return h(
    'section',
    { class: 'card cal-list-day cal-overdue', id: 'cal-overdue', 'aria-labelledby': 'cal-overdue-title' },
    h('h3', { id: 'cal-overdue-title' }, t('calendar.overdueTitle', { n: overdue.total })),
    overdue.total > overdue.items.length ? h('p', { class: 'muted' }, t('calendar.overdueTruncated', { n: overdue.items.length, total: overdue.total })) : null,
    h('ul', { class: 'cal-list-items' }, overdue.items.map((d) => listItem(d, 'date'))),
  );
}

/** One deadline in a list: when, which agreement, what is due, its state, and a mission's local time. */
function listItem(d, withTime = true) {
  const late = d.status === 'open' && isPastDue(d.dueAt);
  return h(
    'li',
    { dataset: { id: d.id, kind: d.kind } },
    deadlineLink(d, { withTime }),
    ' ',
    late ? overdueMarker(d.dueAt, { withDate: false }) : statusBadge(d.status),
    d.agreement ? h('div', { class: 'muted cal-title' }, pick(d.agreement.title)) : null,
    d.timezone && d.timezone !== userZone() ? h('div', { class: 'muted cal-local' }, t('calendar.localTime', { time: timeIn(d.dueAt, d.timezone), city: zoneCity(d.timezone) })) : null,
  );
}

function dayList(byDay, className) {
  if (!byDay.size) return h('p', { class: ['empty card', className], id: 'cal-none' }, t('calendar.none'));
  const keys = [...byDay.keys()].sort();
  return h(
    'div',
    { class: className, id: 'cal-list' },
    keys.map((key) =>
      h(
        'section',
        { class: 'card cal-list-day', 'aria-labelledby': `day-${key}` },
        h('h3', { id: `day-${key}` }, dayTitle(key)),
        h(
          'ul',
          { class: 'cal-list-items' },
          byDay.get(key).map((d) => listItem(d)),
        ),
      ),
    ),
  );
}

function feedCard(view) {
  const out = h('div', { id: 'feed-result', 'aria-live': 'polite' });
  // The link is shown once, when made: without this line a person who has one, back on this page,
  // was offered "create" as if they had none, and it quietly replaced the link their calendar reads.
  const status = h('p', { id: 'feed-status' });
  const showStatus = (feed) => {
    status.textContent = feed.exists
      ? t('calendar.feedExists', { created: formatDateTime(feed.createdAt), used: feed.lastUsedAt ? formatDateTime(feed.lastUsedAt) : null })
      : t('calendar.feedNone');
    create.textContent = feed.exists ? t('calendar.feedRenew') : t('calendar.feedCreate');
    revoke.hidden = !feed.exists;
  };
  const create = h(
    'button',
    {
      type: 'button',
      class: 'button button-primary',
      id: 'feed-create',
      onclick: async () => {
        create.disabled = true;
        try {
          const res = await api('/api/me/calendar-token', { method: 'POST' });
          const input = h('input', { id: 'feed-url', type: 'text', readonly: true, value: res.url, class: 'input-wide' });
          const copy = h(
            'button',
            {
              type: 'button',
              class: 'button',
              id: 'feed-copy',
              onclick: async () => {
                input.select();
                try {
                  await navigator.clipboard.writeText(res.url);
                  view.announce(t('calendar.feedCopied'));
                } catch {
                  // the text is selected: the person copies it by hand
                }
              },
            },
            t('calendar.feedCopy'),
          );
          clear(out).append(
            h('div', { class: 'field' }, h('label', { for: 'feed-url' }, t('calendar.feedUrl')), h('div', { class: 'inline-row' }, input, copy), h('span', { class: 'hint' }, t('calendar.feedOnce'))),
          );
          showStatus({ exists: true, createdAt: res.createdAt, lastUsedAt: null });
          input.focus();
        } catch (err) {
          clear(out).append(errorBox(err));
        } finally {
          create.disabled = false;
        }
      },
    },
    t('calendar.feedCreate'),
  );
  const revoke = h(
    'button',
    {
      type: 'button',
      class: 'button',
      id: 'feed-revoke',
      onclick: async () => {
        try {
          await api('/api/me/calendar-token', { method: 'DELETE' });
          clear(out).append(h('p', { role: 'status' }, t('calendar.feedRevoked')));
          showStatus({ exists: false });
          create.focus();
        } catch (err) {
          clear(out).append(errorBox(err));
        }
      },
    },
    t('calendar.feedRevoke'),
  );
  revoke.hidden = true;
  api('/api/me/calendar-token').then(
    (feed) => {
      // a link made or revoked while this was on its way is already said
      if (!status.textContent) showStatus(feed);
    },
    () => {
      // not knowing leaves both buttons, as before
      revoke.hidden = false;
    },
  );
  return section(t('calendar.feed'), [h('p', null, t('calendar.feedIntro')), status, h('div', { class: 'form-actions' }, create, revoke), out], { id: 'feed' });
}
