// One agreement: summary, parties, stage timeline, next steps (moves for drafters), documents,
// deadlines, and the hash-chained history with its verification.
import { api, download } from '../api.js';
import { append, clear, h } from '../dom.js';
import { getLang, pick, roleLabel, stageLabel, t, tOr, typeLabel } from '../i18n.js';
import { timeline } from '../workflow.js';
import { subscribe } from '../live.js';
import {
  badge,
  countryName,
  daysSince,
  errorBox,
  errorContent,
  facts,
  formatBytes,
  formatDate,
  isOverdue,
  languageName,
  notice,
  overdueMarker,
  section,
  stageBadge,
  table,
  time,
} from '../ui.js';

const ENTRY_INTO_FORCE_BASES = ['on_signature', 'ratification_law', 'ratification_presidential_regulation', 'exchange_of_notes'];

export async function renderDetail(view) {
  const id = view.parts[1];
  const heading = h('h1', { tabindex: '-1', id: 'agreement-title' }, t('loading'));
  const body = h('div', { class: 'detail', 'aria-busy': 'true' });
  view.setTitle(t('loading'));
  view.main.append(
    h('p', { class: 'back' }, h('a', { href: '#/agreements', id: 'back-link' }, h('span', { 'aria-hidden': 'true' }, '← '), t('detail.back'))),
    h('div', { class: 'page-head detail-head' }, heading),
    body,
  );

  const enc = encodeURIComponent(id);
  let agreement;
  try {
    agreement = await api(`/api/agreements/${enc}`);
  } catch (err) {
    if (!view.isCurrent()) return;
    heading.textContent = err?.status === 404 ? t('detail.notFound') : t('error.generic');
    view.setTitle(heading.textContent);
    body.setAttribute('aria-busy', 'false');
    body.append(errorBox(err));
    return;
  }
  // The rest in parallel; a section that fails says so, the others still show.
  const [steps, history, documents, deadlines] = await Promise.allSettled([
    api(`/api/agreements/${enc}/transitions`),
    api(`/api/agreements/${enc}/history`),
    api(`/api/agreements/${enc}/documents`),
    api(`/api/agreements/${enc}/deadlines`),
  ]);
  if (!view.isCurrent()) return;

  const title = pick(agreement.title);
  heading.textContent = title;
  view.setTitle(`${agreement.code} · ${title}`);
  const lang = getLang();
  const otherLang = lang === 'id' ? 'en' : 'id';
  heading.before(h('p', { class: 'eyebrow', id: 'agreement-code' }, agreement.code));
  heading.after(
    h('p', { class: 'other-title', lang: otherLang }, h('span', { class: 'visually-hidden', lang }, `${t('detail.otherTitle')}: `), agreement.title[otherLang]),
    h(
      'p',
      { class: 'head-badges', id: 'agreement-stage' },
      stageBadge(agreement.stage),
      ' ',
      badge(typeLabel(agreement.type), 'neutral'),
      ' ',
      h('span', { class: 'days' }, t('board.days', { n: daysSince(agreement.stageEnteredAt) })),
      isOverdue(agreement) ? [' ', overdueMarker(agreement.stageDueAt)] : null,
    ),
  );

  const historyItems = history.status === 'fulfilled' ? history.value.items : [];
  const flash = view.flash ? (view.flash.error ? errorBox(view.flash.error, 'detail-flash') : notice(view.flash.text, view.flash.kind)) : null;
  if (flash) {
    flash.id = 'detail-flash';
    flash.tabIndex = -1;
  }
  append(clear(body), [
    flash,
    h(
      'div',
      { class: 'detail-grid' },
      h(
        'div',
        { class: 'detail-main' },
        summarySection(agreement),
        partiesSection(agreement),
        timelineSection(agreement, history.status === 'fulfilled' ? historyItems : null),
        documentsSection(view, documents),
        historySection(view, agreement, history),
      ),
      h('div', { class: 'detail-side' }, stepsSection(view, agreement, steps), deadlinesSection(agreement, deadlines)),
    ),
  ]);
  body.setAttribute('aria-busy', 'false');
  if (flash) flash.focus();
  // live (h12b): someone else's change to this agreement reloads the page, unless a field is being edited
  const lastSeq = historyItems.at(-1)?.seq ?? 0;
  view.onLeave(subscribe((e) => {
    if (!view.isCurrent() || !(e.action === 'resync' || (e.agreementId === agreement.id && e.seq > lastSeq))) return;
    const editing = view.main.contains(document.activeElement) && /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (!editing) view.reload({ kind: 'info', text: t('live.changed') });
  }));
}

