// The agreement page's documents: every version with its SHA-256, downloads of the original and
// the stamped copy, a check of the stored file and of a copy someone holds, the signing packet,
// and the upload form (progress bar, drag and drop) that the next steps also offer in place.
import { api, download, query, session } from '../api.js';
import { clear, h } from '../dom.js';
import { getLang } from '../i18n.js';
import { t, tOr } from '../i18n/detail.js';
import { badge, errorBox, field, formatBytes, languageName, refusalBox, section, table, time } from '../ui.js';
import { dateInputValue } from '../time.js';
import { fileDropZone, sha256Hex, uploadFile } from '../upload.js';
import { changeInDialog, runChange } from './detail-work.js';

export const DOC_KINDS = ['draft', 'final', 'annex', 'signed', 'minutes', 'full_powers', 'note'];
const UPLOAD_ROLES = ['admin', 'drafter'];
/** Stages from which a new final text reopens the negotiation (the server asks for reopen=true). */
const REOPEN_ERROR = 'reopenRequired';

export const mayUpload = () => UPLOAD_ROLES.includes(session.get()?.user?.role);

/**
 * A file picker with drop zone, progress bar and upload button. With `kind`/`language` given the
 * choice is fixed (as when a next step asks for "the final text in English"). `at` is the id of
 * what the upload is said right after, when the widget stands by the versions (drawDone's `at`).
 */
export function uploadWidget(view, a, { kind, language, idPrefix = 'upload', label, at } = {}) {
  const id = (name) => `${idPrefix}-${name}`;
  const languages = [...new Set([...(a.authenticLanguages ?? []), 'id', 'en'])];
  const kindSelect = kind
    ? null
    : h('select', { id: id('kind'), name: 'kind' }, DOC_KINDS.map((k) => h('option', { value: k, selected: k === 'draft' }, tOr(`docKind.${k}`, k))));
  const langSelect = language ? null : h('select', { id: id('language'), name: 'language' }, languages.map((l) => h('option', { value: l }, languageName(l))));
  const errorArea = h('div', { id: id('error') });
  const picker = fileDropZone({
    prefix: idPrefix,
    label: t('upload.file'),
    accept: 'application/pdf,.pdf',
    texts: { drop: t('upload.drop'), browse: t('upload.browse'), none: t('upload.noFile') },
    onChoose: () => clear(errorArea),
  });
  const progress = h('progress', { max: '100', value: '0', id: id('progress'), hidden: true, 'aria-label': t('upload.progress') });
  const percent = h('span', { class: 'upload-percent', id: id('percent'), 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'button button-primary', id: id('submit') }, label ?? t('upload.submit'));

  async function send(fields) {
    progress.hidden = false;
    progress.value = 0;
    percent.textContent = '0%';
    try {
      return await uploadFile(`/api/agreements/${encodeURIComponent(a.id)}/documents`, {
        file: picker.file(),
        fields,
        onProgress: (fraction) => {
          const pct = Math.round(fraction * 100);
          progress.value = pct;
          percent.textContent = `${pct}%`;
        },
      });
    } catch (err) {
      // nothing arrived: no bar stays at the last percent it reached
      progress.hidden = true;
      percent.textContent = '';
      throw err;
    }
  }

  // The page drawn again in place, what was typed elsewhere on it kept. From the documents card the
  // notice stands right above the versions, newest first, so by the new one: under the list it was
  // a screen of versions away on a phone once there are three. From a next step, on top, by it.
  const shown = {
    done: (created) => t('upload.done', { name: created.fileName, version: created.version }),
    at,
    item: at ? (created) => `tr[data-document="${CSS.escape(created.id)}"]` : undefined,
  };

  const form = h(
    'form',
    {
      class: 'upload-form',
      id: id('form'),
      novalidate: true,
      onsubmit: (event) => {
        event.preventDefault();
        clear(errorArea);
        if (!picker.file()) {
          errorArea.append(refusalBox(() => t('upload.chooseFirst')));
          picker.input.focus();
          return;
        }
        const fields = { kind: kind ?? kindSelect.value, language: language ?? langSelect.value };
        return runChange(view, {
          agreementId: a.id,
          button: submit,
          errorArea,
          busy: t('upload.sending'),
          work: () => send(fields),
          ...shown,
          // a new final text after the text was agreed reopens the negotiation: said, and why asked
          ask: (err) => (err?.details?.[REOPEN_ERROR] ? reopenDialog(view, a, (why) => send({ ...fields, reopen: 'true', ...why }), shown, submit) : null),
        });
      },
    },
    errorArea,
    kindSelect || langSelect
      ? h(
          'div',
          { class: 'field-row' },
          kindSelect ? h('div', { class: 'field' }, h('label', { for: id('kind') }, t('docs.kind')), kindSelect) : null,
          langSelect ? h('div', { class: 'field' }, h('label', { for: id('language') }, t('docs.language')), langSelect) : null,
        )
      : null,
    picker.element,
    h('div', { class: 'upload-progress' }, progress, percent),
    h('div', { class: 'form-actions' }, submit),
  );
  return form;
}

