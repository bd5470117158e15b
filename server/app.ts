import express from 'express';
import type { AppContext } from './context.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { healthRouter } from './routes/health.js';
import { apiRouter } from './routes/index.js';
import { webRouter } from './routes/web.js';

/** Builds the Express app without listening, so tests drive it with supertest on a real database. */
export function createApp(ctx: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.trustProxy);
  // 'simple' keeps ?a[$ne]=1 as the literal key "a[$ne]": no objects from query strings.
  app.set('query parser', 'simple');
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  });
  app.use(express.json({ limit: ctx.config.bodyLimit, strict: true }));
  app.use(healthRouter(ctx));
  app.use('/api', apiRouter(ctx));
  // the browser interface (web/): after /api, before the JSON 404
  app.use(webRouter());
  app.use(notFoundHandler);
  app.use(errorHandler(ctx.logger));
  return app;
}
