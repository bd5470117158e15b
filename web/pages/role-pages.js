// The pages of the calendar, the auditor and the administrator, and who sees them in the
// navigation (the API refuses the others anyway: the links only spare people a 403).
// Each module is fetched the first time its page is shown (see routeFor in app.js).
export const ROLE_PAGES = {
  calendar: { name: 'calendar', module: 'pages/calendar.js', load: () => import('./calendar.js').then((m) => m.renderCalendar), nav: 'calendar' },
  audit: { name: 'audit', module: 'pages/audit.js', load: () => import('./audit.js').then((m) => m.renderAudit), nav: 'audit' },
  admin: { name: 'admin', module: 'pages/admin.js', load: () => import('./admin.js').then((m) => m.renderAdmin), nav: 'admin' },
  settings: { name: 'settings', module: 'pages/settings.js', load: () => import('./settings.js').then((m) => m.renderSettings), nav: 'settings' },
  reports: { name: 'reports', module: 'pages/reports.js', load: () => import('./reports.js').then((m) => m.renderReports), nav: 'reports' },
};

/** The navigation links for a role, built with the shell's own `link` helper. */
export function roleNavLinks(role, link) {
  return [
    link('nav.calendar', '#/calendar', 'calendar'),
    link('nav.reports', '#/reports', 'reports'),
    role === 'auditor' || role === 'admin' ? link('nav.audit', '#/audit', 'audit') : null,
    role === 'admin' ? link('nav.admin', '#/admin', 'admin') : null,
  ];
}
