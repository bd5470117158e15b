// Live changes from GET /api/events (server-sent events), one connection per tab shared by every
// page that listens. Read with fetch rather than EventSource, because the token must go in the
// Authorization header (never in a URL, where logs would keep it).
import { session } from './api.js';

const listeners = new Set();
let controller = null;
let retryMs = 1000;
let closeTimer;
let everConnected = false;

/**
 * Calls `listener(event)` for each change to an agreement the signed-in person may read:
 * { agreementId, code, stage, version, action, seq, at }. After a lost connection comes back, a
 * `{ action: 'resync' }` event says changes may have been missed. Returns the unsubscribe function.
 */
export function subscribe(listener) {
  listeners.add(listener);
  clearTimeout(closeTimer);
  if (!controller) void connect();
  return () => {
    listeners.delete(listener);
    // a page that replaces another subscribes again at once: keep the connection a moment
    if (listeners.size === 0) closeTimer = setTimeout(disconnect, 3000);
  };
}

/**
 * Changes this tab is making, by agreement. The event a change causes can arrive before the
 * change's own answer; while one is under way, a page can tell that event from someone else's.
 */
const ownChanges = new Map();

/**
 * Runs `work` (the request and the redraw that follows it) as this tab's change to the agreement;
 * resolves or rejects as `work` does.
 */
export async function ownChange(agreementId, work) {
  const release = holdOwnChange(agreementId);
  try {
    return await work();
  } finally {
    release();
  }
}

/**
 * Marks this tab's change to the agreement as under way until the returned function is called
 * (once; later calls do nothing), for a change whose request and redraw are not one callback:
 * one sent from a dialog, whose page is drawn again once the dialog has closed.
 */
export function holdOwnChange(agreementId) {
  ownChanges.set(agreementId, (ownChanges.get(agreementId) ?? 0) + 1);
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    const left = ownChanges.get(agreementId) - 1;
    if (left > 0) ownChanges.set(agreementId, left);
    else ownChanges.delete(agreementId);
  };
}

/** Whether this tab is changing the agreement right now (see ownChange). */
export const changingHere = (agreementId) => ownChanges.has(agreementId);

/** Ends the connection (logout). */
export function disconnect() {
  controller?.abort();
  controller = null;
  everConnected = false;
}

function dispatch(block) {
  let event = 'message';
  const data = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(':')) continue;
    const at = line.indexOf(':');
    const field = at < 0 ? line : line.slice(0, at);
    const value = at < 0 ? '' : line.slice(at + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (event === 'ready') {
    if (everConnected) emit({ action: 'resync' });
    everConnected = true;
    retryMs = 1000;
    return;
  }
  if (event !== 'change' || !data.length) return;
  try {
    emit(JSON.parse(data.join('\n')));
  } catch {
    // a malformed event is dropped; the next one still comes
  }
}

function emit(event) {
  for (const listener of [...listeners]) {
    try {
      listener(event);
    } catch {
      // one page's failure never silences the others
    }
  }
}

async function connect() {
  const token = session.get()?.token;
  if (!token) return;
  const ctl = new AbortController();
  controller = ctl;
  try {
    const res = await fetch('/api/events', { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' }, cache: 'no-store', signal: ctl.signal });
    // an ended session: the next API call takes the person to the sign-in page; nothing to retry
    if (res.status === 401 || res.status === 403) {
      if (controller === ctl) controller = null;
      return;
    }
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let match;
      while ((match = /\r?\n\r?\n/.exec(buffer))) {
        dispatch(buffer.slice(0, match.index));
        buffer = buffer.slice(match.index + match[0].length);
      }
    }
  } catch {
    if (ctl.signal.aborted) return;
  }
  if (controller !== ctl) return;
  controller = null;
  if (!listeners.size) return;
  // the server went away (restart, network): try again, less often each time
  setTimeout(() => {
    if (!controller && listeners.size) void connect();
  }, retryMs);
  retryMs = Math.min(retryMs * 2, 30_000);
}
