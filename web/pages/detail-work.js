// The agreement page's working sections: negotiation rounds tied to draft versions, links to
// other instruments (found by search), deadlines (add, change, close), reminders paused or
// resumed, comments, and the performance indices it counts for. Each action, made in place or in a
// dialog, draws the page again with what changed said right under where it shows (on top for what
// has no place of its own).
import { api, query, session } from '../api.js';
import { clear, h } from '../dom.js';
import { pick } from '../i18n.js';
import { t, tOr } from '../i18n/detail.js';
import { badge, deadlineName, errorBox, field, languageName, overdueMarker, refusalBox, section, stageBadge, time } from '../ui.js';
import { HQ_ZONE, MISSION_ZONES, dateInputValue, formatDate, formatDateTime, timeInputValue, userZone, zoneCity, zonedInstant, zonedTime } from '../time.js';
import { formDialog, missing } from '../dialog.js';
import { staleBox } from '../feedback.js';
import { holdOwnChange, ownChange } from '../live.js';
import { indexActiveIn, indexLabel, indexNameIn, reportYear } from '../index-years.js';

const role = () => session.get()?.user?.role;
const isEditor = () => ['admin', 'drafter'].includes(role());
const mayManageDeadlines = () => ['admin', 'drafter', 'diplomat'].includes(role());
const mayComment = () => ['admin', 'drafter', 'diplomat', 'signatory'].includes(role());
const LINK_TYPES = ['implements', 'amends', 'renews', 'supersedes'];
const DEADLINE_KINDS = ['custom', 'signing_due', 'ratification_due', 'expiry', 'renewal_notice'];

const enc = (id) => encodeURIComponent(id);

/**
 * The page drawn again in place after a change, with `done(result)`, its words. `at` is the id of
 * the list (or fact) the change shows in: the words go right under it, not on top of the page (on
 * a phone it is screens below the top, and the reader would be sent away from what they just
 * did); `item(result)`, a selector in it, is the entry to show with them (else its last).
 */
const drawDone = (view, result, { done, at, item }) => view.redraw({ kind: 'success', text: () => done(result), at, item: item?.(result) });

/**
 * Runs a change from a form: the button busy meanwhile, the page drawn again in place (drawDone)
 * on success, the error (or "nothing was saved" for a stale version) in `errorArea` otherwise. A
 * refusal that is a question to the reader (a new final text would reopen the negotiation) is
 * theirs to ask: `ask(err)` returns the promise of its dialog, or nothing for a refusal to say.
 */
export async function runChange(view, { agreementId, button, errorArea, busy, work, done, at, item, ask }) {
  clear(errorArea);
  const label = button.textContent;
  button.disabled = true;
  if (busy) button.textContent = busy;
  try {
    // this tab's change: its live event is not announced as someone else's
    await ownChange(agreementId, async () => {
      await drawDone(view, await work(), { done, at, item });
    });
  } catch (err) {
    if (!view.isCurrent()) return;
    button.disabled = false;
    button.textContent = label;
    const asked = ask?.(err);
    if (asked) return asked;
    const box = err?.code === 'version_conflict' ? staleBox(() => view.reload()) : errorBox(err);
    box.tabIndex = -1;
    errorArea.append(box);
    box.focus();
  }
}

/**
 * Runs a change from a dialog, ended as runChange ends one from a form: `work(form)` sends it from
 * the dialog (a refusal is said inside, the dialog stays open), and once the dialog has closed the
 * page is drawn again in place (drawDone). Not before: a modal dialog keeps focus from the page
 * behind it, and the words would not be focused. Cancelled, focus goes back to `opener`. From the
 * request until the page is drawn the change is this tab's, its live event not announced as
 * someone else's; while the dialog is only open, a colleague's change still is.
 */
export async function changeInDialog(view, agreementId, { work, done, at, item, opener, ...dialog }) {
  let release = null;
  const result = await formDialog({
    onStale: () => view.reload(),
    ...dialog,
    onSubmit: async (form) => {
      const hold = holdOwnChange(agreementId);
      try {
        const answer = await work(form);
        release = hold;
        return answer;
      } catch (err) {
        hold();
        throw err;
      }
    },
  });
  try {
    if (result) await drawDone(view, result, { done, at, item });
    else if (opener?.isConnected) opener.focus();
  } finally {
    release?.();
  }
}

