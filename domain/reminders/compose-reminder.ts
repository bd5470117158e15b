import type { EmailMessage } from '../../models/reminder-delivery.js';
import type { DeadlineRecord } from '../../models/deadline.js';
import { formatInZone } from '../../workflows/business-days.js';
import type { ReminderSlot } from '../../workflows/reminder-policy.js';
import { agreementLink, buildCalendar, deadlineEvent, type AgreementSummary } from '../deadlines/deadline-calendar.js';
import { stageLabel } from '../deadlines/labels.js';
import { reminderWording } from './reminder-wording.js';

export interface ReminderContent {
  subject: string;
  text: string;
  html: string;
  ics: string;
  icsFilename: string;
  link: string;
  /** the webhook's JSON body */
  payload: Record<string, unknown>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * A reminder in Indonesian, then English (words from reminderWording): the agreement's code,
 * title and stage, what is due and when (in the deadline's own zone, and in Jakarta when that
 * differs), what to do, a link, and the .ics. The same content is used for e-mail, the in-app
 * list and the webhook.
 */
export function composeReminder(args: {
  deadline: DeadlineRecord;
  agreement: AgreementSummary | undefined;
  slot: Pick<ReminderSlot, 'slot' | 'kind'>;
  escalation: boolean;
  now: Date;
  publicUrl: string;
}): ReminderContent {
  const { deadline: d, agreement, slot, escalation, now, publicUrl } = args;
  const party = agreement?.parties?.find((p) => String(p._id) === String(d.partyId));
  const code = agreement?.code ?? String(d.agreementId);
  const stage = stageLabel(agreement?.stage);
  const dueLocal = formatInZone(d.dueAt, d.timezone);
  const link = agreementLink(publicUrl, d.agreementId);
  const words = reminderWording({
    kind: d.kind,
    stage: d.stage,
    partyName: party?.name,
    note: d.note,
    rung: slot.kind === 'overdue' ? 'overdue' : slot.kind === 'before' ? 'before' : 'on_the_day',
    escalation,
    unit: d.leadUnit,
    dueAt: d.dueAt,
    timezone: d.timezone,
    now,
  });
  const subject = `[${words.tag.id}] ${code}: ${words.subject.id} / [${words.tag.en}] ${words.subject.en}`;
  const body = (lang: 'id' | 'en') =>
    [
      lang === 'id' ? 'Yth. Bapak/Ibu,' : 'Dear Sir or Madam,',
      '',
      ...(words.escalationNote ? [words.escalationNote[lang], ''] : []),
      words.lead[lang],
      '',
      `${lang === 'id' ? 'Perjanjian' : 'Agreement'}: ${code} — ${agreement?.title[lang] ?? ''}`,
      `${lang === 'id' ? 'Tahap saat ini' : 'Current stage'}: ${stage[lang]}`,
      `${lang === 'id' ? 'Tenggat' : 'Due'}: ${words.due[lang]}`,
      '',
      words.action[lang],
      '',
      `${lang === 'id' ? 'Buka di pelacak' : 'Open in the tracker'}: ${link}`,
      '',
      lang === 'id' ? 'Pesan ini dikirim otomatis oleh Pelacak Perjanjian Direktorat PWNI.' : 'This message was sent automatically by the PWNI Agreement Tracker.',
    ];
  const id = body('id');
  const en = body('en');
  // The web inbox splits the text at the '---' line and drops the last '(slot)' line.
  const text = [...id, '', '---', '', ...en, '', `(${slot.slot})`].join('\n');
  const paragraphs = (lines: string[]) => lines.filter((l) => l !== '').map((l) => `<p>${escapeHtml(l)}</p>`).join('');
  const html = `<div lang="id">${paragraphs(id)}</div><hr><div lang="en">${paragraphs(en)}</div>`;
  const ics = buildCalendar([deadlineEvent(d, agreement, publicUrl)], `${code}`);
  const payload = {
    event: 'deadline.reminder',
    slot: slot.slot,
    escalation,
    deadline: {
      id: String(d._id),
      kind: d.kind,
      stage: d.stage ?? null,
      partyId: d.partyId ? String(d.partyId) : null,
      dueAt: d.dueAt.toISOString(),
      timezone: d.timezone,
      dueLocal,
      status: d.status,
      recipients: d.recipients.map((r) => r.email),
    },
    agreement: agreement
      ? { id: String(agreement._id), code: agreement.code, title: agreement.title, stage: agreement.stage }
      : { id: String(d.agreementId) },
    subject,
    link,
  };
  return { subject, text, html, ics, icsFilename: `${code.replace(/[^\w.-]+/g, '_')}-deadline.ics`, link, payload };
}

export function toEmail(content: ReminderContent, to: string): EmailMessage {
  return { to, subject: content.subject, text: content.text, html: content.html, ics: content.ics, icsFilename: content.icsFilename };
}
