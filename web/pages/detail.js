// One agreement, and the place where the work on it is done: summary (edit while the text is
// open), parties with their signing progress (sign or decline for one's own party), stage
// timeline, next steps with their unmet conditions (the uploads they ask for offered in place),
// documents, rounds, links, deadlines, comments, and the hash-chained history.
import { api, session } from '../api.js';
import { append, clear, h, nextTask, restoreFields, saveFields } from '../dom.js';
import { getLang, locale, pick } from '../i18n.js';
import { stageLabel, t, tOr, typeLabel } from '../i18n/detail.js';
import { REOPEN_STAGE, timeline } from '../workflow.js';
import { changingHere, ownChange, subscribe } from '../live.js';
import {
  badge,
  countryName,
  daysSince,
  errorBox,
  errorContent,
  facts,
  flashNotice,
  formatDate,
  isOverdue,
  languageDirection,
  languageName,
  overdueMarker,
  refusalBox,
  section,
  signingProgress,
  stageBadge,
  field,
  table,
  time,
} from '../ui.js';
import { HQ_ZONE, dateInputValue, signingInstant } from '../time.js';
import { staleBox } from '../feedback.js';
import { formDialog, missing } from '../dialog.js';
import { EDITABLE_STAGES } from './agreement-form.js';
import { documentsSection, mayUpload, uploadWidget } from './detail-documents.js';
import { changeInDialog, commentsSection, deadlinesSection, indicesFact, linksSection, roundsSection, termFact } from './detail-work.js';
import { actorText, describeEvent, triggerText, witnessNames } from './history-event.js';
import { agreementRequests } from './page-modules.js';

/** A party's official name: Arabic script is marked as Arabic, right to left; anything else is left to the browser. */
const scriptOf = (text) => (/[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]/.test(text) ? { lang: 'ar', dir: 'rtl' } : { dir: 'auto' });

/** Stages in which parties sign (workflows/tables.ts, signingStages). */
const SIGNING_STAGES = ['awaiting_signature', 'partially_signed'];
/** Once signed, the page says since when it is in force and when it expires, not days in stage. */
const AFTER_SIGNING = ['signed', 'pending_ratification', 'in_force', 'expired', 'terminated', 'superseded'];
/** Moves that cannot be undone: they ask for confirmation and a reason. */
const DESTRUCTIVE = ['abandoned', 'terminated'];

const role = () => session.get()?.user?.role;
const isEditor = () => ['admin', 'drafter'].includes(role());

/** Redraws the agreement page on view, if one is (for live updates); resolves when drawn. */
let current = null;
export function refresh() {
  return current?.() ?? Promise.resolve();
}

export async function renderDetail(view) {
  const id = view.parts[1];
  const heading = h('h1', { tabindex: '-1', id: 'agreement-title' }, t('loading'));
  const head = h('div', { class: 'page-head detail-head' }, heading);
  const body = h('div', { class: 'detail', 'aria-busy': 'true' });
  view.setTitle(t('loading'));
  view.main.append(h('p', { class: 'back' }, h('a', { href: '#/agreements', id: 'back-link' }, h('span', { 'aria-hidden': 'true' }, '← '), t('detail.back'))), head, body);
  let lastSeq = 0;
  let draws = 0;
  const page = { ...view };
  const draw = async (flashMessage, { keepFields = false, focusFlash = true } = {}) => {
    const saved = keepFields ? saveFields(body) : null;
    const mine = ++draws;
    lastSeq = (await load(page, id, heading, head, body, flashMessage, { focusFlash, isLatest: () => mine === draws })) ?? lastSeq;
    if (saved) restoreFields(body, saved);
  };
  // A change made on the page draws it again in place, as a live change does: what was typed
  // elsewhere on it (a link search, a comment begun) stays, and focus goes to the notice.
  page.redraw = (flashMessage) => draw(flashMessage, { keepFields: true });
  current = () => (view.isCurrent() ? draw(null, { keepFields: true }) : Promise.resolve());
  view.onLeave(() => {
    current = null;
  });
  // a language switch leaves focus on the switch
  await draw(view.flash, { focusFlash: !view.languageSwitch });
  // live (h12b): someone else's change to this agreement redraws the page in place; what was typed
  // is kept, and focus stays where it is. Not under a typing hand or an open dialog: the change
  // waits until focus leaves the field or the dialog closes (a diplomat who typed a comment never
  // saw a stage moved meanwhile, until the next change came).
  let waiting = false;
  const busy = () =>
    (view.main.contains(document.activeElement) && /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)) || Boolean(document.querySelector('dialog[open]'));
  const showChange = () => {
    waiting = false;
    void draw({ kind: 'info', text: () => t('live.changed') }, { keepFields: true, focusFlash: false });
    view.announce(t('live.changed'));
  };
  // Looked at once focus has moved (focusout comes before the next element has it) and after a
  // dialog's close; with a finger or a button still down, after it is lifted: a click on "Post the
  // comment" would otherwise land on a button the redraw has just replaced, and be lost.
  let pressed = false;
  const whenFree = (event) => {
    if (event.type === 'pointerdown') pressed = true;
    if (event.type === 'pointerup' || event.type === 'pointercancel') pressed = false;
    setTimeout(() => {
      if (waiting && !pressed && view.isCurrent() && !busy()) showChange();
    });
  };
  const WHEN_FREE = ['focusout', 'focusin', 'close', 'pointerdown', 'pointerup', 'pointercancel'];
  for (const type of WHEN_FREE) document.addEventListener(type, whenFree, true);
  view.onLeave(() => {
    for (const type of WHEN_FREE) document.removeEventListener(type, whenFree, true);
  });
  view.onLeave(
    subscribe((e) => {
      if (!view.isCurrent() || !(e.action === 'resync' || (e.agreementId === id && e.seq > lastSeq))) return;
      // this tab's own change, whose event came back before its answer: the page is drawn again
      // when the change is done, with what it did on top; it is not someone else's
      if (e.action !== 'resync' && changingHere(id)) return;
      if (busy()) waiting = true;
      else showChange();
    }),
  );
}

