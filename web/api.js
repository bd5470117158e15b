// The JSON API as the pages use it: bearer token from the session, one error type that keeps the
// API's code, bilingual message and details, and downloads saved from a blob (a plain link could
// not carry the Authorization header).
import { splitBilingual } from './i18n.js';

const TOKEN_KEY = 'pwni.session';

/** The signed-in user and token, kept for this browser tab only (sessionStorage). */
export const session = {
  get() {
    try {
      const raw = sessionStorage.getItem(TOKEN_KEY);
      const value = raw ? JSON.parse(raw) : null;
      return value && typeof value.token === 'string' ? value : null;
    } catch {
      return null;
    }
  },
  set(value) {
    sessionStorage.setItem(TOKEN_KEY, JSON.stringify(value));
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status (0 when the server could not be reached)
   * @param {{ code?: string, message?: string, details?: unknown }} error the API's error body
   */
  constructor(status, error = {}) {
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code ?? (status === 0 ? 'network' : 'unknown');
    this.details = error.details;
    /** { en, id } halves of the API's "English / Indonesian" message */
    this.text = splitBilingual(error.message ?? '');
  }
}

/** Called when a request comes back 401: the session is over (expired or logged out elsewhere). */
let onUnauthenticated = () => {};
export function whenUnauthenticated(fn) {
  onUnauthenticated = fn;
}
/** For requests made outside api() (uploads): the session is over. */
export function whenUnauthenticatedNotify() {
  session.clear();
  onUnauthenticated();
}

async function send(path, { method = 'GET', body, auth = true } = {}) {
  const headers = { Accept: 'application/json' };
  const token = session.get()?.token;
  if (auth && token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
  } catch {
    throw new ApiError(0, { code: 'network' });
  }
  if (res.status === 401 && auth) {
    session.clear();
    onUnauthenticated();
  }
  return res;
}

async function errorFrom(res) {
  let body;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  return new ApiError(res.status, body?.error ?? {});
}

/**
 * Answers asked for ahead of the page that reads them: the shell asks while the page's module is
 * still on its way, and the page's own api() call for the same path takes the answer in flight
 * instead of asking again. Each is taken once, and what the page did not take is dropped when the
 * next page is shown, so no answer is older than the page that shows it.
 */
const ahead = new Map();
export function askAhead(paths) {
  ahead.clear();
  for (const path of paths) {
    const answer = api(path);
    // the page that takes it handles a failure; one nobody takes is dropped unread
    answer.catch(() => {});
    ahead.set(path, answer);
  }
}

/** A JSON request; throws ApiError unless the answer is 2xx. */
export async function api(path, options = {}) {
  if (ahead.has(path) && options.method === undefined && options.body === undefined) {
    const answer = ahead.get(path);
    ahead.delete(path);
    return answer;
  }
  const res = await send(path, options);
  if (!res.ok) throw await errorFrom(res);
  if (res.status === 204) return null;
  return res.json();
}

/** URLSearchParams without empty values (the API rejects `q=` as too short). */
export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    q.set(key, String(value));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The file name from Content-Disposition (RFC 5987 `filename*` first), if any. */
export function fileNameFrom(header) {
  if (!header) return undefined;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]*)"/i.exec(header);
  return plain ? plain[1] : undefined;
}

/**
 * Fetches a file with the token and hands it to the browser as a download: named as the server
 * names it, else `fallbackName`. Resolves with the name used.
 */
export async function download(path, fallbackName) {
  const res = await send(path, { method: 'GET' });
  if (!res.ok) throw await errorFrom(res);
  const name = fileNameFrom(res.headers.get('Content-Disposition')) || fallbackName;
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // the download has started by now; keep the URL a moment for slow browsers, then free the blob
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

/** Sends a file as multipart field `file` (the browser sets the boundary); throws ApiError unless 2xx. */
export async function postFile(path, file) {
  const form = new FormData();
  form.append('file', file, file.name);
  const token = session.get()?.token;
  let res;
  try {
    res = await fetch(path, { method: 'POST', headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: form, cache: 'no-store' });
  } catch {
    throw new ApiError(0, { code: 'network' });
  }
  if (!res.ok) throw await errorFrom(res);
  return res.json();
}