/* ---------------------------------------------------------------- negotiation rounds */

export function roundsSection(view, a, docs) {
  const drafts = docs.filter((d) => d.kind === 'draft' || d.kind === 'final');
  const docName = (ref) => {
    const d = docs.find((x) => x.id === ref);
    return d ? `${d.fileName} (v${d.version})` : ref;
  };
  const rounds = [...(a.rounds ?? [])].sort((x, y) => (x.number ?? 0) - (y.number ?? 0));
  const list = rounds.length
    ? h(
        'ol',
        { class: 'rounds', id: 'rounds-list' },
        rounds.map((r) =>
          h(
            'li',
            { class: 'round', dataset: { round: String(r.number ?? '') } },
            h('div', { class: 'round-head' }, h('strong', null, t('rounds.n', { n: r.number })), ' · ', time(r.date), r.venue ? `, ${r.venue}` : ''),
            r.draftIn || r.draftOut
              ? h(
                  'div',
                  { class: 'muted round-drafts' },
                  r.draftIn ? t('rounds.draftInWas', { name: docName(r.draftIn) }) : null,
                  r.draftIn && r.draftOut ? ' · ' : null,
                  r.draftOut ? t('rounds.draftOutWas', { name: docName(r.draftOut) }) : null,
                )
              : null,
            r.outcome ? h('blockquote', { class: 'note' }, r.outcome) : null,
          ),
        ),
      )
    : h('p', { class: 'muted' }, t('rounds.none'));
  const add = isEditor()
    ? h(
        'button',
        {
          type: 'button',
          class: 'button',
          id: 'round-add',
          onclick: () => roundDialog(view, a, drafts),
        },
        t('rounds.add'),
      )
    : null;
  return section(t('rounds.title'), list, { id: 'rounds', actions: add });
}

function roundDialog(view, a, drafts) {
  const date = h('input', { id: 'date', type: 'date', required: true, value: dateInputValue() });
  const venue = h('input', { id: 'venue', maxlength: '300', autocomplete: 'off' });
  const outcome = h('textarea', { id: 'outcome', rows: '3', maxlength: '2000' });
  const draftSelect = (id) =>
    h('select', { id }, h('option', { value: '' }, t('rounds.noDraft')), drafts.map((d) => h('option', { value: d.id }, `${d.fileName} · v${d.version} · ${tOr(`docKind.${d.kind}`, d.kind)}, ${languageName(d.language)}`)));
  const draftIn = draftSelect('draftIn');
  const draftOut = draftSelect('draftOut');
  return changeInDialog(view, a.id, {
    id: 'round-dialog',
    title: t('rounds.add'),
    content: [
      h('div', { class: 'field-row' }, field('date', t('rounds.date'), date), field('venue', t('rounds.venue'), venue)),
      field('draftIn', t('rounds.draftIn'), draftIn),
      field('draftOut', t('rounds.draftOut'), draftOut),
      field('outcome', t('rounds.outcome'), outcome),
    ],
    submitLabel: t('rounds.save'),
    work: () => {
      if (!date.value) throw missing('date', t('rounds.dateMissing'));
      const body = { date: zonedInstant(date.value, '12:00'), version: a.version };
      if (venue.value.trim()) body.venue = venue.value.trim();
      if (outcome.value.trim()) body.outcome = outcome.value.trim();
      if (draftIn.value) body.draftIn = draftIn.value;
      if (draftOut.value) body.draftOut = draftOut.value;
      return api(`/api/agreements/${enc(a.id)}/rounds`, { method: 'POST', body });
    },
    done: (updated) => t('rounds.saved', { n: updated.rounds?.length ?? '' }),
    at: 'rounds-list',
  });
}

/* ---------------------------------------------------------------- links */

export function linksSection(view, a) {
  const links = a.links ?? [];
  // links other agreements hold to this one, read from this end ("renewed by …")
  const incoming = a.linkedFrom ?? [];
  const item = (l, from) =>
    h(
      'li',
      { class: 'link', dataset: { type: l.type } },
      h('span', { class: 'link-type' }, from ? tOr(`linkedFrom.${l.type}`, l.type) : tOr(`link.${l.type}`, l.type)),
      ' ',
      h('a', { href: `#/agreements/${enc(l.agreementId)}` }, l.code ?? l.agreementId),
      l.title ? h('span', { class: 'muted' }, ` ${pick(l.title)}`) : null,
    );
  const list = links.length || incoming.length ? h('ul', { class: 'links', id: 'links-list' }, links.map((l) => item(l, false)), incoming.map((l) => item(l, true))) : h('p', { class: 'muted' }, t('links.none'));
  return section(t('links.title'), [list, isEditor() ? linkForm(view, a) : null], { id: 'links' });
}

