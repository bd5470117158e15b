import { Router } from 'express';
import { verifyAllHistories } from '../../domain/history/verify-all-histories.js';
import { requireAuth, requirePermission } from '../http/auth.js';
import type { AppContext } from '../context.js';

/** Whole-registry audit: every history chain the caller may see, recomputed at once. */
export function auditRouter(ctx: AppContext): Router {
  const router = Router();

  router.get('/history/verify', requireAuth(ctx), requirePermission('auditRegistry'), async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await verifyAllHistories(ctx, req.actor));
  });

  return router;
}
