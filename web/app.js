// The shell: header, language switch, navigation and hash routing. Each page module renders into
// <main> and is handed a `view` with what it needs (params, navigation, flash messages).
import { api, askAhead, session, whenUnauthenticated } from './api.js';
import { clear, h, restoreAnswers, restoreFields, saveAnswers, saveFields } from './dom.js';
import { getLang, setLang } from './i18n.js';
import { roleLabel, t } from './i18n/shell.js';
import { renderLogin } from './pages/login.js';
import { notice } from './alerts.js';
import { disconnect as disconnectLive } from './live.js';
import { ROLE_PAGES, roleNavLinks } from './pages/role-pages.js';
import { PAGE_MODULES, PAGE_REQUESTS } from './pages/page-modules.js';

const $ = (id) => document.getElementById(id);

/**
 * A one-time notice for the next page shown (after a move, a logout, an expired session):
 * `{ kind, text, at? }`, `text` a function giving the words in the language chosen when it is
 * shown (alerts.js `flashNotice`), so the notice can be drawn again in the other language; `at`
 * names the place on the page it belongs to, for a page that shows notices elsewhere than on top.
 */
let flash = null;
/**
 * The notice on the page on screen. A language switch draws the page again with it, in the new
 * language: whoever switched to read it must still find it. Any other render forgets it, so it
 * stays one-time.
 */
let shownFlash = null;
/** The id of what takes focus on the next page instead of its heading (a choice that changes the page, kept under the keyboard). */
let focusNext = null;
let returnTo = null;
let renderSeq = 0;

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, qs = ''] = raw.split('?');
  return { path, parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(qs) };
}

/**
 * Goes to `hash`; renders again when it is already the current one (hashchange would not fire).
 * `focus` is the id of the new page's element that takes focus instead of its heading.
 */
function navigate(hash, { flash: message, focus } = {}) {
  if (message) flash = message;
  focusNext = focus ?? null;
  if (location.hash === hash) void render();
  else location.hash = hash;
}

/** Who may create and edit agreements: the form is theirs, and the navigation offers it only to them. */
const EDITORS = ['drafter', 'admin'];

/**
 * Only the sign-in page comes with the shell: every other page module is fetched the first time
 * it is shown (the browser keeps it after that), so a mission on a slow link downloads nothing
 * before signing in that it does not need to sign in.
 */
function routeFor(parts) {
  if (parts[0] === 'login') return { name: 'login', page: renderLogin, nav: null };
  if (parts[0] === 'notifications') return { name: 'notifications', module: 'pages/notifications.js', load: () => import('./pages/notifications.js').then((m) => m.renderNotifications), nav: 'notifications' };
  if (parts[0] === 'signatures') return { name: 'signatures', module: 'pages/signatures.js', load: () => import('./pages/signatures.js').then((m) => m.renderSignatures), nav: 'signatures' };
  if (parts[0] === 'agreements' && (parts[1] === 'new' || parts[2] === 'edit')) {
    // creating and editing agreements is the drafters' and administrators' work (editAgreement in workflows/permissions.ts)
    return { name: 'form', module: 'pages/agreement-form.js', load: () => import('./pages/agreement-form.js').then((m) => m.renderAgreementForm), nav: parts[1] === 'new' ? 'new' : 'board', roles: EDITORS };
  }
  if (parts[0] === 'agreements' && parts[1]) return { name: 'detail', module: 'pages/detail.js', load: () => import('./pages/detail.js').then((m) => m.renderDetail), nav: 'board' };
  if (parts[0] === 'agreements' || parts.length === 0) return { name: 'board', module: 'pages/board.js', load: () => import('./pages/board.js').then((m) => m.renderBoard), nav: 'board' };
  return ROLE_PAGES[parts[0]] ?? null;
}

/** A page that only says something, with the way back to the board. */
function messagePage(view, title, text) {
  view.setTitle(title);
  view.main.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, title)),
    h('p', { class: 'route-message', id: 'route-message' }, text),
    h('p', null, h('a', { href: '#/agreements', class: 'button button-primary', id: 'route-to-board' }, t('route.toBoard'))),
  );
}

/** The page for a hash that names none. */
function renderNotFound(view) {
  messagePage(view, t('route.notFound'), t('route.notFoundText', { path: location.hash }));
}

/** The page shown instead of `name` to a role that may not use it: who it is for, in words, and nothing to fill in. */
function deniedPage(name, role) {
  return (view) => messagePage(view, t(`route.only.${name}`), t('route.onlyText', { role: roleLabel(role), page: t(`nav.${name}`) }));
}

/** Asks for a page's module and everything it imports at once (each only once). */
const preloaded = new Set();
function preload(module) {
  for (const file of [module, ...(PAGE_MODULES[module] ?? [])]) {
    if (preloaded.has(file)) continue;
    preloaded.add(file);
    document.head.append(h('link', { rel: 'modulepreload', href: file }));
  }
}

