import { Router } from 'express';
import type { AppContext } from '../context.js';
import { reminderChannels } from '../../domain/reminders/reminder-channels.js';

/** A probe that hangs is worse than one that fails: mongoose would buffer the ping for 10 s on a closed connection. */
const READY_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Liveness says the process is up; readiness says the database answers, which one it is, and which reminder channels deliver. */
export function healthRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  router.get('/readyz', async (_req, res) => {
    const started = Date.now();
    try {
      await withTimeout(ctx.db.ping(), READY_TIMEOUT_MS);
      // Which reminder channels deliver, so a supervisor (or an admin) sees when e-mail is only logged.
      const channels = reminderChannels(ctx);
      res.json({
        status: 'ready',
        database: { backend: ctx.db.backend, name: ctx.connection.name, pingMs: Date.now() - started },
        reminders: { email: channels.email.transport, webhook: channels.webhook.live, inApp: true, sweepScheduled: channels.sweep.scheduled },
      });
    } catch {
      res.status(503).json({
        error: { code: 'unavailable', message: 'Database not answering / Basis data tidak menjawab', details: { backend: ctx.db.backend } },
      });
    }
  });
  return router;
}
