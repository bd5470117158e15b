// What a history event recorded, in the reader's words: the agreement page's history and the
// audit page's history of a period both say it this way, from the one wording in i18n/detail.js.
import { h } from '../dom.js';
import { locale, pick, splitBilingual } from '../i18n.js';
import { DETAIL, stageLabel, t, tOr } from '../i18n/detail.js';
import { countryName, deadlineName, formatDate, formatDateTime, languageName, personWithRole } from '../ui.js';
import { intl, zonedTime } from '../time.js';
import { termParts } from './detail-work.js';
import { indexLabel, reportYear } from '../index-years.js';

/**
 * Every action the history records, as the page names them (action.* of i18n/detail.js): the
 * server's list (HISTORY_ACTIONS in domain/history/append-history-event.ts), which the audit
 * page's browser test holds this one to.
 */
export const HISTORY_ACTIONS = Object.keys(DETAIL.id)
  .filter((key) => key.startsWith('action.'))
  .map((key) => key.slice('action.'.length));

/**
 * "Presiden RI dan Perdana Menteri Malaysia": the witnesses of a signing in the reader's language,
 * each written "Indonesian / English" or in one language (as the annual report reads them).
 */
export function witnessNames(witnesses) {
  return new Intl.ListFormat(locale(), { type: 'conjunction' }).format(witnesses.map((w) => pick(splitBilingual(w, 'id'))));
}

/** "(otomatis: tanda tangan)": a stage change nobody made by hand says what made it. */
export function triggerText(e) {
  const trigger = e.changes?.trigger;
  if (!trigger || trigger === 'manual') return null;
  return h('span', { class: 'muted' }, ` ${tOr(`history.trigger.${trigger}`, `(${trigger})`)}`);
}

/** "Siti (Perancang)": who recorded an event, with their role. */
export const actorText = (e) => personWithRole(e.actor?.name ?? e.actor?.email, e.role);

// --- what an edit or a deadline change recorded: each field, from → to ---

/** A value longer than this is cut in the history (in full in its title, and in the JSON export). */
const SHORT_TEXT = 80;

/** A text cut to SHORT_TEXT characters (whole code points, at a word's end where one is near), the whole of it in the title. */
function shortened(text) {
  const chars = Array.from(String(text));
  if (chars.length <= SHORT_TEXT) return String(text);
  const head = chars.slice(0, SHORT_TEXT - 1).join('');
  const space = head.lastIndexOf(' ');
  return h('span', { class: 'shortened', title: String(text) }, `${(space > SHORT_TEXT * 0.6 ? head.slice(0, space) : head).trimEnd()}…`);
}

const isEmpty = (v) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
const sameValue = (x, y) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);

/** "5 tahun · berakhir 1 Apr 2027 · pemberitahuan 182 hari", as the summary states a term. */
const termText = (term) => termParts(term, 'days').join(' · ');

