// The agreements board: counts per stage, every filter the API has, one page of the list (a table
// on a laptop, cards on a phone), pagination, CSV export, and live updates.
// Filters live in the hash (#/agreements?stage=…&country=MY&offset=20), so a view can be shared
// as a link and back/forward work. The page and its counts per stage come in one request.
import { api, download, query } from '../api.js';
import { clear, h } from '../dom.js';
import { getLang, pick } from '../i18n.js';
import { stageLabel, t, typeLabel } from '../i18n/board.js';
import { subscribe } from '../live.js';
import { STAGES, TYPES } from '../workflow.js';
import { checkForm, daysSince, errorBox, field, formatDate, isOverdue, loading, overdueMarker, signingProgress, stageBadge, table } from '../ui.js';

export const PAGE_SIZE = 20;
const SORTS = ['-updatedAt', 'code', 'stageEnteredAt', 'stageDueAt'];
const DUE = ['', 'overdue', '7', '30'];
const MAX_PARTIES_SHOWN = 3;
/** after a live change, wait this long for more before reading the page again */
const LIVE_SETTLE_MS = 400;

const text = (params, key, max) => (params.get(key) ?? '').trim().slice(0, max);

export function readFilters(params) {
  const stage = STAGES.includes(params.get('stage')) ? params.get('stage') : '';
  const type = TYPES.includes(params.get('type')) ? params.get('type') : '';
  // `overdue=true` is the old link form of due=overdue
  const dueParam = params.get('overdue') === 'true' ? 'overdue' : (params.get('due') ?? '');
  const due = DUE.includes(dueParam) ? dueParam : '';
  const sort = SORTS.includes(params.get('sort')) ? params.get('sort') : '-updatedAt';
  const offset = Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0);
  return {
    stage,
    type,
    q: text(params, 'q', 200),
    party: text(params, 'party', 300),
    country: text(params, 'country', 3).toUpperCase(),
    subject: text(params, 'subject', 80),
    leadUnit: text(params, 'leadUnit', 40),
    due,
    sort,
    offset,
  };
}

/** The board's hash for a set of filters (defaults left out, so links stay short). */
export function boardHash(filters) {
  const { stage, type, q, party, country, subject, leadUnit, due, sort, offset } = filters;
  return `#/agreements${query({ stage, type, q, party, country, subject, leadUnit, due, sort: sort === '-updatedAt' ? '' : sort, offset: offset || '' })}`;
}

/** The API's parameters for the filters (the stage and paging left to the caller). */
function apiFilters({ type, q, party, country, subject, leadUnit, due }) {
  return {
    type,
    q,
    party,
    country,
    subject,
    leadUnit,
    overdue: due === 'overdue' ? 'true' : '',
    dueWithinDays: due && due !== 'overdue' ? due : '',
  };
}

const ADVANCED = ['party', 'country', 'subject', 'leadUnit'];
const activeFilterCount = (f) => ['stage', 'type', 'q', 'due', ...ADVANCED].filter((k) => f[k]).length;

export async function renderBoard(view) {
  const filters = readFilters(view.params);
  view.setTitle(t('board.title'));

  // Both areas keep their height while they load, so nothing below them jumps (see roles.css).
  const countsArea = h('div', { class: 'stage-counts-wrap', id: 'stage-counts-wrap' }, countsPlaceholder());
  // not a live region: a whole table read out on every filter would drown the reader; the
  // one-line summary is announced instead
  const results = h('div', { id: 'board-results', class: 'board-results', 'aria-busy': 'true' }, loading());
  const liveNote = h('p', { class: 'live-note muted', id: 'live-note' });
  // under the page's head, not in the row of its buttons: a refusal there is a line of its own
  const exportSaid = h('div', { id: 'export-said', class: 'no-print' });
  view.main.append(
    h(
      'div',
      { class: 'page-head page-head-row' },
      h('h1', { tabindex: '-1' }, t('board.title')),
      h('div', { class: 'page-actions no-print' }, exportButton(view, filters, exportSaid), h('a', { class: 'button', href: '#/calendar', id: 'open-calendar' }, t('calendar.title'))),
    ),
    exportSaid,
    countsArea,
    filterForm(view, filters),
    liveNote,
    results,
  );

  const draw = async ({ quiet }) => {
    const list = await api(
      `/api/agreements${query({ ...apiFilters(filters), stage: filters.stage, sort: filters.sort, limit: PAGE_SIZE, offset: filters.offset, facets: 'stage' })}`,
    );
    if (!view.isCurrent()) return;
    clear(results).append(listView(list, filters));
    clear(countsArea).append(countsNav(list.facets, filters));
    if (!quiet) {
      view.announce(list.items.length ? t('page.status', { from: filters.offset + 1, to: filters.offset + list.items.length, total: totalText(list) }) : t('board.empty'));
    }
  };

  try {
    await draw({ quiet: false });
  } catch (err) {
    if (!view.isCurrent()) return;
    clear(results).append(errorBox(err));
    clear(countsArea);
  } finally {
    results.setAttribute('aria-busy', 'false');
  }
  if (!view.isCurrent()) return;

  // Another person's change (a stage moved, a signature, an upload, a comment) redraws the page in
  // place: focus and scroll stay where they are, and the change is announced once.
  let timer;
  const stop = subscribe((event) => {
    if (!view.isCurrent()) return stop();
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (!view.isCurrent()) return stop();
      try {
        await draw({ quiet: true });
        liveNote.textContent = t('live.updated', { code: event.code ?? '' });
        view.announce(t('live.updated', { code: event.code ?? '' }));
      } catch {
        // the next change or a reload will try again; the page shown stays as it was
      }
    }, LIVE_SETTLE_MS);
  });
  view.onLeave(stop);
}