/**
 * Draws the agreement in steps, so that no single task holds the page (a slow phone stays
 * responsive to a tap) and what is read first comes first: the heading as soon as the agreement
 * arrives, then each panel built aside in a task of its own and all of them put in together. Put
 * in together because on a phone the next steps stand above the summary: a panel put in on its
 * own would push what is being read down the screen. A redraw (a live change, the language)
 * swaps heading and panels in at once, so nothing being read vanishes for a moment. Resolves with
 * the last history seq shown once all is drawn, or with undefined when another page or a newer
 * draw took over.
 */
async function load(view, id, heading, head, body, flashMessage, { focusFlash = true, isLatest = () => true } = {}) {
  const wanted = () => view.isCurrent() && isLatest();
  const [agreementPath, ...partPaths] = agreementRequests(id);
  // All asked for at once (the shell may have asked already, while this module was on its way):
  // on a distant link one round trip instead of two. A section that fails says so, the others still show.
  const parts = Promise.allSettled(partPaths.map((path) => api(path)));
  const first = !body.hasChildNodes();
  let a;
  try {
    a = await api(agreementPath);
  } catch (err) {
    if (!wanted()) return;
    heading.textContent = err?.status === 404 ? t('detail.notFound') : t('error.generic');
    view.setTitle(heading.textContent);
    body.setAttribute('aria-busy', 'false');
    clear(body).append(errorBox(err));
    return;
  }
  if (!wanted()) return;
  if (first) drawHead(view, a, heading, head);

  // Index names only for an agreement that counts towards indices, or whose history sets them:
  // one request more for those alone, asked for as soon as the agreement says so.
  const askIndices = () => api('/api/indices').then((r) => r.items, () => null);
  let indicesAnswer = a.indices?.length ? askIndices() : null;
  const [steps, history, documents, deadlines] = await parts;
  const historyItems = history.status === 'fulfilled' ? history.value.items : [];
  const docs = documents.status === 'fulfilled' ? documents.value.items ?? [] : [];
  if (!indicesAnswer && historyItems.some((e) => e.action === 'indices_set')) indicesAnswer = askIndices();
  const indices = indicesAnswer ? await indicesAnswer : null;
  if (!wanted()) return;
  const main = h('div', { class: 'detail-main' });
  const side = h('div', { class: 'detail-side' });
  const panels = [
    () => side.append(stepsSection(view, a, steps), deadlinesSection(view, a, deadlines)),
    () => main.append(summarySection(view, a, indices), partiesSection(view, a)),
    () => main.append(timelineSection(a, history.status === 'fulfilled' ? historyItems : null)),
    () => main.append(documentsSection(view, a, documents), roundsSection(view, a, docs)),
    () => main.append(linksSection(view, a), commentsSection(view, a, historyItems)),
    () => main.append(historySection(view, a, history, indices, deadlines)),
  ];
  for (const panel of panels) {
    await nextTask();
    if (!wanted()) return;
    panel();
  }
  const flash = flashMessage ? flashNotice(flashMessage) : null;
  if (flash) {
    flash.id = 'detail-flash';
    flash.tabIndex = -1;
  }
  const grid = h('div', { class: 'detail-grid' }, main, side);
  // a notice that names its list (drawDone's `at`) goes right under it, where the change shows
  const list = flashMessage?.at ? grid.querySelector(`#${CSS.escape(flashMessage.at)}`) : null;
  if (flash && list) list.after(flash);
  if (!first) drawHead(view, a, heading, head);
  append(clear(body), [list ? null : flash, grid]);
  // a redraw in place puts up its own notice, or none: that is the one a language switch keeps
  view.showFlash(flashMessage);
  body.setAttribute('aria-busy', 'false');
  if (flash && focusFlash) {
    flash.focus({ preventScroll: Boolean(list) });
    if (list) showTogether((flashMessage.item && list.querySelector(flashMessage.item)) || list.lastElementChild || list, flash);
  }
  return historyItems.at(-1)?.seq ?? 0;
}

/**
 * Scrolls so that `item` (the list's entry just changed) and the notice by it (under it, or above
 * a list whose newest entry comes first) are both on screen, centred; when both cannot be, the
 * upper of the two shows from its top, the way it is read, the other starting below it.
 */
