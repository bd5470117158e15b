// File uploads with a progress bar. fetch() cannot report upload progress, XMLHttpRequest can;
// the answer is read like api() reads it (ApiError with the API's bilingual message and details).
import { ApiError, session, whenUnauthenticatedNotify } from './api.js';
import { h } from './dom.js';
import { formatBytes } from './ui.js';

/**
 * POSTs `fields` and `file` as multipart/form-data to `path`. `onProgress(fraction)` is called
 * while the bytes go out; `signal` (an AbortSignal) cancels. Resolves with the JSON answer.
 */
export function uploadFile(path, { file, fields = {}, onProgress, signal } = {}) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) if (value !== undefined && value !== null && value !== '') form.append(key, String(value));
    form.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    const token = session.get()?.token;
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => {
      let body;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body);
      if (xhr.status === 401) whenUnauthenticatedNotify();
      reject(new ApiError(xhr.status, body?.error ?? {}));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, { code: 'network' })));
    xhr.addEventListener('abort', () => reject(new ApiError(0, { code: 'aborted' })));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(form);
  });
}

/** The SHA-256 of a local file, hex: to check a copy someone holds against the stored versions. */
export async function sha256Hex(file) {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A labelled file field a file can also be dropped on (said so where there is a pointer to drag with), its words in the page's language: the
 * browser's own file input names its button and "no file chosen" in the browser's language,
 * whatever the page's. The input stays in the page, out of sight (keyboard focus and screen readers
 * reach it; the zone is its label). Its ids are `${prefix}-file`, `-file-label`, `-drop` and
 * `-chosen`. Once a file is chosen the zone names it with its size; `onChoose(file)` runs after each
 * choice. Returns the field to show, its input, and `file()`: the file chosen, or null.
 */
export function fileDropZone({ prefix, label, accept, texts, onChoose }) {
  const id = `${prefix}-file`;
  const input = h('input', { type: 'file', id, name: 'file', accept, class: 'file-input', 'aria-labelledby': `${id}-label` });
  const chosen = h('span', { class: 'file-chosen', id: `${prefix}-chosen` }, texts.none);
  let file = null;
  const choose = (f) => {
    file = f ?? null;
    chosen.textContent = file ? `${file.name} (${formatBytes(file.size)})` : texts.none;
    onChoose?.(file);
  };
  input.addEventListener('change', () => choose(input.files?.[0]));
  // A file is dragged with a mouse or a trackpad: on a phone or a tablet alone "drag a PDF here, or"
  // would send the reader looking for something to drag, so the button stands alone, as a sentence's start.
  const canDrag = globalThis.matchMedia?.('(any-pointer: fine)').matches ?? true;
  const zone = h(
    'label',
    { class: 'drop-zone', for: id, id: `${prefix}-drop` },
    canDrag ? h('span', { class: 'drop-text' }, texts.drop) : null,
    h('span', { class: 'button button-small drop-browse', 'aria-hidden': 'true' }, canDrag ? texts.browse : texts.browse.charAt(0).toLocaleUpperCase() + texts.browse.slice(1)),
    chosen,
  );
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('drop-over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('drop-over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('drop-over');
    const f = event.dataTransfer?.files?.[0];
    if (f) choose(f);
  });
  // the input right before its zone: the zone shows the input's keyboard focus (.file-input:focus-visible + .drop-zone)
  const element = h('div', { class: 'field' }, h('span', { class: 'field-label', id: `${id}-label` }, label), input, zone);
  return { element, input, file: () => file };
}

