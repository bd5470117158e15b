// The agreements board: counts per stage, filters, one page of the list, pagination.
// Filters live in the hash (#/agreements?stage=…&q=…&offset=20), so back/forward and links work.
import { api, query } from '../api.js';
import { clear, h } from '../dom.js';
import { pick, stageLabel, t, typeLabel } from '../i18n.js';
import { STAGES, TYPES } from '../workflow.js';
import { daysSince, errorBox, isOverdue, loading, overdueMarker, stageBadge, table } from '../ui.js';

export const PAGE_SIZE = 20;
const SORTS = ['-updatedAt', 'code', 'stageEnteredAt', 'stageDueAt'];
const MAX_PARTIES_SHOWN = 3;

function readFilters(params) {
  const stage = STAGES.includes(params.get('stage')) ? params.get('stage') : '';
  const type = TYPES.includes(params.get('type')) ? params.get('type') : '';
  const q = (params.get('q') ?? '').trim().slice(0, 200);
  const overdue = params.get('overdue') === 'true';
  const sort = SORTS.includes(params.get('sort')) ? params.get('sort') : '-updatedAt';
  const offset = Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0);
  return { stage, type, q, overdue, sort, offset };
}

/** The board's hash for a set of filters (defaults left out, so links stay short). */
export function boardHash(filters) {
  const { stage, type, q, overdue, sort, offset } = filters;
  return `#/agreements${query({ stage, type, q, overdue: overdue ? 'true' : '', sort: sort === '-updatedAt' ? '' : sort, offset: offset || '' })}`;
}

const apiFilters = ({ type, q, overdue }) => ({ type, q, overdue: overdue ? 'true' : '' });

export async function renderBoard(view) {
  const filters = readFilters(view.params);
  view.setTitle(t('board.title'));

  const countsArea = h('div', { class: 'stage-counts-wrap' });
  // not a live region: a whole table read out on every filter would drown the reader; the
  // one-line summary is announced instead
  const results = h('div', { id: 'board-results', 'aria-busy': 'true' }, loading());
  view.main.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t('board.title'))),
    countsArea,
    filterForm(view, filters),
    results,
  );

  const listPromise = api(`/api/agreements${query({ ...apiFilters(filters), stage: filters.stage, sort: filters.sort, limit: PAGE_SIZE, offset: filters.offset })}`);
  const countsPromise = stageCounts(filters);

  try {
    const list = await listPromise;
    if (!view.isCurrent()) return;
    clear(results).append(listTable(list, filters));
    view.announce(list.items.length ? t('page.status', { from: filters.offset + 1, to: filters.offset + list.items.length, total: totalText(list) }) : t('board.empty'));
  } catch (err) {
    if (!view.isCurrent()) return;
    clear(results).append(errorBox(err));
  } finally {
    results.setAttribute('aria-busy', 'false');
  }
  try {
    const counts = await countsPromise;
    if (view.isCurrent()) countsArea.append(countsNav(counts, filters));
  } catch {
    if (view.isCurrent()) countsArea.append(h('p', { class: 'muted' }, t('board.countsError')));
  }
}

/**
 * How many agreements are in each stage, under the same type/text/overdue filters. The API has no
 * per-stage count, so this asks for `total` with limit=1 once per stage (parallel, small answers).
 */
async function stageCounts(filters) {
  const base = apiFilters(filters);
  const totals = await Promise.all([
    api(`/api/agreements${query({ ...base, limit: 1 })}`),
    ...STAGES.map((stage) => api(`/api/agreements${query({ ...base, stage, limit: 1 })}`)),
  ]);
  return { all: totals[0], byStage: Object.fromEntries(STAGES.map((s, i) => [s, totals[i + 1]])) };
}

function countsNav(counts, filters) {
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
  const shown = STAGES.filter((s) => counts.byStage[s].total > 0 || s === filters.stage);
  return h(
    'nav',
    { 'aria-label': t('board.counts'), id: 'stage-counts' },
    h('ul', { class: 'stage-counts' }, item('', t('board.all'), counts.all), shown.map((s) => item(s, stageLabel(s), counts.byStage[s]))),
  );
}

