import crypto from 'node:crypto';
import type { DomainContext } from '../context.js';
import { deliverWebhookEvents } from './deliver-webhook-events.js';

/**
 * The state of this instance's after-commit delivery runs: at most one at a time; a change
 * committed during a run asks for one more run, so nothing waits for the next sweep.
 */
export class WebhookDispatch {
  running: Promise<void> | null = null;
  again = false;
  closed = false;
  readonly owner = `${process.pid}:${crypto.randomBytes(4).toString('hex')}`;

  /** Stops new runs and waits for the current one, so nothing writes after the database closes. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running;
  }
}

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