/** Chips of the same size as the real ones, so the filters below do not move when counts arrive. */
function countsPlaceholder() {
  return h('ul', { class: 'stage-counts stage-counts-placeholder', 'aria-hidden': 'true' }, [0, 1, 2, 3].map(() => h('li', null, h('span', { class: 'count-chip' }, '\u00a0'))));
}

function countsNav(facets, filters) {
  if (!facets) return h('p', { class: 'muted' }, t('board.countsError'));
  const item = (stage, label, n) =>
    h(
      'li',
      null,
      h(
        'a',
        {
          href: boardHash({ ...filters, stage, offset: 0 }),
          class: ['count-chip', stage && `stage-${stage}`],
          'aria-current': filters.stage === stage ? 'true' : undefined,
          dataset: { stage: stage || 'all' },
        },
        h('span', { class: 'count-label' }, label),
        h('span', { class: 'count-value' }, totalText(n)),
      ),
    );
  const zero = { total: 0, totalExact: true };
  const shown = STAGES.filter((s) => facets.stage[s] || s === filters.stage);
  return h(
    'nav',
    { 'aria-label': t('board.counts'), id: 'stage-counts' },
    h('ul', { class: 'stage-counts' }, item('', t('board.all'), facets.all), shown.map((s) => item(s, stageLabel(s), facets.stage[s] ?? zero))),
  );
}

/** `said`: where a failed export says why (an element with an id: a language switch says it again there). */
function exportButton(view, filters, said) {
  const button = h(
    'button',
    {
      type: 'button',
      class: 'button',
      id: 'export-csv',
      onclick: async () => {
        button.disabled = true;
        clear(said);
        const path = `/api/agreements${query({ ...apiFilters(filters), stage: filters.stage, sort: filters.sort, format: 'csv', lang: getLang() })}`;
        try {
          const name = await download(path, 'agreements.csv');
          view.announce(t('docs.downloaded', { name }));
        } catch (err) {
          said.append(errorBox(err));
        } finally {
          button.disabled = false;
        }
      },
    },
    t('board.exportCsv'),
  );
  return button;
}