function showTogether(item, notice) {
  const [upper, lower] = [item, notice].sort((x, y) => x.getBoundingClientRect().top - y.getBoundingClientRect().top);
  const top = upper.getBoundingClientRect().top;
  const bottom = lower.getBoundingClientRect().bottom;
  if (bottom - top <= window.innerHeight) window.scrollBy(0, (top + bottom - window.innerHeight) / 2);
  else upper.scrollIntoView({ block: 'start' });
}

/** The heading: code, title in the chosen language and the others, stage, signing progress, edit. */
function drawHead(view, a, heading, head) {
  const title = pick(a.title);
  heading.textContent = title;
  view.setTitle(`${a.code} · ${title}`);
  const lang = getLang();
  const otherLang = lang === 'id' ? 'en' : 'id';
  for (const el of head.querySelectorAll('.head-extra')) el.remove();
  const edit =
    isEditor() && EDITABLE_STAGES.includes(a.stage)
      ? h('a', { class: 'button head-extra', id: 'edit-agreement', href: `#/agreements/${encodeURIComponent(a.id)}/edit` }, t('detail.edit'))
      : null;
  heading.before(h('p', { class: 'eyebrow head-extra', id: 'agreement-code' }, a.code));
  const extras = [
    h('p', { class: 'other-title head-extra', lang: otherLang }, h('span', { class: 'visually-hidden', lang }, `${t('detail.otherTitle')}: `), a.title[otherLang]),
    // the title in each further authentic language (Arabic, Malay...), marked with its language and direction
    ...Object.keys(a.title ?? {})
      .filter((code) => code !== 'id' && code !== 'en' && a.title[code])
      .map((code) =>
        h(
          'p',
          { class: 'other-title head-extra', lang: code, dir: languageDirection(code) ?? 'auto', 'data-title-lang': code },
          h('span', { class: 'visually-hidden', lang, dir: 'ltr' }, `${languageName(code)}: `),
          a.title[code],
        ),
      ),
    h('p', { class: 'head-badges head-extra', id: 'agreement-stage' }, stageBadge(a.stage), ' ', badge(typeLabel(a.type), 'neutral'), ' ', stageTime(a), isOverdue(a) && !AFTER_SIGNING.includes(a.stage) ? [' ', overdueMarker(a.stageDueAt)] : null),
    h('div', { class: 'head-extra head-progress', id: 'head-progress' }, signingProgress(a)),
    edit ? h('p', { class: 'head-extra head-actions' }, edit) : null,
  ];
  heading.after(...extras.filter(Boolean));
}

/** "3 days in stage" while it moves; once signed, since when it is in force and when it expires. */
function stageTime(a) {
  if (!AFTER_SIGNING.includes(a.stage)) return h('span', { class: 'days' }, t('detail.daysInStage', { n: daysSince(a.stageEnteredAt) }));
  const parts = [];
  if (a.stage === 'in_force' && a.entryIntoForce?.date) parts.push(t('detail.inForceSince', { date: formatDate(a.entryIntoForce.date) }));
  else if (a.stage === 'signed' || a.stage === 'pending_ratification') parts.push(t('detail.signedOn', { date: formatDate(a.signedAt ?? a.stageEnteredAt) }));
  else parts.push(t('detail.endedOn', { stage: stageLabel(a.stage), date: formatDate(a.stageEnteredAt) }));
  const expires = a.term?.expiresAt;
  if (expires && ['signed', 'pending_ratification', 'in_force'].includes(a.stage)) parts.push(t('detail.expires', { date: formatDate(expires) }));
  return h('span', { class: 'in-force', id: 'in-force' }, parts.join(' · '));
}

function failed(result) {
  return h('div', { class: 'alert alert-error', role: 'alert' }, h('p', null, t('error.section')), errorContent(result.reason));
}

function summarySection(view, a, indices) {
  const conf = tOr(`conf.${a.confidentiality}`, a.confidentiality);
  return section(
    t('detail.summary'),
    facts([
      [t('field.code'), a.code],
      [t('field.type'), typeLabel(a.type)],
      [t('field.stage'), stageBadge(a.stage)],
      [t('field.leadUnit'), a.leadUnit],
      [t('field.confidentiality'), conf],
      [t('field.languages'), (a.authenticLanguages ?? []).map(languageName).join(', ')],
      [t('field.subjects'), (a.subjects ?? []).join(', ') || null],
      [t('field.stageEntered'), time(a.stageEnteredAt, true)],
      [t('field.stageDue'), a.stageDueAt && !AFTER_SIGNING.includes(a.stage) ? time(a.stageDueAt, true) : null],
      [t('field.signedAt'), a.signedAt ? time(a.signedAt) : null],
      [t('field.entryIntoForce'), a.entryIntoForce?.date ? [time(a.entryIntoForce.date), a.entryIntoForce.basis ? ` (${tOr(`eif.${a.entryIntoForce.basis}`, a.entryIntoForce.basis)})` : ''] : null],
      [t('field.ratification'), a.ratification ? [`${t(`ratification.${a.ratification.kind}`)} ${a.ratification.number}, `, time(a.ratification.date)] : null],
      [t('field.term'), termFact(view, a)],
      [t('field.indices'), indicesFact(view, a, indices)],
    ]),
    { id: 'summary' },
  );
}

