// The signed-in person's in-app reminders (GET /api/me/notifications), newest first.
import { api, query } from '../api.js';
import { clear, h } from '../dom.js';
import { getLang, splitBilingual } from '../i18n.js';
import { t } from '../i18n/notifications.js';
import { badge, errorBox, loading, time } from '../ui.js';

const PAGE_SIZE = 20;

/**
 * A reminder's subject reads "Indonesian / English"; its text has the Indonesian lines, a "---"
 * line, then the English lines and the slot name.
 */
function inLanguage(n, lang) {
  const subject = splitBilingual(n.subject, 'id')[lang];
  const [idText, enText = idText] = String(n.text ?? '').split(/\n-{3,}\n/);
  const text = (lang === 'id' ? idText : enText).replace(/\n*\([\w-]+\)\s*$/, '').trim();
  // "Perjanjian: CODE — title" / "Agreement: CODE — title": the English subject has no code
  const agreement = text.split('\n').find((line) => /^(Perjanjian|Agreement):/.test(line));
  return { subject, text, agreement: agreement?.replace(/^(Perjanjian|Agreement):\s*/, '') };
}

export async function renderNotifications(view) {
  view.setTitle(t('notif.title'));
  const unreadOnly = view.params.get('unread') === 'true';
  const offset = Math.max(0, Number.parseInt(view.params.get('offset') ?? '0', 10) || 0);
  const body = h('div', { id: 'notifications', 'aria-busy': 'true' }, loading());
  const filterLink = (only, label) =>
    h('a', { href: `#/notifications${query({ unread: only ? 'true' : '' })}`, class: 'tab', 'aria-current': unreadOnly === only ? 'true' : undefined }, label);

  view.main.append(
    h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, t('notif.title')), h('p', { class: 'muted' }, t('notif.intro'))),
    h('nav', { class: 'tabs', 'aria-label': t('notif.title') }, filterLink(false, t('board.all')), filterLink(true, t('notif.unreadOnly'))),
    body,
  );

  let res;
  try {
    res = await api(`/api/me/notifications${query({ unread: unreadOnly ? 'true' : '', limit: PAGE_SIZE, offset })}`);
  } catch (err) {
    if (view.isCurrent()) clear(body).append(errorBox(err));
    return;
  } finally {
    body.setAttribute('aria-busy', 'false');
  }
  if (!view.isCurrent()) return;
  clear(body);
  // "of N" counts the list shown: under "Unread only" that is the unread ones, so it says only those
  const counted = (unread) => (unreadOnly ? t('notif.summaryUnread', { unread }) : t('notif.summary', { unread, total: res.total }));
  const summary = h('p', { class: 'summary', id: 'notif-summary' }, counted(res.unread));
  // the count follows each "mark as read" on this page, as the navigation's badge does
  let unread = res.unread;
  const markedRead = () => {
    unread = Math.max(0, unread - 1);
    summary.textContent = counted(unread);
  };
  body.append(summary);
  if (res.items.length === 0) {
    body.append(h('p', { class: 'empty card' }, t(unreadOnly ? 'notif.noneUnread' : 'notif.none')));
    return;
  }
  body.append(h('ul', { class: 'notif-list' }, res.items.map((n) => item(view, n, markedRead))));
  if (res.total > PAGE_SIZE) {
    const page = (o, label) => (o === null ? null : h('a', { class: 'button', href: `#/notifications${query({ unread: unreadOnly ? 'true' : '', offset: o || '' })}` }, label));
    body.append(
      h(
        'nav',
        { class: 'pagination', 'aria-label': t('page.label') },
        h('p', { class: 'page-status' }, t('page.status', { from: offset + 1, to: offset + res.items.length, total: res.total })),
        h('div', { class: 'page-links' }, page(offset > 0 ? Math.max(0, offset - PAGE_SIZE) : null, t('page.prev')), page(offset + PAGE_SIZE < res.total ? offset + PAGE_SIZE : null, t('page.next'))),
      ),
    );
  }
}

function item(view, n, markedRead) {
  const { subject, text, agreement } = inLanguage(n, getLang());
  const headingId = `notif-${n.id}`;
  const state = h('span', { class: 'notif-state' }, n.readAt ? badge(t('notif.read'), 'neutral') : badge(t('notif.unread'), 'info'));
  /** Marks this reminder read, once, by its button or by following its link, and shows it read here and in the header. */
  let marking = null;
  const markAsRead = () => {
    marking ??= api(`/api/me/notifications/${encodeURIComponent(n.id)}/read`, { method: 'POST' }).then(
      () => {
        // still drawn after a middle click, which leaves the reader on this page
        markRead?.replaceWith(h('span', { class: 'muted' }, t('notif.read')));
        state.replaceChildren(badge(t('notif.read'), 'neutral'));
        state.closest('li')?.classList.remove('notif-unread');
        markedRead();
        // following the link changed the page, whose count of the header was asked before this was recorded
        void view.refreshUnread();
      },
      (err) => {
        marking = null;
        throw err;
      },
    );
    return marking;
  };
  // Following the link is acting on the reminder. The request is not waited for: the agreement
  // opens at once, and should it fail, the reminder is simply still unread on the next visit.
  const followed = () => void markAsRead().catch(() => {});
  const open = h(
    'a',
    {
      href: `#/agreements/${encodeURIComponent(n.agreementId)}`,
      class: 'button button-small',
      'aria-describedby': headingId,
      // a click, with Ctrl or Shift for another tab, and Enter; the middle button opens another tab without one
      onclick: n.readAt ? undefined : followed,
      onauxclick: n.readAt ? undefined : (event) => event.button === 1 && followed(),
    },
    t('notif.open'),
  );
  // where a refusal to mark it read is said, named by the reminder: a language switch says it again there
  const said = h('div', { class: 'notif-said', id: `notif-said-${n.id}` });
  const markRead = n.readAt
    ? null
    : h(
        'button',
        {
          type: 'button',
          class: 'button button-small',
          'aria-describedby': headingId,
          onclick: async (event) => {
            const button = event.currentTarget;
            // the button is disabled, then goes: focus would fall to the page. It stays in this
            // reminder, on its link, and Tab goes on to the next reminder.
            const hadFocus = document.activeElement === button;
            button.disabled = true;
            clear(said);
            try {
              await markAsRead();
              if (hadFocus) open.focus();
              view.announce(t('notif.read'));
            } catch (err) {
              button.disabled = false;
              if (hadFocus) button.focus();
              said.append(errorBox(err));
            }
          },
        },
        t('notif.markRead'),
      );
  return h(
    'li',
    { class: ['card', 'notif', !n.readAt && 'notif-unread'], dataset: { id: n.id } },
    h('h2', { id: headingId, class: 'notif-subject' }, subject),
    agreement ? h('p', { class: 'notif-agreement' }, agreement) : null,
    h(
      'p',
      { class: 'notif-meta' },
      state,
      n.escalation ? [' ', badge(t('notif.escalation'), 'danger')] : null,
      h('span', null, `${t('notif.due')}: `, time(n.dueAt, true)),
      h('span', null, `${t('notif.received')}: `, time(n.createdAt, true)),
    ),
    h('details', null, h('summary', null, t('notif.details')), h('pre', { class: 'notif-text' }, text)),
    h('div', { class: 'notif-actions' }, open, markRead),
    said,
  );
}
