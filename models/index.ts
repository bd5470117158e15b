import type { Connection } from 'mongoose';
import { userModel } from './user.js';
import { authTokenModel } from './auth-token.js';
import { loginAttemptModel } from './login-attempt.js';
import { agreementModel } from './agreement.js';
import { historyEventModel } from './history-event.js';
import { counterModel } from './counter.js';
import { deadlineModel } from './deadline.js';
import { reminderDeliveryModel } from './reminder-delivery.js';
import { sweepLeaseModel } from './sweep-lease.js';
import { notificationModel } from './notification.js';
import { calendarTokenModel } from './calendar-token.js';
import { holidayModel } from './holiday.js';
import { escalationContactModel } from './escalation-contact.js';
import { documentModel } from './document.js';
import { agreementTextModel } from './agreement-text.js';
import { performanceIndexModel } from './performance-index.js';
import { importJobModel } from './import-job.js';
import { webhookEventModel } from './webhook-event.js';
import { reminderSettingsModel } from './reminder-settings.js';

/**
 * Models are bound to a connection rather than to mongoose's global default, so that tests can
 * run two service instances against one database (e.g. two reminder sweeps racing).
 * Each area adds its models here.
 */
export function createModels(conn: Connection) {
  return {
    connection: conn,
    User: userModel(conn),
    AuthToken: authTokenModel(conn),
    LoginAttempt: loginAttemptModel(conn),
    Agreement: agreementModel(conn),
    HistoryEvent: historyEventModel(conn),
    Counter: counterModel(conn),
    Deadline: deadlineModel(conn),
    ReminderDelivery: reminderDeliveryModel(conn),
    SweepLease: sweepLeaseModel(conn),
    Notification: notificationModel(conn),
    CalendarToken: calendarTokenModel(conn),
    Holiday: holidayModel(conn),
    EscalationContact: escalationContactModel(conn),
    Document: documentModel(conn),
    AgreementText: agreementTextModel(conn),
    PerformanceIndex: performanceIndexModel(conn),
    ImportJob: importJobModel(conn),
    WebhookEvent: webhookEventModel(conn),
    ReminderSettings: reminderSettingsModel(conn),
  };
}

export type Models = ReturnType<typeof createModels>;

export { reconcileIndexes, IndexReconcileError, type IndexChanges } from './reconcile-indexes.js';