/** Who may act for a party here: its own signatory, or a drafter or admin on its behalf. */
function partyActor(a, p) {
  const user = session.get()?.user ?? {};
  if (!SIGNING_STAGES.includes(a.stage) || p.status === 'signed' || p.status === 'declined') return null;
  const own = p.signatory?.email && p.signatory.email.toLowerCase() === String(user.email ?? '').toLowerCase();
  if (own && ['signatory', 'drafter', 'admin'].includes(user.role)) return 'own';
  if (['drafter', 'admin'].includes(user.role)) return 'behalf';
  return null;
}

function partiesSection(view, a) {
  const rows = (a.parties ?? []).map((p) => {
    const who = partyActor(a, p);
    return h(
      'tr',
      { dataset: { party: p.id, status: p.status } },
      h('th', { scope: 'row' }, p.name, p.officialName ? h('div', { class: 'official-name', ...scriptOf(p.officialName) }, p.officialName) : null, p.country ? h('div', { class: 'muted country' }, countryName(p.country)) : null),
      h('td', { dataset: { label: t('parties.kind') } }, tOr(`partyKind.${p.kind}`, p.kind)),
      h(
        'td',
        { dataset: { label: t('parties.signatory') } },
        // a name or title may be in Arabic script: each takes the direction of its own first letter
        p.signatory?.name ? [h('div', { dir: 'auto' }, p.signatory.name), p.signatory.title ? h('div', { class: 'muted', dir: 'auto' }, p.signatory.title) : null] : h('span', { class: 'muted' }, t('parties.noSignatory')),
      ),
      h(
        'td',
        { dataset: { label: t('parties.status') } },
        badge(tOr(`partyStatus.${p.status}`, p.status), p.status === 'signed' ? 'success' : p.status === 'declined' ? 'danger' : 'neutral'),
        p.declineReason ? h('div', { class: 'muted' }, t('parties.declined', { reason: p.declineReason })) : null,
      ),
      h(
        'td',
        { dataset: { label: t('parties.signature') } },
        p.signature
          ? [
              time(p.signature.signedAt),
              p.signature.place ? [', ', h('bdi', null, p.signature.place)] : '',
              h('div', { class: 'muted' }, tOr(`method.${p.signature.method}`, p.signature.method)),
              p.signature.witnesses?.length ? h('div', { class: 'witnesses' }, t('parties.witnessedBy', { names: witnessNames(p.signature.witnesses) })) : null,
            ]
          : '—',
        who
          ? h(
              'div',
              { class: 'party-actions' },
              h('button', { type: 'button', class: 'button button-primary button-small sign-party', onclick: () => signDialog(view, a, p, who) }, who === 'own' ? t('sign.own') : t('sign.behalf')),
              h('button', { type: 'button', class: 'button button-danger button-small decline-party', onclick: () => declineDialog(view, a, p) }, t('decline.button')),
            )
          : null,
      ),
    );
  });
  return section(
    t('parties.title'),
    [
      h('div', { id: 'parties-progress' }, signingProgress(a)),
      Object.assign(table({ caption: t('parties.title'), head: [t('parties.name'), t('parties.kind'), t('parties.signatory'), t('parties.status'), t('parties.signature')], rows, className: 'parties-table' }), { id: 'parties-list' }),
    ],
    { id: 'parties' },
  );
}

function signDialog(view, a, p, who) {
  const date = h('input', { id: 'signedAt', type: 'date', required: true, value: dateInputValue(), max: dateInputValue() });
  // a place may be typed in Arabic (Riyadh's own name): the field follows what is typed
  const place = h('input', { id: 'place', maxlength: '200', autocomplete: 'off', dir: 'auto' });
  // one witness a line: a name or office may hold commas ("Menteri Luar Negeri, Republik Indonesia")
  const witnesses = h('textarea', { id: 'witnesses', rows: '3', autocomplete: 'off', dir: 'auto' });
  const method = h(
    'fieldset',
    { class: 'choices', id: 'method' },
    h('legend', null, t('sign.method')),
    ['wet_ink', 'electronic'].map((m, i) => h('label', { class: 'check' }, h('input', { type: 'radio', name: 'sign-method', value: m, id: `method-${m}`, checked: i === 0 }), ' ', t(`sign.method.${m}`))),
  );
  // Shown once the server finds the date earlier than the text was put up for signature: usually
  // a slip, but right for an agreement entered by hand after it was signed.
  const early = h('input', { type: 'checkbox', id: 'sign-early-confirm' });
  const earlyBox = h('label', { class: 'check', hidden: true }, early, ' ', h('span', { id: 'sign-early-text' }));
  for (const type of ['input', 'change']) {
    date.addEventListener(type, () => {
      early.checked = false;
      earlyBox.hidden = true;
    });
  }
  return changeInDialog(view, a.id, {
    id: 'sign-dialog',
    title: t('sign.title', { party: p.name }),
    intro: who === 'own' ? t('sign.introOwn') : t('sign.introBehalf', { signatory: p.signatory?.name ?? p.name }),
    content: [
      h('div', { class: 'field-row' }, field('signedAt', t('sign.date'), date), h('div', { class: 'field' }, h('label', { for: 'place' }, t('sign.place')), place)),
      method,
      field('witnesses', t('sign.witnesses'), witnesses, t('sign.witnessesHint')),
      earlyBox,
    ],
    submitLabel: t('sign.submit'),
    work: async (form) => {
      if (!date.value) throw missing('signedAt', t('sign.dateMissing'));
      const body = { signedAt: signingInstant(date.value), method: form.querySelector('input[name="sign-method"]:checked').value, version: a.version };
      if (place.value.trim()) body.place = place.value.trim();
      const named = witnesses.value.split('\n').map((w) => w.trim()).filter(Boolean);
      if (named.length) body.witnesses = named;
      if (early.checked) body.earlierThanSigningConfirmed = true;
      try {
        return await api(`/api/agreements/${encodeURIComponent(a.id)}/parties/${encodeURIComponent(p.id)}/signature`, { method: 'POST', body });
      } catch (err) {
        const opened = err?.details?.[0]?.type === 'signedAt.beforeSigningOpened' ? err.details[0].signingOpenedAt : null;
        if (opened) {
          form.querySelector('#sign-early-text').textContent = t('sign.earlyConfirm', { date: formatDate(opened) });
          earlyBox.hidden = false;
        }
        throw err;
      }
    },
    done: (updated) => `${t('sign.done', { party: p.name })} ${t('board.signingProgress', { n: updated.parties.filter((x) => x.status === 'signed').length, total: updated.parties.length })}.`,
    at: 'parties-list',
    item: () => `tr[data-party="${CSS.escape(p.id)}"]`,
  });
}

