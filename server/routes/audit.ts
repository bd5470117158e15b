import { Router } from 'express';
import Joi from 'joi';
import { withStoredSpellings } from '../../domain/agreements/stored-spelling.js';
import { HISTORY_ACTIONS } from '../../domain/history/append-history-event.js';
import { listPeriodHistory, type PeriodHistoryQuery } from '../../domain/history/list-period-history.js';
import { verifyAllHistories } from '../../domain/history/verify-all-histories.js';
import { requireAuth, requirePermission } from '../http/auth.js';
import { calendarDay, validate } from '../http/validate.js';
import { reportFilters } from './reports.js';
import type { AppContext } from '../context.js';

const periodQuery = Joi.object({
  from: calendarDay().required(),
  to: calendarDay().required(),
  action: Joi.string().valid(...HISTORY_ACTIONS),
  leadUnit: reportFilters.leadUnit,
  limit: Joi.number().integer().min(1).max(200).default(50),
  offset: Joi.number().integer().min(0).max(1_000_000).default(0),
});

/** Whole-registry audit: every history chain the caller may see, recomputed at once, and what happened in a period. */
export function auditRouter(ctx: AppContext): Router {
  const router = Router();
  const auth = [requireAuth(ctx), requirePermission('auditRegistry')];

  router.get('/history/verify', ...auth, async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await verifyAllHistories(ctx, req.actor));
  });

  router.get('/history', ...auth, validate({ query: periodQuery }), async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await listPeriodHistory(ctx, req.actor, await withStoredSpellings(ctx, req.actor, req.valid.query as PeriodHistoryQuery)));
  });

  return router;
}