let announceTimer;
function announce(text) {
  const el = $('announcer');
  clearTimeout(announceTimer);
  el.textContent = '';
  // a fresh text node after a tick, so the same message twice is still read out
  announceTimer = setTimeout(() => {
    el.textContent = text;
  }, 50);
}

/** What a page said in the live region was about that page: the next one starts with it empty. */
function silence() {
  clearTimeout(announceTimer);
  $('announcer').textContent = '';
}

/**
 * On a phone the navigation, the language switch and the account sit behind the menu button
 * (styles.css shows the button only at narrow widths); on a wider screen they are always shown.
 */
function setMenu(open, { focus = false } = {}) {
  const toggle = $('menu-toggle');
  toggle.setAttribute('aria-expanded', String(open));
  document.querySelector('.site-header').classList.toggle('menu-open', open);
  if (focus) toggle.focus();
}

function translateShell() {
  const lang = getLang();
  document.documentElement.lang = lang;
  $('skip-link').textContent = t('skip');
  $('brand-title').textContent = t('app.title');
  $('brand-sub').textContent = t('app.subtitle');
  $('footer-text').textContent = t('app.subtitle');
  $('lang-label').textContent = t('lang.label');
  $('nav').setAttribute('aria-label', t('nav.label'));
  $('menu-label').textContent = t('nav.menu');
  for (const button of document.querySelectorAll('.lang-switch button')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === lang));
  }
}

let unreadCount = null;
let unreadAsked = 0;
async function refreshUnread() {
  const asked = ++unreadAsked;
  let count = null;
  try {
    count = (await api('/api/me/notifications?unread=true&limit=1')).unread;
  } catch {
    // no count rather than a stale one
  }
  // two asks in flight (a page change, then a reminder marked read): only the later one's count is current
  if (asked !== unreadAsked) return;
  unreadCount = count;
  renderNav(currentNav);
}

/** The header's parts for a signed-in person (the bar, the phone's menu button), shown or hidden at once. */
function showSignedIn(signedIn) {
  $('nav-bar').hidden = !signedIn;
  $('menu-toggle').hidden = !signedIn;
  document.querySelector('.site-header').classList.toggle('signed-in', signedIn);
}

let currentNav = null;
function renderNav(active) {
  currentNav = active;
  const s = session.get();
  const nav = clear($('nav'));
  showSignedIn(Boolean(s));
  if (!s) return;
  const link = (key, href, name, extra) =>
    h('li', null, h('a', { href, class: 'nav-link', 'aria-current': active === name ? 'page' : undefined, id: `nav-${name}` }, t(key), extra));
  const unread = unreadCount ? h('span', { class: 'count-pill' }, h('span', { 'aria-hidden': 'true' }, String(unreadCount)), h('span', { class: 'visually-hidden' }, ` (${t('nav.unread', { n: unreadCount })})`)) : null;
  nav.append(
    h(
      'ul',
      { class: 'nav-links' },
      link('nav.board', '#/agreements', 'board'),
      EDITORS.includes(s.user?.role) ? link('nav.new', '#/agreements/new', 'new') : null,
      ['signatory', 'drafter', 'admin'].includes(s.user?.role) ? link('nav.signatures', '#/signatures', 'signatures') : null,
      link('nav.notifications', '#/notifications', 'notifications', unread),
      roleNavLinks(s.user?.role, link),
    ),
    h(
      'div',
      { class: 'nav-user' },
      h('span', { class: 'user-name' }, h('span', { class: 'visually-hidden' }, `${t('user.signedInAs')} `), s.user?.name ?? s.user?.email ?? '', ' ', h('span', { class: 'role-tag', id: 'user-role' }, roleLabel(s.user?.role))),
      // the zone every time is shown in, and the way to change it
      h('a', { href: '#/settings', class: 'nav-zone', id: 'nav-settings', 'aria-current': active === 'settings' ? 'page' : undefined }, t('nav.zone', { city: String(s.user?.timezone ?? 'Asia/Jakarta').split('/').pop().replace(/_/g, ' ') })),
      h('button', { type: 'button', class: 'button button-quiet', id: 'logout', onclick: logout }, t('nav.logout')),
    ),
  );
}

async function logout() {
  try {
    await api('/api/auth/logout', { method: 'POST' });
  } catch {
    // the token may already be gone; logging out locally is what matters
  }
  session.clear();
  disconnectLive();
  unreadCount = null;
  navigate('#/login', { flash: { kind: 'info', text: () => t('login.loggedOut') } });
}

/**
 * Renders the page for the current hash. `focusHeading` moves focus to the new page's <h1> (a
 * route change); a language switch keeps focus where it is, the fields' values, and what the page
 * answered the reader (a refusal, in the new language: dom.js `answer`).
 */