function declineDialog(view, a, p) {
  const reopenTo = REOPEN_STAGE[a.workflow] ?? 'negotiation';
  const reason = h('textarea', { id: 'reason', rows: '3', maxlength: '2000', required: true });
  const outcome = h(
    'fieldset',
    { class: 'choices' },
    h('legend', null, t('decline.outcome')),
    // each choice names where it leads and what becomes of the signatures already recorded
    ['reopen', 'on_hold'].map((o, i) =>
      h('label', { class: 'check' }, h('input', { type: 'radio', name: 'decline-outcome', value: o, id: `outcome-${o}`, checked: i === 0 }), ' ', t(`decline.outcome.${o}`, { stage: stageLabel(reopenTo) })),
    ),
  );
  return changeInDialog(view, a.id, {
    id: 'decline-dialog',
    title: t('decline.title', { party: p.name }),
    intro: t('decline.intro'),
    content: [h('div', { class: 'field' }, h('label', { for: 'reason' }, t('confirm.reason')), reason), outcome],
    submitLabel: t('decline.submit'),
    danger: true,
    work: (form) => {
      if (!reason.value.trim()) throw missing('reason', t('confirm.reasonRequired'));
      const body = { reason: reason.value.trim(), outcome: form.querySelector('input[name="decline-outcome"]:checked').value, version: a.version };
      return api(`/api/agreements/${encodeURIComponent(a.id)}/parties/${encodeURIComponent(p.id)}/decline`, { method: 'POST', body });
    },
    done: (updated) => t('decline.done', { party: p.name, stage: stageLabel(updated.stage) }),
    at: 'parties-list',
    item: () => `tr[data-party="${CSS.escape(p.id)}"]`,
  });
}

/** Stage changes (from the history) and the path for this type with where the agreement stands. */
function timelineSection(a, historyItems) {
  const changes = (historyItems ?? []).filter((e) => e.action === 'transition' || e.action === 'created');
  const lastPathStage = a.previousStage ?? [...changes].reverse().find((e) => e.action === 'transition' && e.changes?.to === a.stage)?.changes?.from;
  const visited = historyItems ? changes.flatMap((e) => (e.action === 'created' ? [e.changes?.stage ?? 'drafting'] : [e.changes?.from, e.changes?.to])) : undefined;
  const steps = timeline(a.workflow ?? a.type, a.stage, lastPathStage, visited);
  const stateText = { done: t('timeline.done'), skipped: t('timeline.skipped'), current: t('timeline.current'), todo: t('timeline.todo') };
  const path = h(
    'ol',
    { class: 'stepper', 'aria-label': t('timeline.path') },
    steps.map((s) =>
      h(
        'li',
        { class: ['step', `step-${s.state}`, s.side && 'step-side', `stage-${s.stage}`], 'aria-current': s.state === 'current' ? 'step' : undefined },
        h('span', { class: 'step-dot', 'aria-hidden': 'true' }),
        h('span', { class: 'step-label' }, stageLabel(s.stage)),
        h('span', { class: 'visually-hidden' }, ` (${s.state === 'left' ? stageLabel(a.stage) : stateText[s.state]})`),
      ),
    ),
  );
  const list =
    historyItems === null
      ? null
      : changes.length === 0
        ? h('p', { class: 'muted' }, t('timeline.none'))
        : h(
            'ol',
            { class: 'changes', id: 'stage-changes' },
            changes.map((e) =>
              h(
                'li',
                null,
                h('div', { class: 'change-when' }, time(e.at, true)),
                h(
                  'div',
                  { class: 'change-what' },
                  e.action === 'created'
                    ? [t('timeline.created'), ' ', stageBadge(e.changes?.stage ?? 'drafting')]
                    : [stageBadge(e.changes?.from), h('span', { class: 'arrow', 'aria-hidden': 'true' }, ' → '), h('span', { class: 'visually-hidden' }, ' → '), stageBadge(e.changes?.to)],
                  triggerText(e),
                ),
                h('div', { class: 'change-who' }, actorText(e)),
                e.changes?.note ? h('blockquote', { class: 'note' }, e.changes.note) : null,
              ),
            ),
          );
  return section(t('timeline.title'), [path, h('h3', null, t('timeline.changes')), list], { id: 'timeline' });
}

