// The pages of the calendar, the auditor and the administrator, and who sees them in the
// navigation (the API refuses the others anyway: the links only spare people a 403).
import { renderAdmin } from './admin.js';
import { renderAudit } from './audit.js';
import { renderCalendar } from './calendar.js';
import { renderReports } from './reports.js';

export const ROLE_PAGES = {
  calendar: { name: 'calendar', page: renderCalendar, nav: 'calendar' },
  audit: { name: 'audit', page: renderAudit, nav: 'audit' },
  admin: { name: 'admin', page: renderAdmin, nav: 'admin' },
  reports: { name: 'reports', page: renderReports, nav: 'reports' },
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