function failed(result) {
  return h('div', { class: 'alert alert-error', role: 'alert' }, h('p', null, t('error.section')), errorContent(result.reason));
}

function summarySection(a) {
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
      [t('field.stageDue'), a.stageDueAt ? time(a.stageDueAt, true) : null],
      [t('field.signedAt'), a.signedAt ? time(a.signedAt) : null],
      [t('field.entryIntoForce'), a.entryIntoForce?.date ? [time(a.entryIntoForce.date), a.entryIntoForce.basis ? ` (${tOr(`eif.${a.entryIntoForce.basis}`, a.entryIntoForce.basis)})` : ''] : null],
      [t('field.ratification'), a.ratification ? [`${t(`ratification.${a.ratification.kind}`)} ${a.ratification.number}, `, time(a.ratification.date)] : null],
      [t('field.expiresAt'), a.term?.expiresAt ? time(a.term.expiresAt) : null],
      [t('field.links'), linksList(a)],
    ]),
    { id: 'summary' },
  );
}

/** Links read from both ends: "renews TA-SA-2018-01" here, "renewed by TA-SA-2022-01" there. */
function linksList(a) {
  const item = (label, l) => h('li', null, `${label} `, h('a', { href: `#/agreements/${encodeURIComponent(l.agreementId)}` }, l.code ?? l.agreementId));
  const items = [
    ...(a.links ?? []).map((l) => item(tOr(`link.${l.type}`, l.type), l)),
    ...(a.linkedFrom ?? []).map((l) => item(tOr(`linkedFrom.${l.type}`, l.type), l)),
  ];
  return items.length > 0 ? h('ul', { class: 'plain-list' }, items) : null;
}