function filterForm(view, filters) {
  const option = (value, label, selected) => h('option', { value, selected: selected || undefined }, label);
  const input = (id, name, value, extra = {}) => h('input', { id, name, type: 'text', value, autocomplete: 'off', ...extra });

  const stage = h('select', { id: 'filter-stage', name: 'stage' }, option('', t('filter.anyStage')), STAGES.map((s) => option(s, stageLabel(s), s === filters.stage)));
  const type = h('select', { id: 'filter-type', name: 'type' }, option('', t('filter.anyType')), TYPES.map((ty) => option(ty, typeLabel(ty), ty === filters.type)));
  const q = input('filter-q', 'q', filters.q, { type: 'search', maxlength: '200', 'aria-describedby': 'filter-q-hint' });
  const party = input('filter-party', 'party', filters.party, { maxlength: '300', 'aria-describedby': 'filter-party-hint' });
  const country = input('filter-country', 'country', filters.country, { maxlength: '3', class: 'input-short', 'aria-describedby': 'filter-country-hint', pattern: '[A-Za-z]{2,3}', 'data-invalid': t('filter.countryInvalid') });
  const subject = input('filter-subject', 'subject', filters.subject, { maxlength: '80', 'aria-describedby': 'filter-subject-hint' });
  const leadUnit = input('filter-leadUnit', 'leadUnit', filters.leadUnit, { maxlength: '40' });
  const due = h('select', { id: 'filter-due', name: 'due' }, DUE.map((d) => option(d, t(`filter.due.${d || 'any'}`), d === filters.due)));
  const sort = h('select', { id: 'filter-sort', name: 'sort' }, SORTS.map((s) => option(s, t(`sort.${s}`), s === filters.sort)));

  // the form is novalidate: a wrong country code is told here, in the page's language, next to the buttons
  const problems = h('div', { id: 'filters-problems' });
  const onSubmit = (event) => {
    event.preventDefault();
    if (!checkForm(form, problems)) return;
    view.navigate(
      boardHash({
        stage: stage.value,
        type: type.value,
        q: q.value.trim(),
        party: party.value.trim(),
        country: country.value.trim().toUpperCase(),
        subject: subject.value.trim(),
        leadUnit: leadUnit.value.trim(),
        due: due.value,
        sort: sort.value,
        offset: 0,
      }),
    );
  };
  const onReset = (event) => {
    event.preventDefault();
    view.navigate('#/agreements');
  };

  const active = activeFilterCount(filters);
  const form = h(
    'form',
    { class: 'card filters drawer-closed', id: 'filters', role: 'search', 'aria-labelledby': 'filters-title', novalidate: true, onsubmit: onSubmit },
    h('h2', { id: 'filters-title', class: 'visually-hidden' }, t('filter.legend')),
    h(
      'div',
      { class: 'filters-fields' },
      field('filter-stage', t('filter.stage'), stage),
      field('filter-type', t('filter.type'), type),
      field('filter-q', t('filter.q'), q, t('filter.qHint')),
      field('filter-due', t('filter.due'), due),
      field('filter-party', t('filter.party'), party, t('filter.partyHint')),
      field('filter-country', t('filter.country'), country, t('filter.countryHint')),
      field('filter-subject', t('filter.subject'), subject, t('filter.subjectHint')),
      field('filter-leadUnit', t('filter.leadUnit'), leadUnit),
      field('filter-sort', t('filter.sort'), sort),
    ),
    problems,
    h(
      'div',
      { class: 'filters-bottom' },
      h('p', { class: 'muted share-hint' }, t('filter.shareHint')),
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'submit', class: 'button button-primary', id: 'filter-apply' }, t('filter.apply')),
        h('button', { type: 'button', class: 'button', id: 'filter-reset', onclick: onReset }, t('filter.reset')),
      ),
    ),
  );
  // On a phone the form is a drawer behind this button (roles.css shows it only at narrow widths).
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'button drawer-toggle no-print',
      id: 'filters-toggle',
      'aria-expanded': 'false',
      'aria-controls': 'filters',
      onclick: () => {
        const open = toggle.getAttribute('aria-expanded') !== 'true';
        toggle.setAttribute('aria-expanded', String(open));
        form.classList.toggle('drawer-closed', !open);
        if (open) stage.focus();
      },
    },
    t('filter.open'),
    active ? h('span', { class: 'count-pill' }, String(active)) : null,
  );
  // Escape closes the open drawer from anywhere in it, as it does the menu and the dialogs
  const area = h('div', { class: 'filters-area no-print' }, toggle, form);
  area.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || toggle.getAttribute('aria-expanded') !== 'true') return;
    toggle.setAttribute('aria-expanded', 'false');
    form.classList.add('drawer-closed');
    toggle.focus();
  });
  return area;
}

function partiesText(parties) {
  const names = parties.map((p) => p.name);
  const shown = names.slice(0, MAX_PARTIES_SHOWN).join(', ');
  const more = names.length - MAX_PARTIES_SHOWN;
  return [shown, more > 0 ? h('span', { class: 'muted', title: names.join(', ') }, ` ${t('board.moreParties', { n: more })}`) : null];
}

const detailHref = (a) => `#/agreements/${encodeURIComponent(a.id)}`;
const AFTER_SIGNING = ['signed', 'pending_ratification', 'in_force', 'expired', 'terminated', 'superseded'];

/**
 * Days in stage while the work goes on; once signed, what people ask instead: in force since when,
 * until when. A card has no column head to say what the days count, so it says so itself.
 */
