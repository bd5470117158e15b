import crypto from 'node:crypto';
import type { Config } from '../lib/config.js';

export interface WebhookResult {
  /** true only for a 2xx answer */
  ok: boolean;
  status?: number;
  error?: string;
}

/** Posts signed JSON to the configured URL (WEBHOOK_URL / WEBHOOK_SECRET). */
export interface WebhookSender {
  readonly configured: boolean;
  post(payload: Record<string, unknown>, deliveryId: string): Promise<WebhookResult>;
}

export const SIGNATURE_HEADER = 'X-Signature-SHA256';

/** `sha256=<hex HMAC-SHA256 of the raw body>`: receivers recompute it over the exact bytes they got. */
export function signWebhookBody(secret: string, body: string): string {
  return 'sha256=' + crypto.createHmac('sha256', secret).update(body, 'utf8').digest('hex');
}

export function createWebhookSender(config: Readonly<Config>, timeoutMs = 10_000): WebhookSender {
  const { webhookUrl, webhookSecret } = config.reminders;
  if (!webhookUrl || !webhookSecret) {
    return { configured: false, post: async () => ({ ok: false, error: 'no webhook configured' }) };
  }
  return {
    configured: true,
    async post(payload, deliveryId) {
      const body = JSON.stringify(payload);
      try {
        const res = await fetch(webhookUrl, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'User-Agent': 'pwni-agreement-tracker',
            [SIGNATURE_HEADER]: signWebhookBody(webhookSecret, body),
            // the same id on every retry, so the receiver can drop repeats
            'X-Delivery-Id': deliveryId,
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        // Drain the body so the connection is released.
        await res.arrayBuffer().catch(() => undefined);
        return res.status >= 200 && res.status < 300 ? { ok: true, status: res.status } : { ok: false, status: res.status, error: `HTTP ${res.status}` };
      } catch (err: any) {
        return { ok: false, error: String(err?.cause?.code ?? err?.name ?? err) };
      }
    },
  };
}