function linkForm(view, a) {
  const type = h('select', { id: 'link-type' }, LINK_TYPES.map((ty) => h('option', { value: ty }, tOr(`link.${ty}`, ty))));
  const search = h('input', { id: 'link-search', type: 'search', autocomplete: 'off', minlength: '2', 'aria-describedby': 'link-search-hint', 'aria-controls': 'link-results' });
  const results = h('ul', { class: 'link-results', id: 'link-results', 'aria-live': 'polite' });
  const errorArea = h('div', { id: 'link-error' });
  let timer = null;
  let seq = 0;
  async function find() {
    const q = search.value.trim();
    const mine = ++seq;
    clear(results);
    if (q.length < 2) return;
    try {
      const found = await api(`/api/agreements${query({ q, limit: 8 })}`);
      if (mine !== seq) return;
      const others = found.items.filter((x) => x.id !== a.id);
      if (others.length === 0) results.append(h('li', { class: 'muted' }, t('links.noMatch')));
      for (const other of others) {
        results.append(
          h(
            'li',
            null,
            h(
              'button',
              {
                type: 'button',
                class: 'button button-small link-choose',
                dataset: { id: other.id },
                onclick: (event) =>
                  runChange(view, {
                    agreementId: a.id,
                    button: event.currentTarget,
                    errorArea,
                    busy: t('links.adding'),
                    work: async () => {
                      const linked = await api(`/api/agreements/${enc(a.id)}/links`, { method: 'POST', body: { type: type.value, agreementId: other.id, version: a.version } });
                      // found and linked: the search is done, it does not come back through the redraw
                      search.value = '';
                      return linked;
                    },
                    done: () => t('links.added', { type: tOr(`link.${type.value}`, type.value), code: other.code }),
                    at: 'links-list',
                  }),
              },
              t('links.choose', { code: other.code }),
            ),
            ' ',
            h('span', null, pick(other.title)),
            ' ',
            stageBadge(other.stage),
          ),
        );
      }
    } catch (err) {
      if (mine === seq) results.append(h('li', null, errorBox(err)));
    }
  }
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(find, 250);
  });
  return h(
    'div',
    { class: 'link-form', id: 'link-form' },
    h('h3', null, t('links.add')),
    errorArea,
    h(
      'div',
      { class: 'field-row' },
      h('div', { class: 'field' }, h('label', { for: 'link-type' }, t('links.type')), type),
      h('div', { class: 'field' }, h('label', { for: 'link-search' }, t('links.search')), search, h('span', { class: 'hint', id: 'link-search-hint' }, t('links.searchHint'))),
    ),
    results,
  );
}

/* ---------------------------------------------------------------- deadlines */

const deadlineWhat = (d, a) => deadlineName(d, a.parties?.find((p) => p.id === d.partyId)?.name);

function zoneOptions(a, selected) {
  const zones = [...new Set([userZone(), ...MISSION_ZONES, ...(a.parties ?? []).map((p) => p.signatory?.timezone).filter(Boolean), selected].filter(Boolean))];
  return zones.map((z) => h('option', { value: z, selected: z === selected }, `${zoneCity(z)} (${z})`));
}

