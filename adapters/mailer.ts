import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../lib/config.js';
import type { Logger } from '../lib/logger.js';
import type { EmailMessage } from '../models/reminder-delivery.js';

export interface MailResult {
  /** true only when the SMTP server accepted the message */
  accepted: boolean;
  /** true when there is no SMTP server to send to and the message was written to the log instead */
  logged?: boolean;
  transport: 'smtp' | 'log';
  /** SMTP reply code of the refusal, when there was one */
  code?: number;
  response?: string;
  messageId?: string;
  error?: string;
}

/** Sends reminder e-mails. Never throws for a refusal: the result says what happened. */
export interface Mailer {
  /** 'log' when no SMTP_HOST is configured: messages go to the log (and the in-app list) only */
  readonly transport: 'smtp' | 'log';
  send(message: EmailMessage): Promise<MailResult>;
  close(): Promise<void>;
}

/** nodemailer over SMTP when SMTP_HOST is set; otherwise a logger-backed stand-in. */
export function createMailer(config: Readonly<Config>, logger: Logger): Mailer {
  const smtp = config.smtp;
  if (!smtp.host) {
    return {
      transport: 'log',
      async send(message) {
        // Without SMTP the reminder still exists in-app (GET /api/me/notifications) and here.
        logger.info('reminder e-mail not sent: no SMTP_HOST configured', { to: message.to, subject: message.subject });
        return { accepted: false, logged: true, transport: 'log' };
      },
      async close() {},
    };
  }
  const transporter: Transporter = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    auth: smtp.user ? { user: smtp.user, pass: smtp.pass ?? '' } : undefined,
    // A pool keeps a few connections open so a sweep of many reminders does not pay a
    // handshake per message.
    pool: true,
    maxConnections: 5,
    maxMessages: 500,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    transport: 'smtp',
    async send(message) {
      try {
        const info = await transporter.sendMail({
          from: smtp.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          attachments: message.ics
            ? [{ filename: message.icsFilename, content: message.ics, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' }]
            : [],
        });
        const accepted = (info.accepted ?? []).map(String).map((a) => a.toLowerCase());
        const ok = accepted.includes(message.to.toLowerCase()) && (info.rejected ?? []).length === 0;
        return ok
          ? { accepted: true, transport: 'smtp', response: info.response, messageId: info.messageId }
          : { accepted: false, transport: 'smtp', response: info.response, error: `recipient not accepted: ${info.response}` };
      } catch (err: any) {
        return { accepted: false, transport: 'smtp', code: typeof err?.responseCode === 'number' ? err.responseCode : undefined, error: String(err?.message ?? err) };
      }
    },
    async close() {
      transporter.close();
    },
  };
}