function filterForm(view, filters) {
  const option = (value, label, selected) => h('option', { value, selected: selected || undefined }, label);
  const stage = h('select', { id: 'filter-stage', name: 'stage' }, option('', t('filter.anyStage')), STAGES.map((s) => option(s, stageLabel(s), s === filters.stage)));
  const type = h('select', { id: 'filter-type', name: 'type' }, option('', t('filter.anyType')), TYPES.map((ty) => option(ty, typeLabel(ty), ty === filters.type)));
  const q = h('input', { id: 'filter-q', name: 'q', type: 'search', value: filters.q, maxlength: '200', 'aria-describedby': 'filter-q-hint', autocomplete: 'off' });
  const overdue = h('input', { id: 'filter-overdue', name: 'overdue', type: 'checkbox', checked: filters.overdue });
  const sort = h('select', { id: 'filter-sort', name: 'sort' }, SORTS.map((s) => option(s, t(`sort.${s}`), s === filters.sort)));

  const onSubmit = (event) => {
    event.preventDefault();
    view.navigate(boardHash({ stage: stage.value, type: type.value, q: q.value.trim(), overdue: overdue.checked, sort: sort.value, offset: 0 }));
  };
  const onReset = (event) => {
    event.preventDefault();
    view.navigate('#/agreements');
  };

  return h(
    'form',
    { class: 'card filters', id: 'filters', role: 'search', 'aria-labelledby': 'filters-title', onsubmit: onSubmit },
    h('h2', { id: 'filters-title', class: 'visually-hidden' }, t('filter.legend')),
    h(
      'div',
      { class: 'filters-fields' },
      h('div', { class: 'field' }, h('label', { for: 'filter-stage' }, t('filter.stage')), stage),
      h('div', { class: 'field' }, h('label', { for: 'filter-type' }, t('filter.type')), type),
      h('div', { class: 'field' }, h('label', { for: 'filter-q' }, t('filter.q')), q, h('span', { class: 'hint', id: 'filter-q-hint' }, t('filter.qHint'))),
      h('div', { class: 'field' }, h('label', { for: 'filter-sort' }, t('filter.sort')), sort),
    ),
    h(
      'div',
      { class: 'filters-bottom' },
      h('div', { class: 'field field-check' }, overdue, h('label', { for: 'filter-overdue' }, t('filter.overdue'))),
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'submit', class: 'button button-primary', id: 'filter-apply' }, t('filter.apply')),
        h('button', { type: 'button', class: 'button', id: 'filter-reset', onclick: onReset }, t('filter.reset')),
      ),
    ),
  );
}

function partiesCell(parties) {
  const names = parties.map((p) => p.name);
  const shown = names.slice(0, MAX_PARTIES_SHOWN).join(', ');
  const more = names.length - MAX_PARTIES_SHOWN;
  return h('td', { class: 'parties' }, shown, more > 0 ? h('span', { class: 'muted', title: names.join(', ') }, ` ${t('board.moreParties', { n: more })}`) : null);
}

function row(a) {
  const days = daysSince(a.stageEnteredAt);
  return h(
    'tr',
    { dataset: { id: a.id, stage: a.stage } },
    h('td', { class: 'code' }, h('a', { href: `#/agreements/${encodeURIComponent(a.id)}`, class: 'code-link' }, a.code)),
    h('td', { class: 'title' }, pick(a.title)),
    h('td', null, typeLabel(a.type)),
    h('td', null, stageBadge(a.stage)),
    partiesCell(a.parties ?? []),
    h('td', { class: 'in-stage' }, h('span', { class: 'days' }, t('board.days', { n: days })), isOverdue(a) ? h('div', null, overdueMarker(a.stageDueAt)) : null),
  );
}

function listTable(list, filters) {
  if (list.items.length === 0) return h('p', { class: 'empty card', id: 'board-empty' }, t('board.empty'));
  const from = filters.offset + 1;
  const to = filters.offset + list.items.length;
  return h(
    'div',
    { class: 'card card-flush' },
    table({
      caption: `${t('board.caption')} (${t('page.status', { from, to, total: totalText(list) })})`,
      head: [t('col.code'), t('col.title'), t('col.type'), t('col.stage'), t('col.parties'), t('col.inStage')],
      rows: list.items.map(row),
      className: 'board-table',
    }),
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
    { class: 'pagination', 'aria-label': t('page.label') },
    h('p', { class: 'page-status', id: 'page-status' }, t('page.status', { from, to, total })),
    h('div', { class: 'page-links' }, link(prev, t('page.prev'), 'prev', 'page-prev'), link(next, t('page.next'), 'next', 'page-next')),
  );
}