export function deadlinesSection(view, a, result) {
  if (result.status === 'rejected') return section(t('deadlines.title'), errorBox(result.reason), { id: 'deadlines' });
  const dueMs = (d) => new Date(d.dueAt).getTime();
  const all = result.value.items ?? [];
  const items = [...all.filter((d) => d.status === 'open').sort((x, y) => dueMs(x) - dueMs(y)), ...all.filter((d) => d.status !== 'open').sort((x, y) => dueMs(y) - dueMs(x))];
  const tone = { open: 'info', met: 'success', missed: 'danger', cancelled: 'neutral' };
  const manage = mayManageDeadlines();
  const item = (d) => {
    const late = d.status === 'open' && dueMs(d) < Date.now();
    return h(
      'li',
      { class: ['deadline', `deadline-${d.status}`], dataset: { deadline: d.id, kind: d.kind } },
      h('div', { class: 'deadline-what' }, deadlineWhat(d, a)),
      h('div', { class: 'deadline-when' }, zonedTime(d.dueAt, d.timezone)),
      h('div', null, badge(tOr(`dlStatus.${d.status}`, d.status), tone[d.status]), late ? [' ', overdueMarker(d.dueAt, { withDate: false })] : null, d.paused && d.status === 'open' ? [' ', badge(t('reminders.pausedBadge'), 'neutral')] : null),
      manage && d.status === 'open' && d.kind !== 'stage_due'
        ? h(
            'div',
            { class: 'deadline-actions' },
            h('button', { type: 'button', class: 'button button-small deadline-change', onclick: () => deadlineDialog(view, a, d) }, t('deadlines.change')),
            h('button', { type: 'button', class: 'button button-small deadline-close', onclick: () => closeDeadlineDialog(view, a, d) }, t('deadlines.close')),
          )
        : null,
    );
  };
  // open ones first; the closed ones folded away, they are history
  const open = items.filter((d) => d.status === 'open');
  const closed = items.filter((d) => d.status !== 'open');
  // one place, whatever it holds, for what a change to the deadlines says (drawDone's `at`)
  const list = h(
    'div',
    { id: 'deadlines-list' },
    items.length
      ? [
          open.length ? h('ul', { class: 'deadlines', id: 'deadlines-open' }, open.map(item)) : h('p', { class: 'muted' }, t('deadlines.noneOpen')),
          closed.length ? h('details', { class: 'closed-deadlines' }, h('summary', null, t('deadlines.closedList', { n: closed.length })), h('ul', { class: 'deadlines' }, closed.map(item))) : null,
        ]
      : h('p', { class: 'muted' }, t('deadlines.none')),
  );
  const actions = manage
    ? h(
        'div',
        { class: 'section-actions' },
        h('button', { type: 'button', class: 'button button-small', id: 'deadline-add', onclick: () => deadlineDialog(view, a, null) }, t('deadlines.add')),
      )
    : null;
  return section(t('deadlines.title'), [remindersControl(view, a), list], { id: 'deadlines', actions });
}

function remindersControl(view, a) {
  const paused = Boolean(a.remindersPaused);
  const status = h('p', { class: ['reminders-state', paused && 'reminders-paused'], id: 'reminders-state' }, paused ? t('reminders.paused') : t('reminders.active'));
  if (!mayManageDeadlines()) return status;
  const errorArea = h('div', { id: 'reminders-error' });
  const button = h(
    'button',
    {
      type: 'button',
      class: 'button button-small',
      id: 'reminders-toggle',
      onclick: () =>
        runChange(view, {
          agreementId: a.id,
          button,
          errorArea,
          work: () => api(`/api/agreements/${enc(a.id)}/reminders/${paused ? 'resume' : 'pause'}`, { method: 'POST' }),
          done: () => (paused ? t('reminders.resumed') : t('reminders.pausedDone')),
          // said right under the button, with the state it changed
          at: 'reminders-control',
          item: () => '#reminders-state',
        }),
    },
    paused ? t('reminders.resume') : t('reminders.pause'),
  );
  return h('div', { class: 'reminders-control', id: 'reminders-control' }, status, button, errorArea);
}

