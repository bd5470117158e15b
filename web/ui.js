// Small pieces every page uses: badges, dates, error boxes, sections.
import { answer, h } from './dom.js';
import { locale, pick } from './i18n.js';
import { roleLabel, stageLabel, t, tOr } from './i18n/common.js';
import { formatDate, formatDay, intl } from './time.js';
import { errorMessage, flashNotice, notice } from './alerts.js';
import { detailsList } from './feedback.js';

// Dates and times live in time.js (one zone per user); re-exported for the pages that import them here.
export { daysSince, formatDate, formatDateTime, time } from './time.js';
export { flashNotice, notice };

/**
 * Overdue, the board's rule (its "overdue" filter asks the server for stageDueAt < now): the due
 * instant has passed and the work is still open. The calendar applies it to every open deadline.
 */
export function isPastDue(dueAt, now = Date.now()) {
  return Boolean(dueAt) && new Date(dueAt).getTime() < now;
}

export function isOverdue(agreement, now = Date.now()) {
  return isPastDue(agreement.stageDueAt, now);
}

export function formatBytes(n) {
  if (typeof n !== 'number') return '—';
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${intl(Intl.NumberFormat, locale(), { maximumFractionDigits: i === 0 ? 0 : 1 }).format(v)} ${units[i]}`;
}

function displayName(type, code) {
  try {
    return intl(Intl.DisplayNames, locale(), { type }).of(type === 'region' ? code.toUpperCase() : code) ?? code;
  } catch {
    return code;
  }
}
// the server names languages in its messages from the same source, in the same locales (workflows/language-names.ts)
export const languageName = (code) => (code ? displayName('language', code) : '—');
/**
 * Languages whose text info V8 (Chromium, Node) gets wrong: Dhivehi is written in Thaana, right to
 * left (CLDR and Unicode agree), but V8 answers left to right. Only V8's mistakes belong here.
 */
const V8_RTL_MISSED = ['dv'];

/**
 * Which way text in the language runs, 'rtl' or 'ltr', from CLDR's likely script for it through
 * Intl.Locale, as the server's workflows/language-names.ts `languageDirection` does: no list of
 * right-to-left languages to keep (Pashto, Sindhi, Kurdish... come with it). Null where the
 * browser has no text info (Firefox): the caller then lets the text decide, with dir="auto".
 */
export function languageDirection(code) {
  let locale;
  try {
    locale = new Intl.Locale(code);
  } catch {
    return null; // not even shaped like a language code
  }
  if (V8_RTL_MISSED.includes(locale.language)) return 'rtl';
  // getTextInfo() in newer engines; earlier Chromium has the textInfo accessor
  const info = locale.getTextInfo?.() ?? locale.textInfo;
  return info?.direction === 'rtl' || info?.direction === 'ltr' ? info.direction : null;
}
/**
 * What a deadline is for, in the words every page uses for it (the agreement's deadlines, the
 * calendar, the history; the server's calendar feed and reminders say the same: labels.ts): the
 * stage it times, the party whose signature it waits for (`party`, that party's name), a custom
 * deadline's own note, else its kind.
 */
export function deadlineName(d, party) {
  if (d.kind === 'stage_due') return t('dl.stage_due', { stage: stageLabel(d.stage) });
  if (d.kind === 'signing_due') return t('dl.signing_due', { party });
  if (d.kind === 'custom') return d.note || t('dl.custom');
  return tOr(`dl.${d.kind}`, d.kind);
}
export const countryName = (code) => (code ? displayName('region', code) : '');

/** The stage as a coloured badge; the colour is never the only cue, the label is always there. */
export function stageBadge(stage) {
  return h('span', { class: ['badge', 'stage', `stage-${stage}`], dataset: { stage } }, stageLabel(stage));
}

export function badge(text, kind) {
  return h('span', { class: ['badge', kind && `badge-${kind}`] }, text);
}

/** "! Overdue (due 11 Nov 2022)"; `withDate: false` where the due date is already shown beside it. */
export function overdueMarker(dueAt, { withDate = true } = {}) {
  return h(
    'span',
    { class: 'overdue' },
    h('span', { class: 'overdue-flag' }, h('span', { class: 'overdue-icon', 'aria-hidden': 'true' }, '!'), ' ', t('board.overdue')),
    withDate ? [' ', h('span', { class: 'muted due-date' }, `(${t('board.due', { date: formatDate(dueAt) })})`)] : null,
  );
}

/** The message of an API error in the chosen language, with its details where they help. */
export function errorContent(err) {
  // what is missing is said where the box stands (the agreement page's heading says "not found"): the box says why
  const notFound = err?.code === 'not_found' && !err.details;
  const message = notFound ? t('error.notFoundHint') : errorMessage(err);
  if (!err || typeof err !== 'object' || !('status' in err) || err.status === 0) return [message];
  const parts = [h('p', { class: 'error-message' }, message)];
  const details = err.details;
  if (details && Array.isArray(details.unmet) && details.unmet.length) {
    parts.push(h('ul', { class: 'unmet' }, details.unmet.map((u) => h('li', null, pick(u.message)))));
  } else if (Array.isArray(details) && details.length) {
    parts.push(h('p', { class: 'muted' }, t('error.details')), detailsList(details));
  }
  return parts;
}

/**
 * An error box that screen readers announce at once; an answer (dom.js), so a language switch
 * draws it again in the other language (the server's message carries both).
 */
export function errorBox(err, id) {
  return answer(() => h('div', { class: 'alert alert-error', role: 'alert', id }, errorContent(err)));
}

/** A refusal made here, before asking the server: `words()` says what is wrong in the language chosen. */
export function refusalBox(words, id) {
  return answer(() => h('div', { class: 'alert alert-error', role: 'alert', id }, words()));
}

export function loading() {
  return h('p', { class: 'loading', role: 'status' }, t('loading'));
}

/** A titled card; `headingId` lets other elements point at it. */
export function section(title, content, { id, level = 'h2', actions } = {}) {
  const headingId = id ? `${id}-heading` : undefined;
  return h(
    'section',
    { class: 'card', id, 'aria-labelledby': headingId },
    h('div', { class: 'card-head' }, h(level, { id: headingId }, title), actions),
    content,
  );
}

/** A definition list from [label, value] pairs, leaving out empty values. */
export function facts(pairs) {
  return h(
    'dl',
    { class: 'facts' },
    pairs.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([label, value]) => h('div', null, h('dt', null, label), h('dd', null, value))),
  );
}

/** A table with a caption (visually hidden when `hideCaption`), head labels and rows of cells. */
export function table({ caption, hideCaption = true, head, rows, className }) {
  // a table wider than a phone scrolls sideways: its region takes focus so keyboards can scroll it.
  // It is named as a table: a card and its table both named "Parties" were two regions of one name.
  return h(
    'div',
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('table.region', { caption }) },
    h(
      'table',
      { class: className },
      h('caption', { class: hideCaption ? 'visually-hidden' : undefined }, caption),
      h('thead', null, h('tr', null, head.map((label) => h('th', { scope: 'col' }, label)))),
      h('tbody', null, rows),
    ),
  );
}

// --- h12b: signing progress (board cards and table) ---
/** Stages where who has signed is what matters; before them the count would read as noise. */
const SIGNING_STAGES = new Set(['awaiting_signature', 'partially_signed', 'signed', 'pending_ratification', 'in_force', 'expired', 'terminated', 'superseded']);

/**
 * "5 of 9 signed" with a bar: the text carries the meaning, the bar is drawn beside it for the eye
 * (hidden from screen readers, which read the text). Null before signing starts.
 */
export function signingProgress(a) {
  const parties = a.parties ?? [];
  const signed = parties.filter((p) => p.status === 'signed').length;
  if (!parties.length || (!SIGNING_STAGES.has(a.stage) && signed === 0)) return null;
  const bar = h('progress', { class: 'signing-bar', max: String(parties.length), value: String(signed), 'aria-hidden': 'true' });
  return h(
    'div',
    { class: ['signing-progress', signed === parties.length && 'signing-done'], dataset: { signed: String(signed), parties: String(parties.length) } },
    h('span', { class: 'signing-text' }, t('board.signingProgress', { n: signed, total: parties.length })),
    bar,
  );
}

/**
 * "Rina (Perancang)": a person with their role, the role left out when the name already says it
 * (an account named "Perancang Demo (Legal Drafter)" must not read twice).
 */
export function personWithRole(name, role) {
  const person = name || '—';
  if (!role) return person;
  const lower = person.toLowerCase();
  const labels = [roleLabel(role, 'id'), roleLabel(role, 'en'), role].map((l) => l.toLowerCase());
  if (/\(.*\)\s*$/.test(person) || labels.some((l) => lower.includes(l))) return person;
  return `${person} (${roleLabel(role)})`;
}

/**
 * The browser's own checks (required, e-mail, minlength, pattern) made here, on a form marked
 * `novalidate`: the browser would say what is wrong in its own language, not the page's. Lists
 * each wrong field in `out` ("Label: what is wrong"; a pattern's words come from the control's
 * `data-invalid`), marks and focuses the first, and returns false; true when all is well.
 */
export function checkForm(form, out) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const wrong = [];
  for (const el of form.querySelectorAll('input, select, textarea')) {
    if (el.disabled || el.type === 'hidden') continue;
    const value = el.value.trim();
    // a half-typed date reads as empty: it is said to be no date rather than missing
    const problem = el.validity.badInput ? () => t('invalid.date.base')
      : el.required && !value ? () => t('invalid.any.required')
      : !value ? null
      : el.type === 'email' && el.validity.typeMismatch ? () => t('invalid.string.email')
      // the browser's tooShort counts only what was typed by hand, not what was filled in or restored
      : el.minLength > 0 && el.value.length < el.minLength ? () => t('invalid.minChars', { n: el.minLength })
      : el.validity.patternMismatch ? (field) => field.dataset.invalid ?? t('invalid.string.pattern.base')
      : null;
    if (problem) wrong.push({ el, problem });
  }
  out.replaceChildren();
  return wrong.length === 0 || showFieldProblems(out, wrong);
}

/**
 * Says in `out` what is wrong with each field of `wrong` ({ el, problem }), as checkForm does: each
 * marked invalid and named by its label, the first focused. False, for a submit handler to return.
 * `problem` is a function of the field (its words in the language chosen when it is called), so a
 * language switch can say it again in the other language, of the field drawn anew with the same id.
 */
export function showFieldProblems(out, wrong) {
  for (const { el } of wrong) el.setAttribute('aria-invalid', 'true');
  // the field on the page now: after a language switch, the one drawn again in place of `el`
  const now = (el) => (el.id && document.getElementById(el.id)) || el;
  const item = ({ el, problem }) => {
    const field = now(el);
    const label = (field.id && document.querySelector(`label[for="${CSS.escape(field.id)}"]`)?.textContent) || field.getAttribute('aria-label') || field.name;
    return h('li', null, h('strong', null, label), `: ${problem(field)}`);
  };
  out.replaceChildren(answer(() => h('div', { class: 'alert alert-error', role: 'alert' }, h('p', { class: 'error-message' }, t('check.summary')), h('ul', { class: 'error-details' }, wrong.map(item)))));
  wrong[0].el.focus();
  return false;
}

/**
 * A labelled form field. Its hint is tied to the control for screen readers, and read out as it
 * changes when `live` (a hint that says what the value typed means).
 */
export function field(id, label, control, hint, { live = false } = {}) {
  const day = control.type === 'date' ? dayInWords(control) : null;
  const described = [control.getAttribute('aria-describedby'), day?.id, hint ? `${id}-hint` : null].filter(Boolean);
  if (described.length) control.setAttribute('aria-describedby', described.join(' '));
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, day, hint ? h('span', { class: 'hint', id: `${id}-hint`, 'aria-live': live ? 'polite' : undefined }, hint) : null);
}

/**
 * The day a date box holds, in words in the page's language ("Jumat, 1 April 2022"), kept up as
 * it changes. The box itself shows the browser's format, whatever the page's language: in an
 * American-English browser 04/01/2022 is 1 April, which a desk officer in Jakarta reads as 4
 * January. Code that sets the box's value sends a 'change' event so that the words follow.
 */
function dayInWords(input) {
  const out = h('span', { class: 'hint day-in-words', id: `${input.id}-day` });
  const show = () => {
    out.textContent = formatDay(input.value);
  };
  input.addEventListener('input', show);
  input.addEventListener('change', show);
  show();
  return out;
}
