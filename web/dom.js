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