/** Anything else recorded: lists joined, an object as its "key: value" pairs. */
function plainText(v) {
  if (Array.isArray(v)) return v.map(plainText).join(', ');
  if (v && typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}: ${plainText(x)}`).join('; ');
  if (typeof v === 'boolean') return v ? t('history.yes') : t('history.no');
  return String(v);
}

/** A recorded value as the page writes it elsewhere: dates, stages, names of languages and countries. */
const SHOW = {
  subjects: (v) => v.join(', '),
  confidentiality: (v) => tOr(`conf.${v}`, v),
  authenticLanguages: (v) => v.map(languageName).join(', '),
  entryIntoForce: (v) => [v.date ? formatDate(v.date) : '', v.basis ? `${v.date ? ' ' : ''}(${tOr(`eif.${v.basis}`, v.basis)})` : ''].join(''),
  term: termText,
  kind: (v) => tOr(`partyKind.${v}`, v),
  country: (v) => countryName(v) || v,
  partyStatus: (v) => tOr(`partyStatus.${v}`, v),
  dueAt: (v) => formatDateTime(v),
  status: (v) => tOr(`dlStatus.${v}`, v),
  recipients: (v) => v.map((r) => (typeof r === 'string' ? r : r?.email ?? plainText(r))).join(', '),
};

function shownValue(v, show) {
  if (isEmpty(v)) return h('em', { class: 'muted' }, t('history.noValue'));
  const text = (show ? show(v) : plainText(v)) || plainText(v);
  return text ? shortened(text) : h('em', { class: 'muted' }, t('history.noValue'));
}

/** One line of a change: "Label: old → new". */
function changeLine(label, from, to, show) {
  return h('div', { class: 'history-change' }, h('strong', null, label), ': ', shownValue(from, show), ' → ', shownValue(to, show));
}

/** The party fields a reader knows, by the names the form gives them; bookkeeping (ids, status times) is left out. */
const PARTY_FIELDS = [
  ['name', () => t('fieldName.name')],
  ['officialName', () => t('fieldName.officialName')],
  ['kind', () => t('fieldName.kind'), SHOW.kind],
  ['country', () => t('fieldName.country'), SHOW.country],
  ['status', () => t('parties.status'), SHOW.partyStatus],
];
const SIGNATORY_FIELDS = ['name', 'title', 'email', 'timezone', 'fullPowersRequired'];

/** What changed among the parties: each one added or removed, and each field of one that stayed. */
function partyChanges(from, to) {
  const before = Array.isArray(from) ? from : [];
  const after = Array.isArray(to) ? to : [];
  const idOf = (p) => String(p?._id ?? p?.id ?? '');
  const lines = [];
  for (const p of after) {
    const old = before.find((q) => idOf(q) === idOf(p));
    if (!old) {
      lines.push(h('div', { class: 'history-change' }, h('strong', null, t('history.partyAdded')), ': ', shortened(p.name ?? '')));
      continue;
    }
    const who = (label) => `${old.name ?? p.name} › ${label}`;
    for (const [key, label, show] of PARTY_FIELDS) {
      if (!sameValue(old[key], p[key])) lines.push(changeLine(who(label()), old[key], p[key], show));
    }
    for (const key of SIGNATORY_FIELDS) {
      // an edit that leaves out "full powers required" stores no flag where there was false: the same answer
      const value = (s) => (key === 'fullPowersRequired' ? Boolean(s?.[key]) : s?.[key]);
      const x = value(old.signatory);
      const y = value(p.signatory);
      if (!sameValue(x, y)) lines.push(changeLine(who(tOr(`fieldName.signatory.${key}`, key)), x, y));
    }
  }
  for (const p of before) {
    if (!after.some((q) => idOf(q) === idOf(p))) lines.push(h('div', { class: 'history-change' }, h('strong', null, t('history.partyRemoved')), ': ', shortened(p.name ?? '')));
  }
  return lines;
}

/** What changed in a title: each language by its name. */
function titleChanges(from, to) {
  const languages = [...new Set([...Object.keys(from ?? {}), ...Object.keys(to ?? {})])];
  return languages
    .filter((code) => !sameValue(from?.[code], to?.[code]))
    .map((code) => changeLine(tOr(`fieldName.title.${code}`, null) ?? t('history.titleIn', { language: languageName(code) }), from?.[code], to?.[code]));
}

/** An `updated` event: every field it changed, from → to. */
function updateChanges(c) {
  return Object.entries(c).flatMap(([field, change]) => {
    const { from, to } = change && typeof change === 'object' && 'to' in change ? change : { from: undefined, to: change };
    if (field === 'parties') return partyChanges(from, to);
    if (field === 'title') return titleChanges(from, to);
    return [changeLine(tOr(`changed.${field}`, field), from, to, SHOW[field])];
  });
}

/** Which deadline an event is about, as the deadlines list names it (or as its creation recorded it). */
function deadlineOfEvent(id, a, deadlines, items) {
  const d = deadlines?.find((x) => x.id === id) ?? (items ?? []).find((e) => e.action === 'deadline_created' && e.changes?.deadlineId === id)?.changes;
  return d?.kind ? deadlineName(d, a?.parties?.find((p) => p.id === d.partyId)?.name) : null;
}

/** A `deadline_updated` event: which deadline, then its due time, status, recipients, note and zone, from → to. */
function deadlineChanges(e, context) {
  const { deadlineId, ...changes } = e.changes ?? {};
  const name = deadlineOfEvent(deadlineId, context.agreement, context.deadlines, context.items);
  const label = { dueAt: t('fieldName.dueAt'), status: t('fieldName.status'), recipients: t('fieldName.recipients'), note: t('deadlines.note'), timezone: t('fieldName.timezone') };
  const lines = Object.entries(changes)
    .filter(([, change]) => change && typeof change === 'object' && !sameValue(change.from, change.to))
    .map(([field, change]) => changeLine(label[field] ?? tOr(`fieldName.${field}`, field), change.from, change.to, SHOW[field]));
  return [name ? h('div', { class: 'history-subject' }, shortened(name)) : null, ...lines];
}

/** "naskah.pdf (Rancangan, Indonesia, v1)": a file by its name, kind, language and version. */
function documentText(fileName, c) {
  return [fileName ?? '', c.kind ? ` (${tOr(`docKind.${c.kind}`, c.kind)}${c.language ? `, ${languageName(c.language)}` : ''}${c.version ? `, v${c.version}` : ''})` : ''].join('');
}

/**
 * Which copy went out and of which file: an auditor asks the history who read what. The event
 * records the document's id, not its name, so the name is the one its upload recorded; a reading
 * that began mid-file names the range it began with (never all that was read).
 */
function downloadText(c, items) {
  const copy = tOr(`history.download.${c.variant}`, c.variant ?? '');
  const uploaded = c.documentId ? items.find((e) => e.action === 'document_uploaded' && e.changes?.documentId === c.documentId)?.changes : null;
  const file = c.documentId ? documentText(uploaded?.fileName ?? '', c).trim() : '';
  const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(c.firstRange ?? '');
  const number = (n) => intl(Intl.NumberFormat, locale()).format(Number(n));
  return [
    file ? `${copy}: ${file}` : copy,
    range ? t('history.readingBegan', { start: number(range[1]), end: number(range[2]), size: number(range[3]) }) : '',
  ].join('');
}

/**
 * One line saying what an event changed, in the chosen language (notes and comments verbatim).
 * `context` (the agreement, its deadlines, its other events) names the deadline or file an event
 * is about; without it (a period's history across agreements) the event says what it recorded.
 */
export function describeEvent(e, indices, context = {}) {
  const c = e.changes ?? {};
  switch (e.action) {
    case 'created':
      return [t('timeline.created'), ' ', stageLabel(c.stage ?? 'drafting')];
    case 'transition':
      return [`${stageLabel(c.from)} → ${stageLabel(c.to)}`, triggerText(e), c.note ? h('blockquote', { class: 'note' }, c.note) : null];
    case 'reopened':
      return c.reason ? h('blockquote', { class: 'note' }, c.reason) : null;
    case 'updated':
      // each changed field by its name on the form, never by the API's key, with what it was and what it became
      return updateChanges(c);
    case 'indices_set': {
      // under the names they had when the event was recorded
      const year = reportYear(e.at);
      const names = (codes) => (Array.isArray(codes) ? codes.map((code) => indexLabel(code, indices, year)).join(', ') : '');
      return t('history.indices', { to: names(c.indices?.to), from: names(c.indices?.from) });
    }
    case 'imported':
      return t('history.imported', { file: c.file ?? '—', row: c.row ?? '—', stage: stageLabel(c.stage) });
    case 'reminders_paused':
    case 'reminders_resumed':
      return typeof c.deadlines === 'number' ? t('history.openDeadlines', { n: c.deadlines }) : null;
    case 'document_uploaded':
      return documentText(c.fileName, c);
    case 'document_downloaded':
      return downloadText(c, context.items ?? []);
    case 'signature_recorded':
      return [
        t('history.signedAt', { party: c.party ?? '', date: formatDate(c.signedAt), place: c.place }),
        c.method ? ` (${tOr(`method.${c.method}`, c.method)})` : '',
        c.witnesses?.length ? t('history.witnessedBy', { names: witnessNames(c.witnesses) }) : '',
      ];
    case 'party_declined':
      return [c.party ?? '', c.reason ? h('blockquote', { class: 'note' }, c.reason) : null];
    case 'round_added':
      return [formatDate(c.date), c.venue ? `, ${c.venue}` : '', c.outcome ? h('blockquote', { class: 'note' }, c.outcome) : null];
    case 'link_added':
      return `${tOr(`link.${c.type}`, c.type)} ${c.code ?? c.agreementId ?? ''}`;
    case 'comment':
      return h('blockquote', { class: 'note' }, c.text ?? '');
    case 'deadline_created': {
      // which deadline, as the deadlines list names it, and when it falls in its own zone (a mission's)
      const name = deadlineOfEvent(c.deadlineId, context.agreement, context.deadlines, context.items);
      return [
        name ? h('div', { class: 'history-subject' }, shortened(name)) : null,
        c.dueAt ? h('div', { class: 'history-change' }, h('strong', null, t('fieldName.dueAt')), ': ', zonedTime(c.dueAt, c.timezone)) : null,
      ];
    }
    case 'deadline_updated':
      return deadlineChanges(e, context);
    default:
      return null;
  }
}

/**
 * What `describeEvent` says, as plain text for a file: every line of it (each change, note or
 * subject) on a line of its own, and a value the page cuts short in full.
 */
export function eventWords(e, indices, context) {
  const box = h('div', null, describeEvent(e, indices, context));
  for (const cut of box.querySelectorAll('span.shortened')) cut.replaceWith(cut.title);
  const lines = [''];
  const walk = (node) => {
    for (const child of node.childNodes) {
      const block = child.nodeType === 1 && ['DIV', 'BLOCKQUOTE'].includes(child.tagName);
      if (block && lines.at(-1).trim()) lines.push('');
      if (child.nodeType === 3) lines[lines.length - 1] += child.textContent;
      else walk(child);
      if (block) lines.push('');
    }
  };
  walk(box);
  return lines.map((line) => line.trim()).filter(Boolean).join('\n');
}