function deadlineDialog(view, a, d) {
  const zone = d?.timezone ?? userZone();
  const kind = d ? null : h('select', { id: 'kind' }, DEADLINE_KINDS.map((k) => h('option', { value: k }, tOr(`dl.${k}`, k))));
  const party = d ? null : h('select', { id: 'partyId' }, (a.parties ?? []).map((p) => h('option', { value: p.id }, p.name)));
  const partyField = party ? field('partyId', t('parties.name'), party) : null;
  if (partyField) partyField.hidden = true;
  kind?.addEventListener('change', () => {
    partyField.hidden = kind.value !== 'signing_due';
  });
  // the day of an expiry or notice deadline the tracker opened is the term's (the server refuses to move it)
  const fromTerm = Boolean(d && d.source === 'auto' && ['expiry', 'renewal_notice'].includes(d.kind));
  const date = h('input', { id: 'dueAt', type: 'date', required: true, value: d ? dateInputValue(d.dueAt, zone) : '', disabled: fromTerm, 'aria-describedby': fromTerm ? 'deadline-from-term' : undefined });
  const at = h('input', { id: 'dueTime', type: 'time', value: d ? timeInputValue(d.dueAt, zone) : '17:00', disabled: fromTerm });
  const tz = h('select', { id: 'timezone', disabled: fromTerm }, zoneOptions(a, zone));
  const note = h('input', { id: 'note', maxlength: '500', value: d?.note ?? '', autocomplete: 'off' });
  // A date already past makes the deadline overdue the moment it is saved: usually a slip of the
  // month or the year, but right when a deadline is recorded after the fact, so it asks instead of refusing.
  const past = h('input', { type: 'checkbox', id: 'deadline-past-confirm' });
  const pastBox = h('label', { class: 'check', hidden: true }, past, ' ', t('deadlines.pastConfirm'));
  for (const control of [date, at, tz]) {
    for (const type of ['input', 'change']) {
      control.addEventListener(type, () => {
        past.checked = false;
        pastBox.hidden = true;
      });
    }
  }
  return changeInDialog(view, a.id, {
    id: 'deadline-dialog',
    title: d ? t('deadlines.changeTitle', { what: deadlineWhat(d, a) }) : t('deadlines.add'),
    content: [
      kind ? field('kind', t('deadlines.kind'), kind) : null,
      partyField,
      h('div', { class: 'field-row' }, field('dueAt', t('deadlines.date'), date), field('dueTime', t('deadlines.time'), at)),
      fromTerm ? h('p', { class: 'hint', id: 'deadline-from-term' }, t('deadlines.fromTerm')) : null,
      field('timezone', t('deadlines.zone'), tz, t('deadlines.zoneHint')),
      field('note', t('deadlines.note'), note),
      pastBox,
    ],
    submitLabel: t('deadlines.save'),
    work: async () => {
      if (!date.value) throw missing('dueAt', t('deadlines.dateMissing'));
      const body = fromTerm ? {} : { dueAt: zonedInstant(date.value, at.value || '17:00', tz.value), timezone: tz.value };
      const due = fromTerm ? new Date(d.dueAt).getTime() : new Date(body.dueAt).getTime();
      const moved = !d || due !== new Date(d.dueAt).getTime();
      if (moved && due < Date.now() && !past.checked) {
        pastBox.hidden = false;
        throw missing('deadline-past-confirm', t('deadlines.past', { when: formatDateTime(body.dueAt, tz.value) }));
      }
      if (note.value.trim()) body.note = note.value.trim();
      // nothing to send (a term's deadline with no note): the server needs one field at least
      if (fromTerm && !body.note) body.note = d.note ?? null;
      if (d) return api(`/api/deadlines/${enc(d.id)}`, { method: 'PATCH', body: { ...body, version: d.version } });
      body.kind = kind.value;
      if (kind.value === 'signing_due') body.partyId = party.value;
      return api(`/api/agreements/${enc(a.id)}/deadlines`, { method: 'POST', body });
    },
    done: () => (d ? t('deadlines.changed') : t('deadlines.added')),
    at: 'deadlines-list',
    item: (saved) => `[data-deadline="${CSS.escape(saved.id)}"]`,
  });
}

function closeDeadlineDialog(view, a, d) {
  const outcome = h(
    'fieldset',
    { class: 'choices' },
    h('legend', null, t('deadlines.closeHow')),
    ['met', 'cancelled'].map((s, i) => h('label', { class: 'check' }, h('input', { type: 'radio', name: 'close-status', value: s, checked: i === 0, id: `close-${s}` }), ' ', t(`dlStatus.${s}`))),
  );
  return changeInDialog(view, a.id, {
    id: 'close-dialog',
    title: t('deadlines.closeTitle', { what: deadlineWhat(d, a) }),
    content: outcome,
    submitLabel: t('deadlines.close'),
    work: (form) => {
      const status = form.querySelector('input[name="close-status"]:checked').value;
      return api(`/api/deadlines/${enc(d.id)}`, { method: 'PATCH', body: { status, version: d.version } });
    },
    done: (closed) => t('deadlines.closed', { status: t(`dlStatus.${closed.status}`) }),
    at: 'deadlines-list',
  });
}

/* ---------------------------------------------------------------- comments */