function reopenDialog(view, a, send, shown, opener) {
  const reason = h('textarea', { id: 'reopen-reason', rows: '3', maxlength: '2000' });
  return changeInDialog(view, a.id, {
    id: 'reopen-dialog',
    title: t('upload.reopenTitle'),
    intro: t('upload.reopenText'),
    content: h('div', { class: 'field' }, h('label', { for: 'reopen-reason' }, t('confirm.reason')), reason),
    submitLabel: t('upload.reopenConfirm'),
    danger: true,
    work: () => send({ reason: reason.value.trim() }),
    ...shown,
    opener,
  });
}

/** The documents card: upload form (for drafters), versions with hashes, packet and checks. */
export function documentsSection(view, a, result) {
  if (result.status === 'rejected') {
    return section(t('docs.title'), h('div', { class: 'alert alert-error', role: 'alert' }, t('error.section')), { id: 'documents' });
  }
  const docs = result.value.items ?? [];
  const newestFirst = [...docs].sort((x, y) => new Date(y.createdAt).getTime() - new Date(x.createdAt).getTime());

  // What a download or a check answered in a version's row is said in a place of the row's own,
  // named by the version: a language switch draws a refusal again there (dom.js `answer`).
  const downloadButton = (doc, which, said) => {
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
          clear(said);
          try {
            // the stamped copy is named in the reader's language ("… v1 berstempel" / "… v1 stamped"); the original keeps its own name
            const name = await download(isStamped ? `${doc.links.stamped}${query({ lang: getLang() })}` : doc.links.file, doc.fileName);
            view.announce(t('docs.downloaded', { name }));
          } catch (err) {
            said.append(errorBox(err));
          } finally {
            button.disabled = false;
            button.textContent = label;
          }
        },
      },
      label,
    );
  };
  const verifyButton = (doc, out) =>
    h(
      'button',
      {
        type: 'button',
        class: 'button button-small verify-doc',
        'aria-label': t('docs.verifyLabel', { name: doc.fileName }),
        onclick: async (event) => {
          const button = event.currentTarget;
          clear(out);
          button.disabled = true;
          try {
            const r = await api(doc.links.verify);
            out.append(r.intact ? badge(t('docs.intact'), 'success') : badge(r.present ? t('docs.altered') : t('docs.missing'), 'danger'));
          } catch (err) {
            out.append(errorBox(err));
          } finally {
            button.disabled = false;
          }
        },
      },
      t('docs.verify'),
    );

  const actions = (d) => {
    const said = h('div', { class: 'download-said', id: `download-said-${d.id}` });
    const verified = h('div', { class: 'verify-out', id: `verify-out-${d.id}`, role: 'status' });
    return [downloadButton(d, 'file', said), d.links?.stamped ? downloadButton(d, 'stamped', said) : null, verifyButton(d, verified), said, verified];
  };
  const rows = newestFirst.flatMap((d) => [
    h(
      'tr',
      { dataset: { document: d.id, kind: d.kind, language: d.language } },
      h(
        'th',
        { scope: 'row', class: 'file-cell' },
        h('span', { class: 'file-name' }, d.fileName),
        h('div', { class: 'sha' }, h('span', { class: 'visually-hidden' }, 'SHA-256: '), h('code', { class: 'sha256', title: 'SHA-256' }, d.sha256)),
        d.signatures?.count ? signatureMarker(d.signatures) : null,
      ),
      h('td', { dataset: { label: t('docs.kind') } }, tOr(`docKind.${d.kind}`, d.kind), h('div', { class: 'muted' }, languageName(d.language))),
      h('td', { class: 'num', dataset: { label: t('docs.version') } }, `v${d.version}`),
      h('td', { class: 'num', dataset: { label: t('docs.size') } }, formatBytes(d.size), d.pages ? h('div', { class: 'muted' }, t('docs.pages', { n: d.pages })) : null, d.textLayer === false ? h('div', { class: 'muted no-text-layer' }, t('docs.noTextLayer')) : null),
      h('td', { dataset: { label: t('docs.uploaded') } }, time(d.createdAt, true), d.uploadedBy?.name ? h('div', { class: 'muted' }, d.uploadedBy.name) : null),
      h('td', { class: 'actions' }, actions(d)),
    ),
    d.signatures?.count ? signaturesRow(view, d) : null,
  ]).filter(Boolean);

  const upload = mayUpload()
    ? h('details', { class: 'upload-panel', id: 'upload-panel', open: docs.length === 0 ? true : undefined }, h('summary', null, t('upload.title')), uploadWidget(view, a, { at: 'upload-panel' }))
    : null;

  return section(
    t('docs.title'),
    [
      upload,
      docs.length === 0
        ? h('p', { class: 'muted', id: 'docs-none' }, t('docs.none'))
        : table({ caption: t('docs.title'), head: [t('docs.file'), t('docs.kind'), t('docs.version'), t('docs.size'), t('docs.uploaded'), t('docs.actions')], rows, className: 'documents-table' }),
      docs.length ? checkCopyPanel(docs) : null,
      packetPanel(view, a, docs),
    ],
    { id: 'documents' },
  );
}

