// Create an agreement, or edit one while its text is open: type, titles in Indonesian, English and
// every further authentic language, lead unit, confidentiality, authentic languages, subjects, and
// the parties (with an official name in their own script) and their signatories. Once signing has
// begun the page says why the agreement cannot be edited instead of showing the form.
// Field ids follow the API's field paths (parties.0.name → parties-0-name), so the fields a 422
// names are marked where they are.
import { api, session } from '../api.js';
import { clear, h } from '../dom.js';
import { t, typeLabel } from '../i18n/form.js';
import { pick } from '../i18n.js';
import { TYPES } from '../workflow.js';
import { countryName, errorBox, field, languageDirection, languageName, loading, section, stageBadge } from '../ui.js';
import { clearErrors, markInvalidFields, staleBox } from '../feedback.js';

const KINDS = ['state', 'agency', 'organisation'];
const CONFIDENTIALITY = ['public', 'internal', 'confidential'];
/** Languages offered as boxes to tick; any other ISO code can be typed. */
const COMMON_LANGUAGES = ['id', 'en', 'ar', 'ms', 'zh', 'ja', 'ko'];
/** Countries offered while typing (the field takes any ISO code). */
const COUNTRIES = ['ID', 'MY', 'SA', 'QA', 'AE', 'SG', 'BN', 'HK', 'TW', 'KR', 'JP', 'JO', 'KW', 'OM', 'BH', 'TR', 'AU', 'US', 'GB', 'NL'];

/**
 * Stages in which the agreement is still open for edits of its record (before signing): the
 * agreement page offers its Edit button only in these, and this page shows its form only in these.
 */
export const EDITABLE_STAGES = ['drafting', 'interagency_consultation', 'negotiation', 'legal_review', 'text_agreed', 'awaiting_signature', 'on_hold'];

/**
 * Why the record cannot be edited in a stage outside EDITABLE_STAGES, in the server's words for
 * the edit it would refuse: once signing has begun the text is agreed and the agreement must go
 * back first; once signed the text is final. (An abandoned agreement is no longer worked on.)
 */
function frozenReason(stage) {
  if (stage === 'partially_signed') return t('form.frozen.signing');
  if (stage === 'abandoned') return t('form.frozen.abandoned');
  return t('form.frozen.signed');
}

/** Said instead of a form that could not be saved (the address of the edit page was typed or kept). */
function frozenNotice(agreement) {
  return h(
    'div',
    { id: 'edit-frozen' },
    h(
      'div',
      { class: 'alert alert-warning frozen' },
      h('p', { class: 'frozen-reason' }, frozenReason(agreement.stage)),
      h('p', null, t('form.frozen.stage'), ' ', stageBadge(agreement.stage)),
    ),
    h('p', null, h('a', { class: 'button button-primary', id: 'frozen-to-agreement', href: `#/agreements/${encodeURIComponent(agreement.id)}` }, t('form.backToAgreement'))),
  );
}

export async function renderAgreementForm(view) {
  const editing = view.parts[1] !== 'new' ? view.parts[1] : null;
  const heading = h('h1', { tabindex: '-1', id: 'form-title' }, editing ? t('form.editTitle') : t('form.newTitle'));
  view.setTitle(heading.textContent);
  const body = h('div', { class: 'agreement-form-wrap' }, loading());
  view.main.append(
    h('p', { class: 'back' }, h('a', { href: editing ? `#/agreements/${encodeURIComponent(editing)}` : '#/agreements', id: 'back-link' }, h('span', { 'aria-hidden': 'true' }, '← '), editing ? t('form.backToAgreement') : t('detail.back'))),
    h('div', { class: 'page-head' }, heading),
    body,
  );
  let current = null;
  if (editing) {
    try {
      current = await api(`/api/agreements/${encodeURIComponent(editing)}`);
    } catch (err) {
      if (!view.isCurrent()) return;
      clear(body).append(errorBox(err));
      return;
    }
    if (!view.isCurrent()) return;
    heading.before(h('p', { class: 'eyebrow' }, current.code));
    if (!EDITABLE_STAGES.includes(current.stage)) {
      clear(body).append(frozenNotice(current));
      return;
    }
  }
  clear(body).append(buildForm(view, current));
}

