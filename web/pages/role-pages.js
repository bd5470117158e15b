// The pages of the calendar, the auditor and the administrator, and who sees them in the
// navigation (the API refuses the others anyway; a role that types the address is shown a page
// saying who the page is for, not its forms).
// Each module is fetched the first time its page is shown (see routeFor in app.js).
export const ROLE_PAGES = {
  calendar: { name: 'calendar', module: 'pages/calendar.js', load: () => import('./calendar.js').then((m) => m.renderCalendar), nav: 'calendar' },
  // `roles`: who may open the page; the shell tells anyone else so, without loading it
  audit: { name: 'audit', module: 'pages/audit.js', load: () => import('./audit.js').then((m) => m.renderAudit), nav: 'audit', roles: ['auditor', 'admin'] },
  admin: { name: 'admin', module: 'pages/admin.js', load: () => import('./admin.js').then((m) => m.renderAdmin), nav: 'admin', roles: ['admin'] },
  settings: { name: 'settings', module: 'pages/settings.js', load: () => import('./settings.js').then((m) => m.renderSettings), nav: 'settings' },
  reports: { name: 'reports', module: 'pages/reports.js', load: () => import('./reports.js').then((m) => m.renderReports), nav: 'reports' },
};

/** The navigation links for a role, built with the shell's own `link` helper. */
export function roleNavLinks(role, link) {
  return [
    link('nav.calendar', '#/calendar', 'calendar'),
    link('nav.reports', '#/reports', 'reports'),
    ROLE_PAGES.audit.roles.includes(role) ? link('nav.audit', '#/audit', 'audit') : null,
    ROLE_PAGES.admin.roles.includes(role) ? link('nav.admin', '#/admin', 'admin') : null,
  ];
}