/** How each signature status reads on the page: the badge's colour and whether it is a warning. */
const SIGNATURE_TONE = { valid: 'success', valid_untrusted: 'info', modified_after_signing: 'danger', broken: 'danger', unsupported: null };

/** In the version's row: that the file is electronically signed, and whether the signatures hold. */
function signatureMarker(summary) {
  const tone = SIGNATURE_TONE[summary.status] ?? null;
  return h(
    'div',
    { class: ['signature-marker', summary.flagged && 'signature-flagged'], dataset: { signatureStatus: summary.status ?? '' } },
    badge(summary.flagged ? t('sig.flagged') : t('sig.signed', { n: summary.count }), summary.flagged ? 'danger' : tone),
  );
}

/**
 * Under a signed version, across the table: each signature with its signer, issuer, signing time
 * and status, read from GET /api/documents/:id/signatures (the list carries only the summary).
 */
function signaturesRow(view, d) {
  const body = h('div', { class: 'signatures-body', role: 'status' }, h('p', { class: 'muted' }, t('sig.loading')));
  api(d.links.signatures)
    .then((answer) => {
      if (!view.isCurrent()) return;
      clear(body);
      body.append(h('ul', { class: 'signature-list' }, answer.items.map(signatureItem)));
    })
    .catch((err) => {
      if (!view.isCurrent()) return;
      clear(body);
      body.append(errorBox(err));
    });
  return h(
    'tr',
    { class: 'signatures-row', dataset: { signaturesOf: d.id } },
    h(
      'td',
      { colspan: '6' },
      h('p', { class: 'signatures-title' }, t('sig.title', { n: d.signatures.count, name: d.fileName })),
      d.signatures.flagged ? h('div', { class: 'alert alert-error signature-warning' }, t(`sig.warning.${d.signatures.status}`)) : null,
      body,
    ),
  );
}

