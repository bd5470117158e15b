// What each page needs beyond the shell, all the way down its imports. The shell asks for all of
// them at once when the page is first shown (<link rel="modulepreload">) instead of the browser
// finding them one import level after another: one round trip instead of three or four on a
// distant link. test/integration/web.test.ts checks each list is exactly what its page imports.
export const PAGE_MODULES = {
  'pages/board.js': ['feedback.js', 'i18n/board.js', 'i18n/common.js', 'time.js', 'ui.js', 'workflow.js'],
  'pages/detail.js': ['dialog.js', 'feedback.js', 'i18n/common.js', 'i18n/detail.js', 'i18n/form.js', 'index-years.js', 'pages/agreement-form.js', 'pages/detail-documents.js', 'pages/detail-work.js', 'pages/history-event.js', 'time.js', 'ui.js', 'upload.js', 'workflow.js'],
  'pages/agreement-form.js': ['feedback.js', 'i18n/common.js', 'i18n/form.js', 'time.js', 'ui.js', 'workflow.js'],
  'pages/notifications.js': ['feedback.js', 'i18n/common.js', 'i18n/notifications.js', 'time.js', 'ui.js'],
  'pages/signatures.js': ['feedback.js', 'i18n/common.js', 'i18n/signatures.js', 'time.js', 'ui.js'],
  'pages/calendar.js': ['feedback.js', 'i18n/calendar.js', 'i18n/common.js', 'time.js', 'ui.js'],
  'pages/audit.js': ['dialog.js', 'feedback.js', 'i18n/audit.js', 'i18n/common.js', 'i18n/detail.js', 'index-years.js', 'pages/detail-work.js', 'pages/history-event.js', 'time.js', 'ui.js'],
  'pages/admin.js': ['dialog.js', 'feedback.js', 'i18n/admin.js', 'i18n/common.js', 'time.js', 'ui.js'],
  'pages/settings.js': ['feedback.js', 'i18n/common.js', 'i18n/settings.js', 'time.js', 'ui.js'],
  'pages/reports.js': ['feedback.js', 'i18n/common.js', 'i18n/reports.js', 'index-years.js', 'pages/report-import.js', 'time.js', 'ui.js', 'upload.js'],
};

/**
 * What the agreement page asks the API for, the agreement first: the page asks for these, and the
 * shell asks for them too while the page's module is still on its way (the page then takes those
 * answers), so the data and the code cross a distant link together instead of one after the other.
 */
export function agreementRequests(id) {
  const base = `/api/agreements/${encodeURIComponent(id)}`;
  return [base, `${base}/transitions`, `${base}/history`, `${base}/documents`, `${base}/deadlines`];
}

/** The requests the shell makes ahead for a page, from the route's parts. */
export const PAGE_REQUESTS = {
  'pages/detail.js': (parts) => agreementRequests(parts[1]),
};