const leaving = [];
async function render({ focusHeading = true } = {}) {
  const seq = ++renderSeq;
  // what the page left behind (live subscriptions, what it said in the live region) ends with it
  for (const fn of leaving.splice(0)) fn();
  // a new page closes the phone's menu (a language switch, made in it, keeps it open)
  if (focusHeading) {
    silence();
    setMenu(false);
  }
  // the header takes its signed-in shape before the page's module arrives, so it does not jump after
  showSignedIn(Boolean(session.get()));
  translateShell();
  const { parts, params } = parseHash();
  const signedIn = Boolean(session.get());
  let route = routeFor(parts);
  if (!route && !signedIn) return navigate('#/login');
  // an address that names no page, or a page this role may not use, is said so in words (the
  // board is one link away) instead of a silent jump or a page of forms the API would refuse
  if (!route) route = { name: 'not-found', page: renderNotFound, nav: null };
  const role = session.get()?.user?.role;
  if (signedIn && route.roles && !route.roles.includes(role)) route = { name: 'denied', page: deniedPage(route.name, role), nav: null };
  if (!signedIn && route.name !== 'login') {
    returnTo = location.hash;
    return navigate('#/login');
  }
  if (signedIn && route.name === 'login') return navigate('#/agreements');
  // the page's first API calls leave now, with its module rather than after it
  askAhead(PAGE_REQUESTS[route.module]?.(parts) ?? []);

  // the page's module first, while the previous page still shows: the new one then draws at once
  let page = route.page;
  if (!page) {
    if (route.module) preload(route.module);
    try {
      page = await route.load();
    } catch {
      // the module could not be fetched (a dropped link): say so where the page would be
      if (seq === renderSeq) clear($('main')).append(notice(t('error.network'), 'error'));
      return;
    }
  }
  if (seq !== renderSeq) return;
  renderNav(route.nav);
  const main = $('main');
  const saved = focusHeading ? null : saveFields(main);
  const answers = focusHeading ? null : saveAnswers(main);
  clear(main);
  const message = flash ?? (focusHeading ? null : shownFlash);
  flash = null;
  shownFlash = message;
  const view = {
    main,
    parts,
    params,
    flash: message,
    /** drawn again in the other language: what the page said about the last thing done still holds */
    languageSwitch: !focusHeading,
    /** a notice the page put up or took down in place, without a render: the one a language switch draws again */
    showFlash: (msg) => {
      if (seq === renderSeq) shownFlash = msg ?? null;
    },
    isCurrent: () => seq === renderSeq,
    navigate,
    // a page that has been left says nothing more
    announce: (text) => {
      if (seq === renderSeq) announce(text);
    },
    /** renders the same page again, e.g. after a change, with an optional message on top */
    reload: (msg) => {
      if (msg) flash = msg;
      return render();
    },
    setTitle: (title) => {
      document.title = `${title} · ${t('app.title')}`;
    },
    refreshUnread,
    onLeave: (fn) => leaving.push(fn),
    takeReturnTo: () => {
      const r = returnTo;
      returnTo = null;
      return r;
    },
  };
  // Pages draw their heading before their first await, so it can take focus at once.
  const focusId = focusHeading ? focusNext : null;
  if (focusHeading) focusNext = null;
  const done = page(view);
  if (focusHeading) ((focusId && main.querySelector(`#${CSS.escape(focusId)}`)) || main.querySelector('h1'))?.focus();
  if (saved) restoreFields(main, saved);
  try {
    await done;
  } finally {
    if (saved && seq === renderSeq) restoreFields(main, saved);
    if (answers && seq === renderSeq) restoreAnswers(main, answers);
  }
}

whenUnauthenticated(() => {
  if (parseHash().parts[0] === 'login') return;
  returnTo = location.hash;
  unreadCount = null;
  navigate('#/login', { flash: { kind: 'warning', text: () => t('login.expired') } });
});

for (const button of document.querySelectorAll('.lang-switch button')) {
  button.addEventListener('click', () => {
    if (button.dataset.lang === getLang()) return;
    setLang(button.dataset.lang);
    void render({ focusHeading: false });
    announce(t(`lang.${button.dataset.lang}`));
  });
}

$('menu-toggle').addEventListener('click', () => setMenu($('menu-toggle').getAttribute('aria-expanded') !== 'true'));
// Escape closes the open menu wherever focus is (in it, in the page below it, or nowhere, as after
// a tap in Safari, which does not focus the button), and focus goes back to its button. An Escape
// that something nearer has answered is left to it: a dialog (which closes itself), or a drawer
// that closed and moved focus to its own button (the board's filters).
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape' || event.defaultPrevented || $('menu-toggle').getAttribute('aria-expanded') !== 'true') return;
  const { target } = event;
  if (target.closest?.('dialog')) return;
  if (document.activeElement !== target && !target.closest?.('.site-header')) return;
  setMenu(false, { focus: true });
});

// The skip link must not change the hash: that is the router's.
$('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  $('main').focus();
});

window.addEventListener('hashchange', () => {
  void render();
  if (session.get()) void refreshUnread();
});

void render();
if (session.get()) void refreshUnread();
