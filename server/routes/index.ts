import { Router } from 'express';
import type { AppContext } from '../context.js';
import { authRouter } from './auth.js';
import { usersRouter } from './users.js';
import { openapiRouter } from './openapi.js';
import { agreementsRouter } from './agreements.js';
import { deadlinesRouter } from './deadlines.js';
import { remindersRouter } from './reminders.js';
import { calendarRouter } from './calendar.js';
import { documentsRouter } from './documents.js';
import { eventsRouter } from './events.js';
import { auditRouter } from './audit.js';
import { reportsRouter } from './reports.js';
import { importsRouter } from './imports.js';

/** Every /api router, mounted in one place. Each area adds its router here. */
export function apiRouter(ctx: AppContext): Router {
  const router = Router();
  // The agreements router first: it takes most requests, and each router before it costs every request a walk.
  router.use(agreementsRouter(ctx));
  router.use(openapiRouter(ctx));
  router.use(authRouter(ctx));
  router.use(usersRouter(ctx));
  router.use(deadlinesRouter(ctx));
  router.use(remindersRouter(ctx));
  router.use(calendarRouter(ctx));
  router.use(documentsRouter(ctx));
  router.use(eventsRouter(ctx));
  router.use(auditRouter(ctx));
  router.use(reportsRouter(ctx));
  router.use(importsRouter(ctx));
  return router;
}
