// Building elements from data without innerHTML: every text from the API goes in as a text node,
// so a title like "<img onerror=…>" is shown, never run (and the CSP forbids inline code anyway).

/**
 * h('a', { href: '#/x', class: 'link', onclick: fn }, 'text', child, [more])
 * Props: `class`, `dataset`, `on<event>` handlers, `value`/`checked`/`selected` as properties,
 * `true` as an empty attribute, `false`/null/undefined left out; everything else an attribute.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value' || key === 'checked' || key === 'selected') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/**
 * Resolves in a later task, so the browser can answer a tap and paint before a long job goes on
 * (scheduler.yield keeps the job's turn ahead of other waiting work where the browser has it).
 */
export function nextTask() {
  if (globalThis.scheduler?.yield) return globalThis.scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/**
 * What the page said in answer to the reader (a form refused, a field named as wrong, a register's
 * problems) is drawn once, in the language chosen then. A language switch draws the page again
 * from its data, and that answer, which no data holds, would be lost with the old page, although
 * the reader switched precisely to read it. So an answer is drawn by `draw()` and keeps it: the
 * shell carries every answer still on screen across a language switch (saveAnswers), and draws it
 * again, in the new language, in the element of the same id (restoreAnswers). Any other render (a
 * new page, a reload after a change, a live redraw) forgets it, as it forgets a one-time notice.
 */
const ANSWERS = new WeakMap();

/** `draw()`'s node, marked as an answer that a language switch draws again (see above). */
export function answer(draw) {
  const node = draw();
  ANSWERS.set(node, draw);
  node.dataset.answer = '';
  return node;
}

/**
 * The answers in `root` with the id of the element each stands in (one without an id is not
 * carried: nothing on the new page would name its place), and the fields they marked invalid.
 */
export function saveAnswers(root) {
  const answers = [];
  for (const node of root.querySelectorAll('[data-answer]')) {
    const at = node.parentElement;
    if (at?.id && !at.closest('[data-answer]') && ANSWERS.has(node)) answers.push({ at: at.id, draw: ANSWERS.get(node) });
  }
  const invalid = [...root.querySelectorAll('[aria-invalid="true"][id]')].map((el) => el.id);
  return { answers, invalid };
}

/**
 * Draws the saved answers again, once the page is drawn, each in its place if the page left that
 * empty: where it drew something of its own (a list asked for again, its own error) that is what
 * holds now.
 */
export function restoreAnswers(root, { answers, invalid }) {
  const filled = new Set();
  for (const { at, draw } of answers) {
    const place = root.querySelector(`#${CSS.escape(at)}`);
    if (!place || (place.hasChildNodes() && !filled.has(place))) continue;
    filled.add(place);
    place.append(answer(draw));
  }
  for (const id of invalid) root.querySelector(`#${CSS.escape(id)}`)?.setAttribute('aria-invalid', 'true');
}

/** Text, select and checkbox values by element id, so a language switch keeps what was typed. */
export function saveFields(root) {
  const saved = new Map();
  for (const el of root.querySelectorAll('input[id], textarea[id], select[id]')) {
    if (el.type === 'file') continue; // a chosen file cannot be set again by script
    saved.set(el.id, el.type === 'checkbox' || el.type === 'radio' ? el.checked : el.value);
  }
  return saved;
}
export function restoreFields(root, saved) {
  for (const [id, value] of saved) {
    const el = root.querySelector(`#${CSS.escape(id)}`);
    if (!el || el.dataset.restored) continue;
    if (el.type === 'checkbox' || el.type === 'radio') el.checked = value;
    else el.value = value;
    el.dataset.restored = '1';
  }
}
