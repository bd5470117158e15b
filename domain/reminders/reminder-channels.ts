import type { DomainContext } from '../context.js';

export interface ReminderChannels {
  /** e-mail goes out only through an SMTP server; without one it is written to the log instead */
  email: { live: boolean; transport: 'smtp' | 'log'; note: { id: string; en: string } };
  webhook: { live: boolean; note: { id: string; en: string } };
  /** always: every reminder is listed for its recipient at GET /api/me/notifications */
  inApp: { live: true };
  /** whether this instance runs the scheduled sweep */
  sweep: { scheduled: boolean; cron: string };
}

/** Which channels actually deliver reminders in this instance, so an admin sees at a glance what "sent" can mean. */
export function reminderChannels(ctx: Pick<DomainContext, 'config' | 'services'>): ReminderChannels {
  const smtp = ctx.services.mailer.transport === 'smtp';
  const webhook = ctx.services.webhook.configured;
  return {
    email: {
      live: smtp,
      transport: smtp ? 'smtp' : 'log',
      note: smtp
        ? { id: 'E-mail dikirim melalui server SMTP.', en: 'E-mail is sent through the SMTP server.' }
        : {
            id: 'E-mail tidak dikirim: SMTP_HOST belum diatur. Pengingat hanya dicatat di log dan kotak notifikasi aplikasi.',
            en: 'E-mail is not sent: SMTP_HOST is not set. Reminders are only written to the log and the in-app inbox.',
          },
    },
    webhook: {
      live: webhook,
      note: webhook
        ? { id: 'Webhook dikirim ke WEBHOOK_URL dengan tanda tangan HMAC.', en: 'Webhooks are posted to WEBHOOK_URL, signed with HMAC.' }
        : { id: 'Webhook tidak aktif: WEBHOOK_URL dan WEBHOOK_SECRET belum diatur.', en: 'Webhooks are off: WEBHOOK_URL and WEBHOOK_SECRET are not set.' },
    },
    inApp: { live: true },
    sweep: { scheduled: ctx.config.reminders.enabled, cron: ctx.config.reminders.cron },
  };
}