function signatureItem(sig) {
  const tone = SIGNATURE_TONE[sig.status] ?? null;
  const signer = sig.signer;
  const signedAt = sig.signingTime
    ? time(sig.signingTime, true)
    : sig.claimedTime
      ? [time(sig.claimedTime, true), ' ', h('span', { class: 'muted' }, t('sig.claimed'))]
      : t('sig.noTime');
  const facts = [
    [t('sig.signer'), signer ? h('span', { class: 'signature-signer', title: signer.subject }, signer.commonName ?? signer.subject) : t('sig.unreadable')],
    [t('sig.issuer'), signer ? h('span', { class: 'signature-issuer', title: signer.issuer }, signer.issuerCommonName ?? signer.issuer) : null],
    [t('sig.time'), h('span', { class: 'signature-time' }, signedAt)],
    sig.appendedBytes > 0 && !sig.laterSignatureCovers ? [t('sig.appended'), formatBytes(sig.appendedBytes)] : null,
  ].filter((pair) => pair && pair[1] !== null);
  return h(
    'li',
    { class: 'signature-item', dataset: { status: sig.status } },
    h('div', { class: 'signature-status' }, badge(t(`sig.status.${sig.status}`), tone), ' ', h('span', { class: 'signature-explain' }, t(`sig.explain.${sig.status}`))),
    h('dl', { class: 'facts signature-facts' }, facts.map(([label, value]) => h('div', null, h('dt', null, label), h('dd', null, value)))),
  );
}

/** "Is the copy I hold one of these versions?": hashed in the browser, nothing is uploaded. */
function checkCopyPanel(docs) {
  const out = h('div', { id: 'check-result', role: 'status' });
  const check = async (file) => {
    clear(out);
    if (!file) return;
    out.append(h('p', { class: 'muted' }, t('check.hashing')));
    let hash;
    try {
      hash = await sha256Hex(file);
    } catch (err) {
      if (picker.file() === file) out.replaceChildren(errorBox(err));
      return;
    }
    // a file chosen while this one was hashed has the say
    if (picker.file() !== file) return;
    clear(out);
    const match = docs.find((d) => d.sha256 === hash);
    out.append(
      match
        ? h('div', { class: 'alert alert-success check-match' }, t('check.match', { name: match.fileName, version: match.version, kind: tOr(`docKind.${match.kind}`, match.kind) }))
        : h('div', { class: 'alert alert-warning check-nomatch' }, t('check.noMatch')),
      h('p', { class: 'muted' }, 'SHA-256: ', h('code', { class: 'sha256' }, hash)),
    );
  };
  const picker = fileDropZone({
    prefix: 'check',
    label: t('check.file'),
    accept: 'application/pdf,.pdf',
    texts: { drop: t('upload.drop'), browse: t('upload.browse'), none: t('upload.noFile') },
    onChoose: (file) => void check(file),
  });
  return h(
    'details',
    { class: 'check-panel', id: 'check-panel' },
    h('summary', null, t('check.title')),
    h('p', { class: 'muted' }, t('check.intro')),
    picker.element,
    out,
  );
}

/** The signing packet: cover sheet, final texts and a signature page, for a place and date. */
function packetPanel(view, a, docs) {
  if (!docs.some((d) => d.kind === 'final')) return null;
  const place = h('input', { id: 'packet-place', maxlength: '200', autocomplete: 'off', value: 'Jakarta' });
  const date = h('input', { id: 'packet-date', type: 'date', value: dateInputValue() });
  const out = h('div', { id: 'packet-result', role: 'status' });
  const button = h(
    'button',
    {
      type: 'submit',
      class: 'button',
      id: 'packet-build',
    },
    t('packet.build'),
  );
  return h(
    'details',
    { class: 'packet-panel', id: 'packet-panel' },
    h('summary', null, t('packet.title')),
    h(
      'form',
      {
        novalidate: true,
        onsubmit: async (event) => {
          event.preventDefault();
          clear(out);
          button.disabled = true;
          button.textContent = t('packet.building');
          try {
            const name = await download(`/api/agreements/${encodeURIComponent(a.id)}/signing-packet${query({ place: place.value.trim(), date: date.value, lang: getLang() })}`, `${a.code}-signing-packet.pdf`);
            out.append(h('p', { class: 'muted' }, t('docs.downloaded', { name })));
            view.announce(t('docs.downloaded', { name }));
          } catch (err) {
            out.append(errorBox(err));
          } finally {
            button.disabled = false;
            button.textContent = t('packet.build');
          }
        },
      },
      h('p', { class: 'muted' }, t('packet.intro')),
      h(
        'div',
        { class: 'field-row' },
        h('div', { class: 'field' }, h('label', { for: 'packet-place' }, t('packet.place')), place),
        field('packet-date', t('packet.date'), date),
      ),
      h('div', { class: 'form-actions' }, button),
      out,
    ),
  );
}
