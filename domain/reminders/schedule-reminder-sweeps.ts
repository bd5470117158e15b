import cron from 'node-cron';
import type { DomainContext } from '../context.js';
import { sweepReminders } from './sweep-reminders.js';

/**
 * Runs a sweep on REMINDER_CRON (default every 5 minutes). node-cron persists nothing; the sweep
 * itself catches up (the latest missed slot of each deadline), so a run lost while the process
 * was down costs nothing. noOverlap: a slow sweep is never started twice in one process; the
 * MongoDB lease does the same across processes. Returns a stop function.
 */
export function scheduleReminderSweeps(ctx: DomainContext): () => Promise<void> {
  const task = cron.createTask(
    ctx.config.reminders.cron,
    async () => {
      try {
        await sweepReminders(ctx);
      } catch (err: any) {
        ctx.logger.error('reminder sweep failed', { err: String(err?.stack ?? err) });
      }
    },
    { name: 'reminder-sweep', noOverlap: true },
  );
  void task.start();
  return async () => {
    await task.stop();
    await task.destroy();
  };
}