export function commentsSection(view, a, historyItems) {
  const comments = (historyItems ?? []).filter((e) => e.action === 'comment');
  const list = comments.length
    ? h(
        'ol',
        { class: 'comments', id: 'comments-list' },
        comments.map((e) =>
          h('li', { class: 'comment' }, h('div', { class: 'comment-head' }, h('strong', null, e.actor?.name ?? e.actor?.email ?? '—'), ' · ', time(e.at, true)), h('p', { class: 'comment-text' }, e.changes?.text ?? '')),
        ),
      )
    : h('p', { class: 'muted' }, t('comments.none'));
  if (!mayComment()) return section(t('comments.title'), list, { id: 'comments' });
  const text = h('textarea', { id: 'comment-text', rows: '3', maxlength: '5000', required: true });
  const errorArea = h('div', { id: 'comment-error' });
  const button = h('button', { type: 'submit', class: 'button button-primary', id: 'comment-submit' }, t('comments.submit'));
  const form = h(
    'form',
    {
      class: 'comment-form',
      novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        if (!text.value.trim()) {
          clear(errorArea);
          errorArea.append(refusalBox(() => t('comments.empty')));
          text.setAttribute('aria-invalid', 'true');
          text.focus();
          return;
        }
        return runChange(view, {
          agreementId: a.id,
          button,
          errorArea,
          busy: t('comments.sending'),
          work: async () => {
            const posted = await api(`/api/agreements/${enc(a.id)}/comments`, { method: 'POST', body: { text: text.value.trim() } });
            // posted: the words are in the list now, the field is kept empty through the redraw
            text.value = '';
            return posted;
          },
          done: () => t('comments.sent'),
          at: 'comments-list',
        });
      },
    },
    errorArea,
    h('div', { class: 'field' }, h('label', { for: 'comment-text' }, t('comments.label')), text),
    h('div', { class: 'form-actions' }, button),
  );
  return section(t('comments.title'), [list, form], { id: 'comments' });
}

/* ---------------------------------------------------------------- performance indices */


/**
 * The year that decides which indices an agreement counts for and under which names: the annual
 * report counts it in the year it was signed, so that year once signed, this year until then.
 */
const agreementYear = (a) => reportYear(a.signedAt ?? new Date());

/**
 * The agreement's performance indices for its summary, each by its name in the agreement's year
 * (its code if the list of indices could not be had), and for drafters and admins the button that
 * changes them (PUT /api/agreements/:id/indices asks for editAgreement).
 */
export function indicesFact(view, a, indices) {
  const year = agreementYear(a);
  // in the order the indices are listed (the report's), those unknown to the list last
  const rank = (code) => indices?.findIndex((i) => i.code === code) ?? -1;
  const codes = [...(a.indices ?? [])].sort((x, y) => (rank(x) < 0 ? Infinity : rank(x)) - (rank(y) < 0 ? Infinity : rank(y)));
  // one it still carries but that is not reported that year (retired, or not begun) is said so
  const name = (code) => {
    const index = indices?.find((i) => i.code === code);
    return [indexLabel(code, indices, year), index ? notInUse(index, year) : null];
  };
  const list = codes.length
    ? h('ul', { class: 'agreement-indices', id: 'agreement-indices' }, codes.map((code) => h('li', { dataset: { code } }, name(code))))
    : h('p', { class: 'muted agreement-indices-none', id: 'agreement-indices' }, t('agreementIndices.none'));
  if (!isEditor()) return [list];
  // where a list that could not be had is said, a place of its own: a language switch says it again there (dom.js `answer`)
  const said = h('div', { id: 'indices-edit-said' });
  const edit = h('button', { type: 'button', class: 'button button-small', id: 'indices-edit', onclick: (event) => indicesDialog(view, a, event.currentTarget, said) }, t('agreementIndices.edit'));
  return [list, edit, said];
}

/** "(not in use in 2026)" after an index not reported in `year`, else nothing. */
const notInUse = (index, year) => (indexActiveIn(index, year) ? null : h('span', { class: 'muted index-not-in-use' }, ` ${t('agreementIndices.notInUse', { year })}`));

/**
 * Ticks the indices the agreement counts for: those in use in its year, and any it already
 * counts for that is not (retired, or not yet begun), so it can be taken off.
 */
