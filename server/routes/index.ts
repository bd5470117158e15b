import { Router } from 'express';
import type { AppContext } from '../context.js';

/** Every /api router, mounted in one place. Each area adds its router here. */
export function apiRouter(_ctx: AppContext): Router {
  const router = Router();
  return router;
}
