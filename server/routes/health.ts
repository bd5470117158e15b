import { Router } from 'express';
import type { AppContext } from '../context.js';

/** Liveness says the process is up; readiness says the database answers, and which one it is. */
export function healthRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  router.get('/readyz', async (_req, res) => {
    const started = Date.now();
    try {
      await ctx.db.ping();
      res.json({ status: 'ready', database: { backend: ctx.db.backend, name: ctx.connection.name, pingMs: Date.now() - started } });
    } catch {
      res.status(503).json({
        error: { code: 'unavailable', message: 'Database not answering / Basis data tidak menjawab', details: { backend: ctx.db.backend } },
      });
    }
  });
  return router;
}