async function indicesDialog(view, a, opener, said) {
  const year = agreementYear(a);
  // the list as it is now (an admin may have added one since the page was drawn); if it cannot be
  // had, that is said beside the button (`said`), which stays to try again
  clear(said);
  // a second press while the list is on its way opens nothing more (the button is not disabled:
  // that would take the keyboard's focus off it)
  if (opener.dataset.busy) return;
  opener.dataset.busy = 'true';
  let items;
  try {
    items = (await api('/api/indices')).items;
  } catch (err) {
    said.append(errorBox(err, 'indices-edit-error'));
    return;
  } finally {
    delete opener.dataset.busy;
  }
  const chosen = new Set(a.indices ?? []);
  const offered = items.filter((i) => indexActiveIn(i, year) || chosen.has(i.code));
  const choices = offered.length
    ? h(
        'fieldset',
        { class: 'index-choices', id: 'index-choices' },
        h('legend', null, t('agreementIndices.legend', { year })),
        offered.map((i) =>
          h(
            'label',
            { class: 'check' },
            h('input', { type: 'checkbox', name: 'index', value: i.code, id: `index-${i.code}`, checked: chosen.has(i.code) }),
            h(
              'span',
              null,
              pick(indexNameIn(i, year)),
              notInUse(i, year),
            ),
          ),
        ),
      )
    : h('p', { class: 'muted' }, t('agreementIndices.noneInUse', { year }));
  const names = (codes) => codes.map((code) => indexLabel(code, items, year));
  await changeInDialog(view, a.id, {
    id: 'indices-dialog',
    title: t('agreementIndices.title'),
    intro: a.signedAt ? t('agreementIndices.introSigned', { year }) : t('agreementIndices.introOpen', { year }),
    content: choices,
    submitLabel: t('agreementIndices.save'),
    work: async (form) => {
      const codes = [...form.querySelectorAll('input[name="index"]:checked')].map((input) => input.value);
      await api(`/api/agreements/${enc(a.id)}/indices`, { method: 'PUT', body: { indices: codes, version: a.version } });
      return { codes };
    },
    done: (saved) => (saved.codes.length ? t('agreementIndices.saved', { names: names(saved.codes).join('; ') }) : t('agreementIndices.cleared')),
    at: 'agreement-indices',
    opener,
  });
}

/** Stages in which the term no longer matters: the agreement has ended or was never concluded. */
const TERM_CLOSED = ['expired', 'terminated', 'superseded', 'abandoned'];
/** the largest notice period the server takes (server/routes/agreements.ts LIMITS.noticeDays) */
const MAX_NOTICE_DAYS = 3650;
const DAY_MS = 86_400_000;
/**
 * Term dates are calendar days, kept as midnight UTC (the API) or midnight in Jakarta (an import):
 * both fall on that day by Jakarta's calendar, which is how they are shown and edited wherever the reader is.
 */
const termDay = (value) => (value ? dateInputValue(value, HQ_ZONE) : '');
const termDate = (value) => formatDate(value, HQ_ZONE);

/** "5 tahun", "18 bulan": a duration as the text of an agreement states it. */
const durationText = (months) => (months % 12 === 0 ? t('term.years', { n: months / 12 }) : t('term.months', { n: months }));

/** The day `months` after the ISO day `from` (the anniversary; the end of a shorter month when it has no such day). */
function addMonthsToDay(from, months) {
  const [y, m, d] = from.split('-').map(Number);
  const total = m - 1 + months;
  const year = y + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(d, last))).toISOString().slice(0, 10);
}

/**
 * A term in words, its parts to be joined with " · ": "5 tahun", "berakhir 1 Apr 2027" and the
 * notice, by its last day (`notice: 'date'`, the summary) or as a number of days (`'days'`, the history).
 */
export function termParts(term, notice = 'date') {
  const parts = [];
  if (term?.durationMonths) parts.push(durationText(term.durationMonths));
  if (term?.expiresAt) parts.push(t('term.endsOn', { date: termDate(term.expiresAt) }));
  if (term?.noticePeriodDays > 0 && notice === 'days') parts.push(t('history.termNotice', { n: term.noticePeriodDays }));
  if (term?.noticePeriodDays > 0 && notice === 'date' && term.expiresAt) {
    parts.push(t('term.noticeBy', { date: termDate(new Date(Date.parse(term.expiresAt) - term.noticePeriodDays * DAY_MS)), n: term.noticePeriodDays }));
  }
  return parts;
}

/**
 * The agreement's term for its summary (how long, until when, by when notice must be given) and,
 * for drafters and admins while it has not ended, the button that records or changes it: in force,
 * the server moves the expiry and notice deadlines with it.
 */
