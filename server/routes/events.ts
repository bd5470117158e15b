import { Router, type Response } from 'express';
import { authenticateToken } from '../../domain/accounts/authenticate-token.js';
import { AppError } from '../../domain/errors.js';
import { AgreementEventFeed, type AgreementEvent, type EventSubscriber } from '../../domain/events/agreement-event-feed.js';
import { bearerToken, requireAuth } from '../http/auth.js';
import type { AppContext } from '../context.js';

/** A comment line now and then keeps proxies and the browser from closing a quiet stream. */
const HEARTBEAT_MS = 25_000;
/** The session is checked again this often, and before every delivery: a logout, an expiry or a disabled account ends the stream. */
const SESSION_CHECK_MS = 30_000;
/** Before a delivery, a session read less than this long ago is taken as it is. */
const RECHECK_MS = 2_000;

/** Writes and pushes it out at once, also through a compressing middleware (which buffers otherwise). */
function push(res: Response, text: string): void {
  res.write(text);
  (res as Response & { flush?: () => void }).flush?.();
}

/**
 * GET /api/events: server-sent events for open pages. Each `change` event names an agreement the
 * listener may read that someone changed (see domain/events/agreement-event-feed.ts); `ready` says
 * changes are being watched. The token goes in the Authorization header (the web client reads the
 * stream with fetch), never in the URL.
 */
export function eventsRouter(ctx: AppContext, feed = new AgreementEventFeed(ctx), options: { sessionCheckMs?: number; recheckMs?: number } = {}): Router {
  const router = Router();

  router.get('/events', requireAuth(ctx), async (req, res) => {
    const token = bearerToken(req);
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    push(res, 'retry: 3000\n\n');

    let closed = false;
    let checkedAt = Date.now();
    const subscriber: EventSubscriber = {
      actor: req.actor,
      send(event: AgreementEvent) {
        if (!closed) push(res, `id: ${event.id}\nevent: change\ndata: ${JSON.stringify(event)}\n\n`);
      },
      refresh: () => recheck(false),
    };
    const recheck = async (force: boolean) => {
      // a burst of changes (an import) re-reads the session once, not once per change
      if (!force && Date.now() - checkedAt < (options.recheckMs ?? RECHECK_MS)) return;
      try {
        subscriber.actor = await authenticateToken(ctx, token);
        checkedAt = Date.now();
      } catch (err) {
        // only a session that is over ends the stream; a database hiccup is tried again next time
        if (!(err instanceof AppError && err.code === 'unauthenticated')) {
          ctx.logger.warn('could not re-read a listener’s session', { err: String(err) });
          return;
        }
        if (!closed) push(res, 'event: end\ndata: {"reason":"session"}\n\n');
        end();
      }
    };
    const timers: NodeJS.Timeout[] = [];
    const feedLeft: { unsubscribe?: () => void } = {};
    const end = () => {
      if (closed) return;
      closed = true;
      timers.forEach(clearInterval);
      feedLeft.unsubscribe?.();
      res.end();
    };
    req.on('close', end);
    res.on('error', end);

    feedLeft.unsubscribe = await feed.subscribe(subscriber);
    if (closed) return feedLeft.unsubscribe();
    push(res, `event: ready\ndata: ${JSON.stringify({ mode: feed.mode })}\n\n`);
    timers.push(
      setInterval(() => push(res, ': ping\n\n'), HEARTBEAT_MS),
      // a quiet stream is checked too, so a logout or an expiry ends it without waiting for a change
      setInterval(() => void recheck(true), options.sessionCheckMs ?? SESSION_CHECK_MS),
    );
  });

  return router;
}
