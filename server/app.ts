import zlib from 'node:zlib';
import compression from 'compression';
import express from 'express';
import type { AppContext } from './context.js';
import { errorHandler, notFoundHandler } from './http/error-handler.js';
import { checkTextInput, noteUndecodableBody } from './http/text-input.js';
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
  // Served at an https address (behind a TLS proxy), browsers are told to come back only over
  // https: a first visit typed as http could otherwise be intercepted with the login on it.
  const https = ctx.config.publicUrl.startsWith('https://');
  app.use((_req, res, next) => {
    if (https) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  });
  app.use(compressText());
  app.use('/api', (_req, res, next) => {
    // API answers carry one user's view: only the browser may keep them, and must ask again
    // (with the ETag Express sends, so an unchanged answer costs a 304 and no body)
    res.setHeader('Cache-Control', 'private, no-cache');
    next();
  });
  app.use(express.json({ limit: ctx.config.bodyLimit, strict: true, verify: noteUndecodableBody }));
  app.use(checkTextInput);
  app.use(healthRouter(ctx));
  app.use('/api', apiRouter(ctx));
  // the browser interface (web/): after /api, before the JSON 404
  app.use(webRouter());
  app.use(notFoundHandler);
  app.use(errorHandler(ctx.logger));
  return app;
}

/**
 * gzip or brotli for every text answer (pages, scripts, JSON, CSV, calendars): a board list of
 * 10 KB crosses a mission's slow link as about 2 KB. Brotli at quality 5 rather than the default
 * 11, which costs tens of milliseconds per response for a few per cent less. Event streams are
 * left alone (they must reach the browser as each event is written), and so are PDFs (already
 * compressed, and ranges must address the stored bytes).
 */
function compressText(): express.RequestHandler {
  return compression({
    brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } },
    filter: (req, res) => {
      const type = String(res.getHeader('Content-Type') ?? '');
      if (type.startsWith('text/event-stream')) return false;
      return compression.filter(req, res);
    },
  });
}