function inStage(a, { onCard = false } = {}) {
  if (!AFTER_SIGNING.includes(a.stage)) {
    return [h('span', { class: 'days' }, t(onCard ? 'board.daysAtStage' : 'board.days', { n: daysSince(a.stageEnteredAt) })), isOverdue(a) ? h('div', null, overdueMarker(a.stageDueAt)) : null];
  }
  const since =
    a.stage === 'in_force' && a.entryIntoForce?.date
      ? t('board.inForceSince', { date: formatDate(a.entryIntoForce.date) })
      : ['signed', 'pending_ratification'].includes(a.stage) && a.signedAt
        ? t('board.signedOn', { date: formatDate(a.signedAt) })
        : t('board.stageSince', { stage: stageLabel(a.stage), date: formatDate(a.stageEnteredAt) });
  return [
    h('span', { class: 'since' }, since),
    a.expiresAt && a.stage === 'in_force' ? h('div', { class: 'muted' }, t('board.expires', { date: formatDate(a.expiresAt) })) : null,
    // a signed instrument still has a stage deadline (to enter into force, to be ratified): the overdue filter lists it
    isOverdue(a) ? h('div', null, overdueMarker(a.stageDueAt)) : null,
  ];
}

function row(a) {
  return h(
    'tr',
    { dataset: { id: a.id, stage: a.stage } },
    h('td', { class: 'code' }, h('a', { href: detailHref(a), class: 'code-link' }, a.code)),
    h('td', { class: 'title' }, pick(a.title), textMatch(a.match)),
    h('td', null, typeLabel(a.type)),
    h('td', null, stageBadge(a.stage)),
    h('td', { class: 'parties' }, partiesText(a.parties ?? [])),
    h('td', { class: 'signing' }, signingProgress(a)),
    h('td', { class: 'in-stage' }, inStage(a)),
  );
}

/** A row found by the words of a document or a comment (not its title): where, and the text around them. */
function textMatch(match) {
  if (!match) return null;
  const where = match.in === 'document' && match.document
    ? t('board.matchDocument', { name: match.document.fileName, version: match.document.version })
    : t('board.matchComment');
  return h('div', { class: 'text-match' }, h('span', { class: 'muted' }, where), ' ', h('q', { class: 'excerpt' }, match.excerpt));
}

/**
 * A phone's row: what the list needs at a glance, the whole card a link target through its heading.
 * The parties too, as the table names them: who the partner is is what a desk officer looks for,
 * and many a title (a PKS, a guideline) does not say it.
 */
function card(a) {
  return h(
    'li',
    { class: 'agreement-card', dataset: { id: a.id, stage: a.stage } },
    h('h2', { class: 'card-code' }, h('a', { href: detailHref(a), class: 'code-link' }, a.code)),
    h('p', { class: 'card-title' }, pick(a.title)),
    h('p', { class: 'card-parties' }, partiesText(a.parties ?? [])),
    textMatch(a.match),
    h('div', { class: 'card-meta' }, stageBadge(a.stage), h('span', { class: 'muted' }, typeLabel(a.type))),
    signingProgress(a),
    h('div', { class: 'in-stage' }, inStage(a, { onCard: true })),
  );
}

function listView(list, filters) {
  if (list.items.length === 0) return h('p', { class: 'empty card', id: 'board-empty' }, t('board.empty'));
  const from = filters.offset + 1;
  const to = filters.offset + list.items.length;
  return h(
    'div',
    { class: 'card card-flush' },
    h(
      'div',
      { class: 'board-wide' },
      table({
        caption: `${t('board.caption')} (${t('page.status', { from, to, total: totalText(list) })})`,
        head: [t('col.code'), t('col.title'), t('col.type'), t('col.stage'), t('col.parties'), t('col.signing'), t('col.inStage')],
        rows: list.items.map(row),
        className: 'board-table',
      }),
    ),
    h('ul', { class: 'board-cards', 'aria-label': t('board.caption') }, list.items.map(card)),
    pagination(list, filters, from, to),
  );
}

/** A free-text search counts its matches up to a limit: "1000+" when there are more. */
function totalText(list) {
  return list.totalExact === false ? `${list.total}+` : String(list.total);
}

function pagination(list, filters, from, to) {
  const total = totalText(list);
  const more = filters.offset + PAGE_SIZE < list.total || (list.totalExact === false && list.items.length === PAGE_SIZE);
  const prev = filters.offset > 0 ? Math.max(0, filters.offset - PAGE_SIZE) : null;
  const next = more ? filters.offset + PAGE_SIZE : null;
  const link = (offset, label, rel, id) =>
    offset === null
      ? h('span', { class: 'button button-disabled', 'aria-disabled': 'true', id }, label)
      : h('a', { class: 'button', href: boardHash({ ...filters, offset }), rel, id }, label);
  return h(
    'nav',
    { class: 'pagination no-print', 'aria-label': t('page.label') },
    h('p', { class: 'page-status', id: 'page-status' }, t('page.status', { from, to, total })),
    h('div', { class: 'page-links' }, link(prev, t('page.prev'), 'prev', 'page-prev'), link(next, t('page.next'), 'next', 'page-next')),
  );
}