/**
 * The signatory's own next step, first among the next steps: which of their parties waits for
 * their signature, and the way to record it there rather than further down in the parties table
 * (two screens down on a phone). Null when nothing waits for the reader's own signature.
 */
function ownSignatureStep(view, a) {
  const mine = (a.parties ?? []).filter((p) => partyActor(a, p) === 'own');
  if (mine.length === 0) return null;
  const names = new Intl.ListFormat(locale(), { type: 'conjunction' }).format(mine.map((p) => p.name));
  return h(
    'div',
    { class: 'your-signature', id: 'your-signature' },
    h('p', null, t('steps.yourSignature', { parties: names })),
    h(
      'div',
      { class: 'form-actions' },
      mine.map((p) =>
        h('button', { type: 'button', class: 'button button-primary sign-own', dataset: { party: p.id }, onclick: () => signDialog(view, a, p, 'own') }, mine.length > 1 ? t('steps.signFor', { party: p.name }) : t('sign.own')),
      ),
    ),
  );
}

function stepsSection(view, a, result) {
  if (result.status === 'rejected') return section(t('steps.title'), failed(result), { id: 'next-steps' });
  const steps = result.value.steps ?? [];
  if (steps.length === 0) return section(t('steps.title'), h('p', { class: 'muted' }, t('steps.none')), { id: 'next-steps' });

  const canMove = steps.some((s) => s.trigger === 'manual' && s.roleAllowed);
  const errorArea = h('div', { id: 'move-error' });
  const inForce = steps.find((s) => s.to === 'in_force' && s.trigger === 'manual' && s.roleAllowed);
  const needsEif = canMove && Boolean(inForce);
  // not before the day of signing (by Jakarta's calendar), which the server holds it to
  const eifDate = needsEif ? h('input', { id: 'eif-date', type: 'date', name: 'eifDate', min: a.signedAt ? dateInputValue(a.signedAt, HQ_ZONE) : undefined }) : null;
  const eifBasis = needsEif
    ? h('select', { id: 'eif-basis', name: 'eifBasis' }, h('option', { value: '' }, t('steps.eifChoose')), (inForce?.entryIntoForceBases ?? []).map((b) => h('option', { value: b }, t(`eif.${b}`))))
    : null;

  // leaving pending_ratification records the law or presidential regulation that ratified it
  const needsRatification = Boolean(inForce) && a.stage === 'pending_ratification';
  const ratKind = needsRatification
    ? h('select', { id: 'rat-kind', name: 'ratKind' }, h('option', { value: '' }, t('steps.ratChoose')), ['law', 'presidential_regulation'].map((k) => h('option', { value: k }, t(`steps.rat.${k}`))))
    : null;
  const ratNumber = needsRatification ? h('input', { id: 'rat-number', name: 'ratNumber', maxlength: '100', autocomplete: 'off', 'aria-describedby': 'rat-number-hint' }) : null;
  const ratDate = needsRatification ? h('input', { id: 'rat-date', type: 'date', name: 'ratDate', max: dateInputValue() }) : null;

  // the entry into force (and the ratification) is given with the move itself (the fields above), so it does not block the button
  const givenHere = ['entry_into_force', 'ratification_instrument'];
  const eifGivenHere = (step) => step.to === 'in_force' && needsEif && step.unmet.every((u) => givenHere.includes(u.guard));
  const movable = (step) => step.allowed || (step.roleAllowed && step.unmet.length > 0 && eifGivenHere(step));

  async function move(step, button) {
    clear(errorArea);
    if (!step.allowed && eifGivenHere(step) && (!eifDate.value || !eifBasis.value)) {
      errorArea.append(refusalBox(() => t('steps.eifMissing')));
      (eifDate.value ? eifBasis : eifDate).setAttribute('aria-invalid', 'true');
      (eifDate.value ? eifBasis : eifDate).focus();
      return;
    }
    if (step.to === 'in_force' && needsRatification) {
      const empty = [ratKind, ratNumber, ratDate].find((f) => !f.value.trim());
      if (empty) {
        errorArea.append(refusalBox(() => (empty === ratKind ? t('steps.ratKindMissing') : empty === ratNumber ? t('steps.ratNumberMissing') : t('steps.ratDateMissing'))));
        empty.setAttribute('aria-invalid', 'true');
        empty.focus();
        return;
      }
    }
    // Every move asks first: a misclick would stay in the tamper-evident history for good. The
    // dialog takes the history's note; a move that cannot be undone says what it does and needs a reason.
    // going back for a new text voids what was given for the agreed one: said first, with a reason
    const destructive = DESTRUCTIVE.includes(step.to) || step.reopens;
    const text = h('textarea', { id: destructive ? 'confirm-reason' : 'confirm-note', rows: '3', maxlength: '2000', required: destructive, 'aria-describedby': destructive ? undefined : 'confirm-note-hint' });
    const answer = await formDialog({
      id: 'confirm-dialog',
      title: t('confirm.moveTitle', { stage: stageLabel(step.to) }),
      intro: step.reopens
        ? t('confirm.reopens', { from: stageLabel(a.stage), to: stageLabel(step.to), signed: a.parties.filter((p) => p.status === 'signed').length })
        : destructive
          ? t(`confirm.${step.to}`)
          : t('confirm.move', { from: stageLabel(a.stage), to: stageLabel(step.to) }),
      content: h(
        'div',
        { class: 'field' },
        h('label', { for: text.id }, destructive ? t('confirm.reason') : t('confirm.note')),
        text,
        destructive ? null : h('span', { class: 'hint', id: 'confirm-note-hint' }, t('steps.noteHint')),
      ),
      submitLabel: t('steps.move', { stage: stageLabel(step.to) }),
      danger: destructive,
      onSubmit: async () => {
        if (destructive && !text.value.trim()) throw missing('confirm-reason', t('confirm.reasonRequired'));
        return { note: text.value.trim() };
      },
    });
    if (!answer) {
      // cancelled (Escape too): back on the button that opened it
      if (button.isConnected) button.focus();
      return;
    }
    const buttons = [...document.querySelectorAll('button.move')];
    buttons.forEach((b) => (b.disabled = true));
    button.textContent = t('steps.moving');
    const body = { to: step.to, version: a.version };
    if (answer.note) body.note = answer.note;
    if (step.to === 'in_force' && eifDate && (eifDate.value || eifBasis.value)) {
      body.entryIntoForce = { date: eifDate.value || undefined, basis: eifBasis.value || undefined };
    }
    if (step.to === 'in_force' && needsRatification) {
      body.ratification = { kind: ratKind.value, number: ratNumber.value.trim(), date: ratDate.value };
    }
    try {
      await ownChange(a.id, async () => {
        const updated = await api(`/api/agreements/${encodeURIComponent(a.id)}/transitions`, { method: 'POST', body });
        // the page is drawn again in place with the message on top, by the stage it names, focused
        // so it is read out once; what was typed elsewhere on the page stays
        await view.redraw({ kind: 'success', text: () => t('steps.moved', { stage: stageLabel(updated.stage) }) });
      });
    } catch (err) {
      if (!view.isCurrent()) return;
      const box = err?.code === 'version_conflict' ? staleBox(() => view.reload()) : errorBox(err);
      box.tabIndex = -1;
      errorArea.append(box);
      buttons.forEach((b) => (b.disabled = b.dataset.allowed !== 'true'));
      button.textContent = t('steps.move', { stage: stageLabel(step.to) });
      box.focus();
    }
  }

  // An upload a condition asks for is offered right under it (once, where it first appears).
  const offered = new Set();
  const uploadsFor = (u, i) => {
    if (!mayUpload()) return null;
    const wanted =
      u.guard === 'final_texts'
        ? (u.details?.missingLanguages ?? []).map((language) => ({ kind: 'final', language }))
        : u.guard === 'signed_copy'
          ? [{ kind: 'signed', language: a.authenticLanguages?.[0] ?? 'id' }]
          : [];
    const fresh = wanted.filter((w) => !offered.has(`${w.kind}-${w.language}`));
    if (fresh.length === 0) return null;
    fresh.forEach((w) => offered.add(`${w.kind}-${w.language}`));
    return h(
      'div',
      { class: 'step-uploads' },
      fresh.map((w) =>
        h(
          'details',
          { class: 'step-upload', dataset: { kind: w.kind, language: w.language } },
          h('summary', null, w.kind === 'final' ? t('upload.finalFor', { language: languageName(w.language) }) : t('upload.signedCopy')),
          uploadWidget(view, a, { kind: w.kind, language: w.language, idPrefix: `step${i}-${w.kind}-${w.language}` }),
        ),
      ),
    );
  };

  const items = steps.map((step, i) => {
    const unmetId = `unmet-${i}`;
    const unmet = step.unmet?.length
      ? h(
          'div',
          { class: 'unmet-block', id: unmetId },
          h('p', { class: 'unmet-title' }, t('steps.unmet')),
          h('ul', { class: 'unmet' }, step.unmet.map((u) => h('li', { dataset: { guard: u.guard } }, h('span', { class: 'unmet-text' }, pick(u.message)), uploadsFor(u, i)))),
        )
      : null;
    let action;
    if (step.trigger === 'manual' && step.roleAllowed) {
      action = h(
        'button',
        {
          type: 'button',
          // stepping aside (hold, abandon) should not look like the way forward
          class: ['button', 'move', DESTRUCTIVE.includes(step.to) ? 'button-danger' : step.to === 'on_hold' ? null : 'button-primary'],
          dataset: { to: step.to, allowed: String(movable(step)) },
          disabled: !movable(step),
          'aria-describedby': unmet ? unmetId : undefined,
          onclick: (event) => move(step, event.currentTarget),
        },
        t('steps.move', { stage: stageLabel(step.to) }),
      );
    } else {
      action = h('p', { class: 'step-target' }, stageBadge(step.to), step.trigger !== 'manual' ? h('span', { class: 'muted' }, ` ${tOr(`steps.auto.${step.trigger}`, '')}`) : null);
    }
    return h('li', { class: 'next-step', dataset: { to: step.to } }, action, unmet);
  });

  const content = [
    errorArea,
    ownSignatureStep(view, a),
    needsEif || needsRatification
      ? h(
          'div',
          { class: 'move-form' },
          needsEif
            ? h(
                'fieldset',
                { class: 'eif' },
                h('legend', null, t('steps.eif')),
                field('eif-date', t('steps.eifDate'), eifDate),
                h('div', { class: 'field' }, h('label', { for: 'eif-basis' }, t('steps.eifBasis')), eifBasis),
              )
            : null,
          needsRatification
            ? h(
                'fieldset',
                { class: 'eif ratification', id: 'ratification-fields' },
                h('legend', null, t('steps.rat')),
                h('div', { class: 'field' }, h('label', { for: 'rat-kind' }, t('steps.ratKind')), ratKind),
                h('div', { class: 'field' }, h('label', { for: 'rat-number' }, t('steps.ratNumber')), ratNumber, h('span', { class: 'hint', id: 'rat-number-hint' }, t('steps.ratNumberHint'))),
                field('rat-date', t('steps.ratDate'), ratDate),
              )
            : null,
        )
      : null,
    h('ul', { class: 'next-steps', id: 'next-steps-list' }, items),
    !canMove && steps.some((s) => s.trigger === 'manual') ? h('p', { class: 'muted read-only', id: 'steps-read-only' }, t('steps.readOnly')) : null,
  ];
  return section(t('steps.title'), content, { id: 'next-steps' });
}

