// "Waiting for my signature": the agreements in which the signed-in user is the designated
// signatory of a party that has not signed yet, soonest due first, each with its progress.
import { api } from '../api.js';
import { append, clear, h } from '../dom.js';
import { pick } from '../i18n.js';
import { t } from '../i18n/signatures.js';
import { errorBox, isOverdue, loading, overdueMarker, signingProgress, stageBadge, time } from '../ui.js';

export async function renderSignatures(view) {
  const heading = h('h1', { tabindex: '-1' }, t('mysig.title'));
  view.setTitle(t('mysig.title'));
  const body = h('div', { class: 'signatures', 'aria-busy': 'true' }, loading());
  view.main.append(h('div', { class: 'page-head' }, heading, h('p', { class: 'muted' }, t('mysig.intro'))), body);
  let list;
  try {
    list = await api('/api/me/signatures');
  } catch (err) {
    if (!view.isCurrent()) return;
    clear(body).append(errorBox(err));
    return;
  }
  if (!view.isCurrent()) return;
  body.setAttribute('aria-busy', 'false');
  if (list.items.length === 0) {
    clear(body).append(h('p', { class: 'empty', id: 'mysig-empty' }, t('mysig.none')));
    return;
  }
  append(clear(body), [
    h('p', { id: 'mysig-count', role: 'status' }, t('mysig.count', { n: list.items.length })),
    h(
      'ul',
      { class: 'card-list', id: 'mysig-list' },
      list.items.map((a) =>
        h(
          'li',
          { class: 'card sig-card', dataset: { id: a.id } },
          h('p', { class: 'eyebrow' }, a.code, ' ', stageBadge(a.stage)),
          h('h2', { class: 'sig-title' }, h('a', { href: `#/agreements/${encodeURIComponent(a.id)}`, class: 'sig-link' }, pick(a.title))),
          h('p', { class: 'sig-for' }, t('mysig.for', { parties: a.myParties.map((p) => p.name).join(', ') })),
          signingProgress(a),
          // the due date once, with the overdue flag beside it (not repeated inside the flag)
          a.stageDueAt ? h('p', { class: 'muted sig-due' }, t('mysig.due'), ' ', time(a.stageDueAt, true), isOverdue(a) ? [' ', overdueMarker(a.stageDueAt, { withDate: false })] : null) : null,
          h('p', null, h('a', { class: 'button button-primary', href: `#/agreements/${encodeURIComponent(a.id)}` }, t('mysig.open'))),
        ),
      ),
    ),
  ]);
}
