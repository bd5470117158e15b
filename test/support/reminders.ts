import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  /** the decoded text/calendar attachment, when there is one */
  ics: string | null;
  /** the decoded text/plain part (quoted-printable or base64, as the mailer chose) */
  text: string;
}

/**
 * A real SMTP server on 127.0.0.1 for tests. `refuseNext(n, code)` makes it refuse the next n
 * messages at the end of DATA (as a busy or broken relay would), then accept again.
 */
export async function startSmtpServer() {
  const received: ReceivedMail[] = [];
  let refusals = 0;
  let refusalCode = 451;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refusals > 0) {
          refusals--;
          const err = Object.assign(new Error('Mailbox busy, try again later'), { responseCode: refusalCode });
          return callback(err);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          raw,
          subject: header(raw, 'Subject'),
          ics: calendarPart(raw),
          text: textPart(raw),
        });
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = ((server as any).server.address() as AddressInfo).port;
  return {
    port,
    received,
    refuseNext(n: number, code = 451) {
      refusals = n;
      refusalCode = code;
    },
    to(email: string) {
      return received.filter((m) => m.to.includes(email.toLowerCase()));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An unfolded header, with RFC 2047 encoded words decoded. */
function header(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(name.toLowerCase() + ':'));
  if (!line) return '';
  return line
    .slice(name.length + 1)
    .trim()
    .replace(/=\?utf-8\?([BQ])\?([^?]*)\?=\s*/gi, (_m, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    );
}

/** The text/plain part of a MIME message, decoded to UTF-8. */
function textPart(raw: string): string {
  const m = /Content-Type: text\/plain[^\r\n]*\r?\n((?:[^\r\n]+\r?\n)*)\r?\n/i.exec(raw);
  if (!m) return '';
  const headers = m[1];
  const rest = raw.slice(m.index + m[0].length);
  // The part ends at the next MIME boundary (the text itself may hold a line of dashes).
  const boundaries = [...raw.matchAll(/boundary="?([^";\r\n]+)"?/gi)].map((b) => `--${b[1]}`);
  const end = Math.min(...boundaries.map((b) => rest.indexOf(b)).filter((i) => i >= 0), rest.length);
  const body = rest.slice(0, end).replace(/\r?\n$/, '');
  if (/Content-Transfer-Encoding:\s*base64/i.test(headers)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/Content-Transfer-Encoding:\s*quoted-printable/i.test(headers)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8').replace(/\r\n/g, '\n');
  }
  return body.replace(/\r\n/g, '\n');
}

function calendarPart(raw: string): string | null {
  const m = /Content-Type: text\/calendar[^]*?\r?\n\r?\n([A-Za-z0-9+/=\r\n]+?)(\r?\n--|$)/i.exec(raw);
  if (!m) return null;
  return Buffer.from(m[1].replace(/\s+/g, ''), 'base64').toString('utf8');
}

export interface ReceivedHook {
  headers: http.IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A real HTTP receiver for webhooks; answers the statuses in `script` in turn, then 200. */
export async function startWebhookReceiver(script: number[] = []) {
  const received: ReceivedHook[] = [];
  const queue = [...script];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = queue.shift() ?? 200;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/reminders`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const DAY = 24 * 60 * 60 * 1000;
export const HOUR = 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Dates relative to the real time. Test clocks start at the real time and only move forward: the
// database expires login tokens on its own (real) clock, as MongoDB's TTL monitor does.

/** YYYY-MM-DD plus n calendar days. */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}

/** The Jakarta date of an instant (Indonesia keeps UTC+7 all year). */
export function jakartaDate(at: Date): string {
  return new Date(at.getTime() + 7 * HOUR).toISOString().slice(0, 10);
}

/** The instant a Jakarta wall clock shows `hhmm` on `date`. */
export function jakarta(date: string, hhmm: string): Date {
  return new Date(`${date}T${hhmm}:00+07:00`);
}

/** 0 = Sunday … 6 = Saturday. */
export const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/**
 * The first `weekday` at least `minDaysAhead` days after `from` (Jakarta dates) such that no
 * weekday from `before` days before it to `after` days after it is a shipped holiday or collective
 * leave day: the test then knows every working day of that stretch without reading the calendar.
 */
export function quietDay(from: Date, weekday: number, opts: { minDaysAhead: number; before: number; after: number; closed: ReadonlySet<string> }): string {
  let d = addDays(jakartaDate(from), opts.minDaysAhead);
  while (weekdayOf(d) !== weekday) d = addDays(d, 1);
  for (;; d = addDays(d, 7)) {
    let quiet = true;
    for (let i = -opts.before; i <= opts.after && quiet; i++) {
      const x = addDays(d, i);
      if (opts.closed.has(x) && ![0, 6].includes(weekdayOf(x))) quiet = false;
    }
    if (quiet) return d;
  }
}

/** The last Sunday of March: when the United Kingdom moves to summer time (BST, UTC+1). */
export function ukSpringForward(year: number): string {
  let d = `${year}-03-31`;
  while (weekdayOf(d) !== 0) d = addDays(d, -1);
  return d;
}

/**
 * The shipped reminder schedule, written out (not read from workflows/reminder-policy.ts), so a
 * test that expects it fails if the shipped one changes by accident.
 */
export const SHIPPED_SCHEDULE = Object.freeze({
  daysBefore: [14, 7, 3, 1],
  onTheDay: true,
  sendAtLocalTime: '08:00',
  overdueFirstAfterWorkingDays: 1,
  overdueEveryWorkingDays: 2,
  overdueMaxReminders: 5,
  escalateFromOverdueReminder: 2,
});