function historySection(view, a, result, indices, deadlines) {
  const output = h('div', { id: 'verify-result', class: 'verify-result', role: 'status' });
  const verifyButton = h(
    'button',
    {
      type: 'button',
      class: 'button',
      id: 'verify-chain',
      'aria-controls': 'verify-result',
      onclick: async () => {
        verifyButton.disabled = true;
        verifyButton.textContent = t('history.verifying');
        clear(output);
        try {
          const r = await api(`/api/agreements/${encodeURIComponent(a.id)}/history/verify`);
          if (r.valid) {
            const text = r.events === 0 ? t('history.empty') : t('history.valid', { n: r.events, hash: r.headHash ?? '—' });
            output.append(h('div', { class: 'alert alert-success verify-valid', dataset: { valid: 'true' } }, h('span', { class: 'icon', 'aria-hidden': 'true' }, '✓ '), text));
          } else {
            const broken = r.firstBroken ?? {};
            output.append(
              h(
                'div',
                { class: 'alert alert-error verify-broken', dataset: { valid: 'false', seq: String(broken.seq ?? '') } },
                h('span', { class: 'icon', 'aria-hidden': 'true' }, '✗ '),
                t('history.broken', { seq: broken.seq ?? '?', reason: pick(broken.message) || broken.reason || '' }),
              ),
            );
            document.querySelector(`tr[data-seq="${broken.seq}"]`)?.classList.add('broken-link');
          }
        } catch (err) {
          output.append(errorBox(err));
        } finally {
          verifyButton.disabled = false;
          verifyButton.textContent = t('history.verify');
        }
      },
    },
    t('history.verify'),
  );

  if (result.status === 'rejected') return section(t('history.title'), failed(result), { id: 'history' });
  const items = result.value.items ?? [];
  // a deadline change names its deadline: from the deadlines list, else from the event that created it
  const context = { agreement: a, deadlines: deadlines?.status === 'fulfilled' ? deadlines.value.items ?? [] : null, items };
  const rows = items.map((e) =>
    h(
      'tr',
      { dataset: { seq: String(e.seq), action: e.action } },
      // data-label: on a phone each event reads as a card, each value under its column's name
      h('td', { class: 'num', dataset: { label: t('history.seq') } }, String(e.seq)),
      h('td', { class: 'nowrap', dataset: { label: t('history.when') } }, time(e.at, true)),
      h('td', { dataset: { label: t('history.who') } }, actorText(e)),
      h('td', { class: 'event', dataset: { label: t('history.what') } }, h('strong', null, tOr(`action.${e.action}`, e.action)), h('div', { class: 'event-detail' }, describeEvent(e, indices, context))),
      h('td', { class: 'hash', dataset: { label: t('history.hash') } }, h('code', { title: e.hash }, `${(e.hash ?? '').slice(0, 12)}…`)),
    ),
  );
  return section(
    t('history.title'),
    [
      h('p', { class: 'muted' }, t('history.intro')),
      output,
      items.length === 0
        ? h('p', { class: 'muted' }, t('history.none'))
        : table({ caption: t('history.title'), head: [t('history.seq'), t('history.when'), t('history.who'), t('history.what'), t('history.hash')], rows, className: 'history-table' }),
    ],
    { id: 'history', actions: verifyButton },
  );
}
