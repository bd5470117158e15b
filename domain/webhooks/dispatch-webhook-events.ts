import type { DomainContext } from '../context.js';
import { deliverWebhookEvents } from './deliver-webhook-events.js';

/**
 * Called by a use case after its transaction committed events to the outbox: posts them now, in
 * the background (the request does not wait for the receiver). A failure here is retried by the
 * next run or by the reminder sweep, which delivers due events too.
 */
export function dispatchWebhookEvents(ctx: DomainContext): void {
  const state = ctx.services.webhookDispatch;
  if (!ctx.services.webhook.configured || state.closed) return;
  if (state.running) {
    state.again = true;
    return;
  }
  state.running = (async () => {
    do {
      state.again = false;
      await deliverWebhookEvents(ctx, { owner: state.owner });
    } while (state.again && !state.closed);
  })()
    .catch((err: unknown) => ctx.logger.error('webhook delivery run failed; the next run or sweep retries', { err: String(err) }))
    .finally(() => {
      state.running = null;
    });
}