export function termFact(view, a) {
  const term = a.term ?? {};
  // internal guidelines run until replaced: no term to offer unless one was recorded
  if (a.type === 'guideline' && !term.expiresAt && !term.durationMonths) return null;
  const parts = termParts(term);
  const text = parts.length ? h('p', { class: 'agreement-term', id: 'agreement-term' }, parts.join(' · ')) : h('p', { class: 'muted agreement-term', id: 'agreement-term' }, t('term.none'));
  const edit =
    isEditor() && !TERM_CLOSED.includes(a.stage)
      ? h('button', { type: 'button', class: 'button button-small', id: 'term-edit', onclick: (event) => termDialog(view, a, event.currentTarget) }, parts.length ? t('term.edit') : t('term.add'))
      : null;
  return [text, edit];
}

async function termDialog(view, a, opener) {
  const term = a.term ?? {};
  const numberInput = (id, value, max) => h('input', { id, name: id, type: 'number', inputmode: 'numeric', min: id === 'term-noticePeriodDays' ? '0' : '1', max: String(max), step: '1', value: value ?? '' });
  const duration = numberInput('term-durationMonths', term.durationMonths, 1200);
  const expires = h('input', { id: 'term-expiresAt', name: 'term-expiresAt', type: 'date', value: termDay(term.expiresAt) });
  const notice = numberInput('term-noticePeriodDays', term.noticePeriodDays, MAX_NOTICE_DAYS);
  const since = termDay(a.entryIntoForce?.date);
  const computeError = h('div', { class: 'alert alert-error', id: 'term-compute-error', role: 'alert', hidden: true });
  // From the entry into force and the duration, the anniversary day (as the demo's five-year MoU runs to 1 April 2027).
  const compute = since
    ? h(
        'button',
        {
          type: 'button',
          class: 'button button-small',
          id: 'term-compute',
          onclick: () => {
            const months = Number(duration.value);
            computeError.hidden = Number.isInteger(months) && months >= 1;
            if (!computeError.hidden) {
              computeError.textContent = t('term.durationFirst');
              duration.setAttribute('aria-invalid', 'true');
              duration.focus();
              return;
            }
            duration.removeAttribute('aria-invalid');
            expires.value = addMonthsToDay(since, months);
            // the day in words under the box follows a value set here too (ui.js field)
            expires.dispatchEvent(new Event('change'));
            expires.focus();
          },
        },
        t('term.compute', { date: termDate(since) }),
      )
    : null;
  const content = [
    field('term-durationMonths', t('term.duration'), duration, t('term.durationHint')),
    field('term-expiresAt', t('term.expiresAt'), expires, since ? t('term.expiresHintSince', { date: termDate(since) }) : t('term.expiresHint')),
    compute ? h('div', { class: 'field term-compute' }, compute, computeError) : null,
    field('term-noticePeriodDays', t('term.notice'), notice, t('term.noticeHint')),
  ];
  await changeInDialog(view, a.id, {
    id: 'term-dialog',
    title: t('term.title'),
    intro: a.stage === 'in_force' ? t('term.introInForce') : t('term.introBefore'),
    content,
    submitLabel: t('term.save'),
    work: async () => {
      const body = {};
      if (duration.value !== '') {
        const n = Number(duration.value);
        if (!Number.isInteger(n) || n < 1 || n > 1200) throw missing('term-durationMonths', t('term.durationInvalid'));
        body.durationMonths = n;
      }
      if (expires.value) body.expiresAt = expires.value;
      if (notice.value !== '') {
        const n = Number(notice.value);
        if (!Number.isInteger(n) || n < 0 || n > MAX_NOTICE_DAYS) throw missing('term-noticePeriodDays', t('term.noticeInvalid', { max: MAX_NOTICE_DAYS }));
        if (n > 0 && !body.expiresAt) throw missing('term-expiresAt', t('term.noticeNeedsEnd'));
        body.noticePeriodDays = n;
      }
      await api(`/api/agreements/${enc(a.id)}`, { method: 'PATCH', body: { term: body, version: a.version } });
      return { body };
    },
    done: (saved) => (Object.keys(saved.body).length > 0 ? (a.stage === 'in_force' ? t('term.savedInForce') : t('term.saved')) : t('term.cleared')),
    at: 'agreement-term',
    opener,
  });
}
