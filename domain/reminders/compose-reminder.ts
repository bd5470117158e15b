import type { EmailMessage } from '../../models/reminder-delivery.js';
import type { DeadlineRecord } from '../../models/deadline.js';
import { HQ_TIMEZONE, formatInZone, localDate } from '../../workflows/business-days.js';
import type { ReminderSlot } from '../../workflows/reminder-policy.js';
import { agreementLink, buildCalendar, deadlineEvent, type AgreementSummary } from '../deadlines/deadline-calendar.js';
import { stageLabel, whatIsDue } from '../deadlines/labels.js';

const DAY_MS = 24 * 60 * 60 * 1000;

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

/**
 * "in 3 days" / "overdue by 3 days" in calendar days of the deadline's own zone, as people read
 * a due date: a reminder on Friday morning for something due Tuesday is 3 days late, although
 * fewer than 72 hours have passed.
 */
function when(dueAt: Date, now: Date, tz: string): { id: string; en: string } {
  const days = Math.round((Date.parse(localDate(dueAt, tz)) - Date.parse(localDate(now, tz))) / DAY_MS);
  if (dueAt.getTime() < now.getTime()) {
    const late = Math.max(1, -days);
    return { id: `terlambat ${late} hari`, en: `overdue by ${late} day${late === 1 ? '' : 's'}` };
  }
  if (days <= 0) return { id: 'hari ini', en: 'today' };
  return { id: `dalam ${days} hari`, en: `in ${days} day${days === 1 ? '' : 's'}` };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * A reminder in Indonesian, then English: the agreement's code, title and stage, what is due and
 * when (in the deadline's own zone, and in Jakarta when that differs), a link, and the .ics.
 * The same content is used for e-mail, the in-app list and the webhook.
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
  const what = whatIsDue(d, party?.name);
  const rel = when(d.dueAt, now, d.timezone);
  const code = agreement?.code ?? String(d.agreementId);
  const stage = stageLabel(agreement?.stage);
  const dueLocal = formatInZone(d.dueAt, d.timezone);
  const dueHq = d.timezone === HQ_TIMEZONE ? null : formatInZone(d.dueAt, HQ_TIMEZONE);
  const link = agreementLink(publicUrl, d.agreementId);
  const tagId = escalation ? 'Eskalasi' : slot.kind === 'overdue' ? 'Terlambat' : 'Pengingat';
  const tagEn = escalation ? 'Escalation' : slot.kind === 'overdue' ? 'Overdue' : 'Reminder';
  const subject = `[${tagId}] ${code}: ${what.id} ${rel.id} / [${tagEn}] ${what.en} ${rel.en}`;

  const id = [
    escalation ? 'Pekerjaan ini terlambat dan dieskalasikan kepada pimpinan unit.' : 'Pengingat tenggat perjanjian.',
    `Perjanjian: ${code} — ${agreement?.title.id ?? ''}`,
    `Tahap saat ini: ${stage.id}`,
    `Yang harus diselesaikan: ${what.id}`,
    `Tenggat: ${dueLocal}${dueHq ? ` (Jakarta: ${dueHq})` : ''} — ${rel.id}`,
    `Tautan: ${link}`,
  ];
  const en = [
    escalation ? 'This work is overdue and has been escalated to the head of the unit.' : 'Agreement deadline reminder.',
    `Agreement: ${code} — ${agreement?.title.en ?? ''}`,
    `Current stage: ${stage.en}`,
    `What is due: ${what.en}`,
    `Due: ${dueLocal}${dueHq ? ` (Jakarta: ${dueHq})` : ''} — ${rel.en}`,
    `Link: ${link}`,
  ];
  const text = [...id, '', '---', '', ...en, '', `(${slot.slot})`].join('\n');
  const html =
    `<div lang="id">${id.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</div><hr>` +
    `<div lang="en">${en.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</div>`;
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
