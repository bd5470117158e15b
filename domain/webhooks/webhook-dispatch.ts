import crypto from 'node:crypto';

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