function partiesSection(a) {
  const rows = (a.parties ?? []).map((p) =>
    h(
      'tr',
      { dataset: { party: p.id } },
      h('th', { scope: 'row' }, p.name, p.country ? h('div', { class: 'muted country' }, countryName(p.country)) : null),
      h('td', null, tOr(`partyKind.${p.kind}`, p.kind)),
      h(
        'td',
        null,
        p.signatory?.name ? [h('div', null, p.signatory.name), p.signatory.title ? h('div', { class: 'muted' }, p.signatory.title) : null] : h('span', { class: 'muted' }, t('parties.noSignatory')),
      ),
      h(
        'td',
        null,
        badge(tOr(`partyStatus.${p.status}`, p.status), p.status === 'signed' ? 'success' : p.status === 'declined' ? 'danger' : 'neutral'),
        p.declineReason ? h('div', { class: 'muted' }, t('parties.declined', { reason: p.declineReason })) : null,
      ),
      h(
        'td',
        null,
        p.signature
          ? [time(p.signature.signedAt), p.signature.place ? `, ${p.signature.place}` : '', h('div', { class: 'muted' }, tOr(`method.${p.signature.method}`, p.signature.method))]
          : '—',
      ),
    ),
  );
  return section(
    t('parties.title'),
    table({ caption: t('parties.title'), head: [t('parties.name'), t('parties.kind'), t('parties.signatory'), t('parties.status'), t('parties.signature')], rows }),
    { id: 'parties' },
  );
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

function triggerText(e) {
  const trigger = e.changes?.trigger;
  if (!trigger || trigger === 'manual') return null;
  return h('span', { class: 'muted' }, ` ${tOr(`history.trigger.${trigger}`, `(${trigger})`)}`);
}

const actorText = (e) => `${e.actor?.name ?? e.actor?.email ?? '—'} (${roleLabel(e.role)})`;

function stepsSection(view, a, result) {
  if (result.status === 'rejected') return section(t('steps.title'), failed(result), { id: 'next-steps' });
  const steps = result.value.steps ?? [];
  if (steps.length === 0) return section(t('steps.title'), h('p', { class: 'muted' }, t('steps.none')), { id: 'next-steps' });

  const canMove = steps.some((s) => s.trigger === 'manual' && s.roleAllowed);
  const errorArea = h('div', { id: 'move-error', role: 'alert' });
  const note = canMove ? h('textarea', { id: 'move-note', name: 'note', rows: '3', maxlength: '2000', 'aria-describedby': 'move-note-hint' }) : null;
  const needsEif = canMove && steps.some((s) => s.to === 'in_force' && s.trigger === 'manual' && s.roleAllowed);
  const eifDate = needsEif ? h('input', { id: 'eif-date', type: 'date', name: 'eifDate' }) : null;
  const eifBasis = needsEif
    ? h('select', { id: 'eif-basis', name: 'eifBasis' }, h('option', { value: '' }, t('steps.eifChoose')), ENTRY_INTO_FORCE_BASES.map((b) => h('option', { value: b }, t(`eif.${b}`))))
    : null;

  async function move(step, button) {
    clear(errorArea);
    const buttons = [...document.querySelectorAll('button.move')];
    buttons.forEach((b) => (b.disabled = true));
    button.textContent = t('steps.moving');
    const body = { to: step.to, version: a.version };
    if (note.value.trim()) body.note = note.value.trim();
    if (step.to === 'in_force' && eifDate && (eifDate.value || eifBasis.value)) {
      body.entryIntoForce = { date: eifDate.value || undefined, basis: eifBasis.value || undefined };
    }
    try {
      const updated = await api(`/api/agreements/${encodeURIComponent(a.id)}/transitions`, { method: 'POST', body });
      // the page is drawn again with the message on top, focused, so it is read out once
      await view.reload({ kind: 'success', text: t('steps.moved', { stage: stageLabel(updated.stage) }) });
    } catch (err) {
      if (!view.isCurrent()) return;
      if (err?.code === 'version_conflict') {
        // someone else changed it: show the current state, with the reason on top
        await view.reload({ error: err });
        return;
      }
      errorArea.append(errorBox(err));
      buttons.forEach((b) => (b.disabled = b.dataset.allowed !== 'true'));
      button.textContent = t('steps.move', { stage: stageLabel(step.to) });
      errorArea.querySelector('.alert')?.setAttribute('tabindex', '-1');
      errorArea.querySelector('.alert')?.focus();
    }
  }

  const items = steps.map((step, i) => {
    const unmetId = `unmet-${i}`;
    const unmet = step.unmet?.length
      ? h('div', { class: 'unmet-block', id: unmetId }, h('p', { class: 'unmet-title' }, t('steps.unmet')), h('ul', { class: 'unmet' }, step.unmet.map((u) => h('li', { dataset: { guard: u.guard } }, pick(u.message)))))
      : null;
    let action;
    if (step.trigger === 'manual' && step.roleAllowed) {
      action = h(
        'button',
        {
          type: 'button',
          // stepping aside (hold, abandon) should not look like the way forward
          class: ['button', 'move', step.to === 'abandoned' ? 'button-danger' : step.to === 'on_hold' ? null : 'button-primary'],
          dataset: { to: step.to, allowed: String(step.allowed) },
          disabled: !step.allowed,
          'aria-describedby': unmet ? unmetId : undefined,
          onclick: (event) => move(step, event.currentTarget),
        },
        t('steps.move', { stage: stageLabel(step.to) }),
      );
    } else {
      action = h(
        'p',
        { class: 'step-target' },
        stageBadge(step.to),
        step.trigger !== 'manual' ? h('span', { class: 'muted' }, ` ${tOr(`steps.auto.${step.trigger}`, '')}`) : null,
      );
    }
    return h('li', { class: 'next-step', dataset: { to: step.to } }, action, unmet);
  });

  const content = [
    errorArea,
    canMove
      ? h(
          'div',
          { class: 'move-form' },
          h('div', { class: 'field' }, h('label', { for: 'move-note' }, t('steps.note')), note, h('span', { class: 'hint', id: 'move-note-hint' }, t('steps.noteHint'))),
          needsEif
            ? h(
                'fieldset',
                { class: 'eif' },
                h('legend', null, t('steps.eif')),
                h('div', { class: 'field' }, h('label', { for: 'eif-date' }, t('steps.eifDate')), eifDate),
                h('div', { class: 'field' }, h('label', { for: 'eif-basis' }, t('steps.eifBasis')), eifBasis),
              )
            : null,
        )
      : null,
    h('ul', { class: 'next-steps', id: 'next-steps-list' }, items),
    !canMove && steps.some((s) => s.trigger === 'manual') ? h('p', { class: 'muted read-only', id: 'steps-read-only' }, t('steps.readOnly')) : null,
  ];
  return section(t('steps.title'), content, { id: 'next-steps' });
}

function documentsSection(view, result) {
  if (result.status === 'rejected') return section(t('docs.title'), failed(result), { id: 'documents' });
  const docs = result.value.items ?? [];
  if (docs.length === 0) return section(t('docs.title'), h('p', { class: 'muted' }, t('docs.none')), { id: 'documents' });

  const downloadButton = (doc, which) => {
    const isStamped = which === 'stamped';
    const label = isStamped ? t('docs.stamped') : t('docs.download');
    return h(
      'button',
      {
        type: 'button',
        class: ['button', 'button-small', isStamped ? 'download-stamped' : 'download'],
        'aria-label': isStamped ? t('docs.stampedLabel', { name: doc.fileName }) : t('docs.downloadLabel', { name: doc.fileName }),
        onclick: async (event) => {
          const button = event.currentTarget;
          button.disabled = true;
          button.textContent = t('docs.downloading');
          if (button.nextElementSibling?.matches('.alert')) button.nextElementSibling.remove();
          try {
            const name = await download(isStamped ? doc.links.stamped : doc.links.file, doc.fileName);
            view.announce(t('docs.downloaded', { name }));
          } catch (err) {
            button.after(errorBox(err));
          } finally {
            button.disabled = false;
            button.textContent = label;
          }
        },
      },
      label,
    );
  };
  const rows = docs.map((d) =>
    h(
      'tr',
      { dataset: { document: d.id } },
      h('th', { scope: 'row', class: 'file-name' }, d.fileName),
      h('td', null, tOr(`docKind.${d.kind}`, d.kind)),
      h('td', null, languageName(d.language)),
      h('td', { class: 'num' }, `v${d.version}`),
      h('td', { class: 'num' }, formatBytes(d.size), d.pages ? h('div', { class: 'muted' }, t('docs.pages', { n: d.pages })) : null),
      h('td', null, time(d.createdAt), d.uploadedBy?.name ? h('div', { class: 'muted' }, d.uploadedBy.name) : null),
      h('td', { class: 'actions' }, downloadButton(d, 'file'), d.links?.stamped ? downloadButton(d, 'stamped') : null),
    ),
  );
  return section(
    t('docs.title'),
    table({ caption: t('docs.title'), head: [t('docs.file'), t('docs.kind'), t('docs.language'), t('docs.version'), t('docs.size'), t('docs.uploaded'), t('docs.actions')], rows }),
    { id: 'documents' },
  );
}

function deadlineWhat(d, a) {
  switch (d.kind) {
    case 'stage_due':
      return t('dl.stage_due', { stage: stageLabel(d.stage) });
    case 'signing_due':
      return t('dl.signing_due', { party: a.parties?.find((p) => p.id === d.partyId)?.name });
    case 'custom':
      return d.note || t('dl.custom');
    default:
      return tOr(`dl.${d.kind}`, d.kind);
  }
}

function deadlinesSection(a, result) {
  if (result.status === 'rejected') return section(t('deadlines.title'), failed(result), { id: 'deadlines' });
  // what is still open first (soonest on top), then the closed ones, latest first
  const dueMs = (d) => new Date(d.dueAt).getTime();
  const all = result.value.items ?? [];
  const items = [
    ...all.filter((d) => d.status === 'open').sort((x, y) => dueMs(x) - dueMs(y)),
    ...all.filter((d) => d.status !== 'open').sort((x, y) => dueMs(y) - dueMs(x)),
  ];
  if (items.length === 0) return section(t('deadlines.title'), h('p', { class: 'muted' }, t('deadlines.none')), { id: 'deadlines' });
  const tone = { open: 'info', met: 'success', missed: 'danger', cancelled: 'neutral' };
  return section(
    t('deadlines.title'),
    h(
      'ul',
      { class: 'deadlines' },
      items.map((d) => {
        const late = d.status === 'open' && new Date(d.dueAt).getTime() < Date.now();
        return h(
          'li',
          { class: ['deadline', `deadline-${d.status}`], dataset: { deadline: d.id } },
          h('div', { class: 'deadline-what' }, deadlineWhat(d, a)),
          h('div', { class: 'deadline-when' }, h('time', { datetime: d.dueAt }, d.dueLocal ?? formatDate(d.dueAt))),
          h('div', null, badge(tOr(`dlStatus.${d.status}`, d.status), tone[d.status]), late ? [' ', overdueMarker(d.dueAt)] : null),
        );
      }),
    ),
    { id: 'deadlines' },
  );
}

/** One line saying what an event changed, in the chosen language (notes and comments verbatim). */
function describeEvent(e) {
  const c = e.changes ?? {};
  switch (e.action) {
    case 'created':
      return [t('timeline.created'), ' ', stageLabel(c.stage ?? 'drafting')];
    case 'transition':
      return [`${stageLabel(c.from)} → ${stageLabel(c.to)}`, triggerText(e), c.note ? h('blockquote', { class: 'note' }, c.note) : null];
    case 'reopened':
      return c.reason ? h('blockquote', { class: 'note' }, c.reason) : null;
    case 'updated':
      return t('history.fields', { fields: Object.keys(c).join(', ') });
    case 'document_uploaded':
    case 'document_downloaded':
      return [c.fileName ?? '', c.kind ? ` (${tOr(`docKind.${c.kind}`, c.kind)}${c.language ? `, ${languageName(c.language)}` : ''}${c.version ? `, v${c.version}` : ''})` : ''];
    case 'signature_recorded':
      return [t('history.signedAt', { party: c.party ?? '', date: formatDate(c.signedAt), place: c.place }), c.method ? ` (${tOr(`method.${c.method}`, c.method)})` : ''];
    case 'party_declined':
      return [c.party ?? '', c.reason ? h('blockquote', { class: 'note' }, c.reason) : null];
    case 'round_added':
      return [formatDate(c.date), c.venue ? `, ${c.venue}` : '', c.outcome ? h('blockquote', { class: 'note' }, c.outcome) : null];
    case 'link_added':
      return `${tOr(`link.${c.type}`, c.type)} ${c.code ?? c.agreementId ?? ''}`;
    case 'comment':
      return h('blockquote', { class: 'note' }, c.text ?? '');
    case 'deadline_created':
    case 'deadline_updated':
      return c.dueAt ? formatDate(c.dueAt) : null;
    default:
      return null;
  }
}

function historySection(view, a, result) {
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
  const rows = items.map((e) =>
    h(
      'tr',
      { dataset: { seq: String(e.seq), action: e.action } },
      h('td', { class: 'num' }, String(e.seq)),
      h('td', { class: 'nowrap' }, time(e.at, true)),
      h('td', null, e.actor?.name ?? e.actor?.email ?? '—', h('div', { class: 'muted' }, roleLabel(e.role))),
      h('td', null, h('strong', null, tOr(`action.${e.action}`, e.action)), h('div', { class: 'event-detail' }, describeEvent(e))),
      h('td', { class: 'hash' }, h('code', { title: e.hash }, `${(e.hash ?? '').slice(0, 12)}…`)),
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
