import type { AppContext } from './context.js';
import { ConfigError } from '../lib/config.js';
import { passwordReasonText, passwordRefusal } from '../domain/accounts/password-policy.js';
import { scheduleReminderSweeps } from '../domain/reminders/schedule-reminder-sweeps.js';
import { ensureConfiguredAdmin } from '../domain/accounts/ensure-configured-admin.js';
import { createDemoUsers, demoLoginsStillValid } from '../domain/accounts/create-demo-users.js';
import { loadDemoData } from '../domain/demo/load-demo-data.js';
import { backfillSearchTerms } from '../domain/agreements/backfill-search-terms.js';
import { backfillHistoryLeadUnit } from '../domain/history/backfill-history-lead-unit.js';
import { backfillSigningDeadlines } from '../domain/deadlines/backfill-signing-deadlines.js';
import { backfillAgreementTexts } from '../domain/agreements/backfill-agreement-texts.js';
import { ensureShippedIndices } from '../domain/indices/shipped-indices.js';

/** What runs between connecting and listening, and what must stop on shutdown. */
export interface StartupHandle {
  /** prints what a person starting the service needs to know (URL, demo logins) */
  announce(port: number, write?: (text: string) => void): void;
  /** settles when the work started in the background (the text search backfill) has ended */
  background: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The zero-config start: no MONGODB_URI (so the embedded database, or a local mongod found by
 * mongodb-memory-server) and demo data not switched off. Only then are demo accounts and
 * agreements loaded, and only into an empty database.
 */
export function isDemoStart(ctx: AppContext): boolean {
  return ctx.db.backend !== 'mongodb' && ctx.config.demoData;
}

/**
 * ADMIN_PASSWORD follows the password rule of every account: a refused one stops start-up with
 * the reason, naming the setting (before any account is created from it).
 */
export function checkConfiguredAdminPassword(config: Pick<AppContext['config'], 'adminEmail' | 'adminPassword'>): void {
  if (!config.adminPassword) return;
  const reason = passwordRefusal(config.adminPassword, { email: config.adminEmail, name: 'Administrator' });
  if (reason) throw new ConfigError(`Invalid configuration:\n  ADMIN_PASSWORD: ${passwordReasonText(reason)}`);
}

export async function runStartupTasks(ctx: AppContext): Promise<StartupHandle> {
  checkConfiguredAdminPassword(ctx.config);
  const lines: string[] = [];
  const stops: Array<() => Promise<void> | void> = [];

  // Accounts. Counted before the configured admin is created: that admin alone is no reason to skip the demo.
  const noUsersYet = !(await ctx.models.User.exists({}));
  const admin = await ensureConfiguredAdmin(ctx);
  if (admin.created) lines.push(`Created the first admin ${ctx.config.adminEmail} (from ADMIN_EMAIL)`);
  if (isDemoStart(ctx)) {
    if (noUsersYet) await createDemoUsers(ctx);
    const logins = await demoLoginsStillValid(ctx);
    if (logins.length > 0) {
      lines.push('Demo logins (POST /api/auth/login { email, password }):');
      for (const u of logins) lines.push(`  ${u.role.padEnd(9)} ${u.email.padEnd(28)} ${u.password}${u.unit === 'PWNI' ? '' : `  (unit ${u.unit})`}`);
    }
  }

  // Agreements stored before free-text search had its index fields get them (once per database).
  const backfilled = await backfillSearchTerms(ctx);
  if (backfilled > 0) lines.push(`Prepared ${backfilled} agreements for free-text search`);
  // History events stored before they carried their agreement's lead unit get it (once per database).
  const unitCopies = await backfillHistoryLeadUnit(ctx);
  if (unitCopies > 0) lines.push(`Gave ${unitCopies} history events their agreement's lead unit, for the lead units' reports`);

  // The performance indices of the 2022 report, as shipped data (admins rename or retire them later).
  await ensureShippedIndices(ctx);

  // Agreements: the 2022 report's instruments, once, and only into a database without agreements.
  if (isDemoStart(ctx)) {
    const demo = await loadDemoData(ctx);
    if (demo.loaded) lines.push(`Loaded ${demo.agreements} demo agreements (DEMO_DATA=false to start empty)`);
  }

  // Agreements awaiting signature in a database older than signing deadlines get theirs (once per database).
  await backfillSigningDeadlines(ctx);

  // Reminders: a sweep on REMINDER_CRON; each sweep also catches up what was missed while the process was down.
  if (ctx.config.reminders.enabled) {
    stops.push(scheduleReminderSweeps(ctx));
    const mail = ctx.services.mailer.transport === 'smtp' ? `SMTP ${ctx.config.smtp.host}:${ctx.config.smtp.port}` : 'no SMTP_HOST: reminders go to the log and GET /api/me/notifications';
    lines.push(`Reminder sweep on '${ctx.config.reminders.cron}' (${mail})`);
  }

  // Versions and comments stored before text search become searchable (once per database). In the
  // background: reading an archive's PDFs may take minutes, and listening and /readyz never wait for it.
  let stopping = false;
  const background = backfillAgreementTexts(ctx, { stopped: () => stopping })
    .then((r) => {
      if (r && r.documents + r.comments + r.failed > 0) ctx.logger.info('text search backfill finished: earlier versions and comments are searchable', { ...r });
    })
    .catch((err: unknown) => ctx.logger.error('text search backfill failed; the next start goes on with it', { err: String((err as Error)?.stack ?? err) }));
  stops.push(async () => {
    stopping = true;
    await background;
  });

  return {
    background,
    announce(port, write = (text) => process.stdout.write(text)) {
      const out = [`Agreement tracker listening on http://localhost:${port} (database: ${ctx.db.backend})`, ...lines];
      write(out.join('\n') + '\n');
    },
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}