function buildForm(view, current) {
  const user = session.get()?.user ?? {};
  const errorArea = h('div', { id: 'form-error' });
  const input = (id, props = {}) => h('input', { id, name: id, ...props });

  const type = h(
    'select',
    { id: 'type', name: 'type', required: true, disabled: Boolean(current) },
    TYPES.map((ty) => h('option', { value: ty, selected: (current?.type ?? 'mou') === ty }, typeLabel(ty))),
  );
  const titleId = input('title-id', { required: true, maxlength: '500', value: current?.title?.id ?? '', lang: 'id', autocomplete: 'off' });
  const titleEn = input('title-en', { required: true, maxlength: '500', value: current?.title?.en ?? '', lang: 'en', autocomplete: 'off' });
  // Only an administrator places an agreement under another unit, and only the lead unit (or an
  // administrator) chooses who may see it: the server refuses the rest, so the form does not offer it.
  const admin = user.role === 'admin';
  const ownUnit = !current || current.leadUnit === user.unit;
  const leadUnit = input('leadUnit', { maxlength: '40', value: current?.leadUnit ?? user.unit ?? 'PWNI', readonly: !admin, 'aria-describedby': 'leadUnit-hint' });
  const confidentiality = h(
    'select',
    { id: 'confidentiality', name: 'confidentiality', disabled: !admin && !ownUnit, 'aria-describedby': 'confidentiality-hint' },
    CONFIDENTIALITY.map((c) => h('option', { value: c, selected: (current?.confidentiality ?? 'internal') === c }, t(`conf.${c}`))),
  );
  const chosen = new Set(current?.authenticLanguages ?? ['id', 'en']);
  const langBoxes = COMMON_LANGUAGES.map((code) =>
    // `authentic-…`, not `lang-…`: the header's language buttons are #lang-id and #lang-en
    h('label', { class: 'check' }, h('input', { type: 'checkbox', id: `authentic-${code}`, value: code, checked: chosen.has(code), class: 'lang-box' }), ' ', languageName(code)),
  );
  const otherLangs = input('authenticLanguages', {
    value: [...chosen].filter((c) => !COMMON_LANGUAGES.includes(c)).join(', '),
    'aria-describedby': 'authenticLanguages-hint',
    autocomplete: 'off',
  });
  // A title field for each further authentic language (two-letter codes: the API keys titles so).
  // Fields are made for the usual languages at once and shown while their language is authentic:
  // unticking and ticking a language again loses nothing, and a switch of the page's language
  // (which restores fields by id) finds them.
  const langInputs = langBoxes.map((label) => label.querySelector('input'));
  const otherTitles = h('div', { class: 'other-titles', id: 'other-titles' });
  const titleFields = new Map();
  const chosenLanguages = () => {
    const langs = langInputs.filter((b) => b.checked).map((b) => b.value);
    for (const code of otherLangs.value.split(/[\s,]+/).map((s) => s.trim().toLowerCase()).filter(Boolean)) if (!langs.includes(code)) langs.push(code);
    return langs;
  };
  function titleField(code) {
    if (!titleFields.has(code)) {
      const id = `title-${code}`;
      const control = input(id, { maxlength: '500', value: current?.title?.[code] ?? '', lang: code, dir: languageDirection(code) === 'rtl' ? 'rtl' : 'auto', autocomplete: 'off' });
      const wrap = field(id, t('form.titleIn', { language: languageName(code) }), control);
      wrap.dataset.titleLang = code;
      otherTitles.append(wrap);
      titleFields.set(code, { wrap, control });
    }
    return titleFields.get(code);
  }
  function showTitleFields() {
    const langs = chosenLanguages().filter((c) => c !== 'id' && c !== 'en' && /^[a-z]{2}$/.test(c));
    for (const code of langs) titleField(code);
    for (const [code, { wrap }] of titleFields) wrap.hidden = !langs.includes(code);
  }
  for (const code of [...COMMON_LANGUAGES, ...Object.keys(current?.title ?? {})]) if (code !== 'id' && code !== 'en') titleField(code);
  const subjects = input('subjects', { value: (current?.subjects ?? []).join(', '), 'aria-describedby': 'subjects-hint', autocomplete: 'off' });

  const partyList = h('ol', { class: 'party-forms', id: 'party-forms' });
  const countries = h('datalist', { id: 'country-list' }, COUNTRIES.map((c) => h('option', { value: c }, countryName(c))));

  function renumber() {
    [...partyList.children].forEach((li, i) => {
      li.querySelector('legend').textContent = t('form.partyN', { n: i + 1 });
      for (const el of li.querySelectorAll('[data-part]')) {
        const id = `parties-${i}-${el.dataset.part}`;
        el.id = id;
        el.name = id;
        el.closest('.field')?.querySelector('label')?.setAttribute('for', id);
      }
      const remove = li.querySelector('.remove-party');
      remove.hidden = partyList.children.length < 2;
      remove.setAttribute('aria-label', t('form.removePartyN', { n: i + 1 }));
    });
  }

  function addParty(p = {}) {
    const locked = p.status === 'signed';
    const part = (name, props = {}) => h('input', { dataset: { part: name }, disabled: locked, ...props });
    const kind = h('select', { dataset: { part: 'kind' }, disabled: locked }, KINDS.map((k) => h('option', { value: k, selected: (p.kind ?? 'agency') === k }, t(`partyKind.${k}`))));
    const pf = (name, label, control) => h('div', { class: 'field' }, h('label', null, label), control);
    const li = h(
      'li',
      { class: 'party-form', dataset: { partyId: p.id ?? '' } },
      h(
        'fieldset',
        null,
        h('legend', null, ''),
        locked ? h('p', { class: 'muted' }, t('form.partySigned')) : null,
        h(
          'div',
          { class: 'field-row' },
          pf('name', t('form.partyName'), part('name', { value: p.name ?? '', required: true, maxlength: '300', autocomplete: 'off' })),
          pf('officialName', t('form.officialName'), part('officialName', { value: p.officialName ?? '', maxlength: '300', autocomplete: 'off', dir: 'auto' })),
          pf('kind', t('parties.kind'), kind),
          pf('country', t('form.partyCountry'), part('country', { value: p.country ?? '', maxlength: '3', list: 'country-list', autocomplete: 'off', class: 'short' })),
        ),
        h(
          'div',
          { class: 'field-row' },
          pf('signatory-name', t('form.signatoryName'), part('signatory-name', { value: p.signatory?.name ?? '', maxlength: '200', autocomplete: 'off' })),
          pf('signatory-title', t('form.signatoryTitle'), part('signatory-title', { value: p.signatory?.title ?? '', maxlength: '200', autocomplete: 'off' })),
          pf('signatory-email', t('form.signatoryEmail'), part('signatory-email', { type: 'email', value: p.signatory?.email ?? '', maxlength: '254', autocomplete: 'off' })),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'button button-plain remove-party',
            disabled: locked,
            onclick: () => {
              li.remove();
              renumber();
              partyList.querySelector('input:not([disabled])')?.focus();
              view.announce(t('form.partyRemoved'));
            },
          },
          t('form.removeParty'),
        ),
      ),
    );
    partyList.append(li);
    renumber();
    return li;
  }
  for (const p of current?.parties ?? [{ kind: 'state', country: 'ID', name: 'Republik Indonesia' }, { kind: 'state' }]) addParty(p);

  const submit = h('button', { type: 'submit', class: 'button button-primary', id: 'form-submit' }, current ? t('form.save') : t('form.create'));

  function values() {
    const langs = chosenLanguages();
    const parties = [...partyList.children].map((li) => {
      const get = (name) => li.querySelector(`[data-part="${name}"]`).value.trim();
      const party = { name: get('name'), kind: get('kind') };
      if (li.dataset.partyId) party.id = li.dataset.partyId;
      // an emptied official name is sent as '' so that the stored one is cleared
      const officialName = get('officialName');
      if (officialName || current?.parties?.find((x) => x.id === party.id)?.officialName) party.officialName = officialName;
      if (get('country')) party.country = get('country').toUpperCase();
      const signatory = { name: get('signatory-name'), title: get('signatory-title'), email: get('signatory-email') };
      if (signatory.name || signatory.title || signatory.email) {
        party.signatory = Object.fromEntries(Object.entries(signatory).filter(([, v]) => v));
        // a stored zone is kept; the form does not show it
        const before = current?.parties?.find((x) => x.id === party.id)?.signatory;
        if (before?.timezone) party.signatory.timezone = before.timezone;
      }
      return party;
    });
    const body = {
      // a title in a further authentic language is sent when filled in; a language no longer
      // authentic takes its title with it (the API refuses a title in a language that is not)
      title: {
        ...Object.fromEntries([...titleFields].map(([code, { control }]) => [code, control.value.trim()]).filter(([code, text]) => text && langs.includes(code))),
        id: titleId.value.trim(),
        en: titleEn.value.trim(),
      },
      leadUnit: leadUnit.value.trim() || undefined,
      confidentiality: confidentiality.value,
      authenticLanguages: langs,
      subjects: subjects.value.split(',').map((s) => s.trim()).filter(Boolean),
      parties,
    };
    if (!current) body.type = type.value;
    else body.version = current.version;
    return body;
  }

  const form = h(
    'form',
    {
      class: 'agreement-form',
      id: 'agreement-form',
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        clearErrors(form, errorArea);
        submit.disabled = true;
        submit.textContent = t('form.saving');
        try {
          const body = values();
          const saved = current
            ? await api(`/api/agreements/${encodeURIComponent(current.id)}`, { method: 'PATCH', body })
            : await api('/api/agreements', { method: 'POST', body });
          const done = () => (current ? t('form.saved') : t('form.created', { code: saved.code }));
          // saved all the same, but a signatory whose account may not sign must not go unnoticed
          const warnings = saved.warnings ?? [];
          view.navigate(`#/agreements/${encodeURIComponent(saved.id)}`, {
            flash: warnings.length ? { kind: 'warning', text: () => [done(), ...warnings.map((w) => pick(w.message))].join(' ') } : { kind: 'success', text: done },
          });
        } catch (err) {
          if (!view.isCurrent()) return;
          submit.disabled = false;
          submit.textContent = current ? t('form.save') : t('form.create');
          const box = err?.code === 'version_conflict' ? staleBox(() => view.reload()) : errorBox(err);
          box.tabIndex = -1;
          errorArea.append(box);
          markInvalidFields(form, err);
          box.focus();
        }
      },
    },
    errorArea,
    section(
      t('form.about'),
      [
        field('type', t('field.type'), type, current ? t('form.typeFixed') : null),
        h('div', { class: 'field-row' }, field('title-id', t('form.titleId'), titleId), field('title-en', t('form.titleEn'), titleEn)),
        otherTitles,
        h(
          'div',
          { class: 'field-row' },
          field('leadUnit', t('field.leadUnit'), leadUnit, admin ? t('form.leadUnitHint') : t('form.leadUnitFixed')),
          field('confidentiality', t('field.confidentiality'), confidentiality, !admin && !ownUnit ? t('form.confidentialityFixed', { unit: current.leadUnit }) : t('form.confidentialityHint')),
        ),
        h(
          'fieldset',
          { class: 'langs', id: 'authentic-languages' },
          h('legend', null, t('field.languages')),
          h('div', { class: 'checks' }, langBoxes),
          field('authenticLanguages', t('form.otherLanguages'), otherLangs, t('form.otherLanguagesHint')),
        ),
        field('subjects', t('field.subjects'), subjects, t('form.subjectsHint')),
      ],
      { id: 'form-about' },
    ),
    section(
      t('parties.title'),
      [
        countries,
        h('p', { class: 'muted' }, t('form.partiesHint')),
        partyList,
        h(
          'button',
          {
            type: 'button',
            class: 'button',
            id: 'add-party',
            onclick: () => {
              addParty({ kind: 'agency' }).querySelector('input')?.focus();
            },
          },
          t('form.addParty'),
        ),
      ],
      { id: 'form-parties' },
    ),
    h('div', { class: 'form-actions' }, submit, h('a', { class: 'button button-plain', href: current ? `#/agreements/${encodeURIComponent(current.id)}` : '#/agreements' }, t('form.cancel'))),
  );
  // the title fields follow the authentic languages as they are ticked or typed
  for (const box of langInputs) box.addEventListener('change', showTitleFields);
  otherLangs.addEventListener('input', showTitleFields);
  showTitleFields();
  // after a switch of the page's language the boxes are restored without events: look again then
  setTimeout(showTitleFields, 0);
  return form;
}

