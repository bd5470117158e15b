import crypto from 'node:crypto';
import { tokenHash } from '../accounts/tokens.js';
import mongoose from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { DeadlineRecord } from '../../models/deadline.js';
import { getVisibleAgreement } from '../agreements/get-visible-agreement.js';
import { buildCalendar, deadlineEvent, type AgreementSummary } from './deadline-calendar.js';

const SUMMARY = { code: 1, title: 1, stage: 1, parties: 1 } as const;

/** Issues (or rotates: the old URL stops working) the actor's secret calendar URL. The token is shown once. */
export async function issueCalendarToken(ctx: DomainContext, actor: Actor): Promise<{ token: string; url: string; createdAt: string }> {
  const token = crypto.randomBytes(24).toString('base64url');
  const now = ctx.clock.now();
  await ctx.models.CalendarToken.updateOne(
    { userId: actor.id },
    { $set: { email: actor.email.toLowerCase(), tokenHash: tokenHash(token), createdAt: now, lastUsedAt: null } },
    { upsert: true },
  );
  return { token, url: `${ctx.config.publicUrl}/api/calendar/${token}.ics`, createdAt: now.toISOString() };
}

/**
 * Whether the caller has a calendar URL, since when and when a calendar application last read it:
 * the URL itself is shown once, so this is how the page tells a person they already have one.
 */
export async function calendarTokenStatus(ctx: DomainContext, actor: Actor): Promise<{ exists: boolean; createdAt: string | null; lastUsedAt: string | null }> {
  const record = await ctx.models.CalendarToken.findOne({ userId: actor.id }, { createdAt: 1, lastUsedAt: 1 }).lean();
  return { exists: Boolean(record), createdAt: record?.createdAt?.toISOString() ?? null, lastUsedAt: record?.lastUsedAt?.toISOString() ?? null };
}

export async function revokeCalendarToken(ctx: DomainContext, actor: Actor): Promise<{ revoked: boolean }> {
  const res = await ctx.models.CalendarToken.deleteOne({ userId: actor.id });
  return { revoked: res.deletedCount > 0 };
}

/**
 * The feed behind a secret URL: every deadline addressed to the token owner's e-mail (open ones,
 * and those closed in the last 90 days so calendars show them as done or cancelled).
 */
export async function personalCalendar(ctx: DomainContext, token: string): Promise<string> {
  const record = typeof token === 'string' && token.length <= 100 ? await ctx.models.CalendarToken.findOne({ tokenHash: tokenHash(token) }).lean() : null;
  if (!record) throw new AppError('not_found', 'Calendar not found / Kalender tidak ditemukan');
  const now = ctx.clock.now();
  // The owner may have been disabled or deleted since the URL was issued. A failed lookup is not
  // that: it goes to the error handler (500, logged), or an outage would read as a wrong link.
  const user = await ctx.models.User.findById(record.userId, { disabled: 1, role: 1, unit: 1 }).lean();
  if (!user || user.disabled) throw new AppError('not_found', 'Calendar not found / Kalender tidak ditemukan');
  const since = new Date(now.getTime() - 90 * 24 * 3600 * 1000);
  // only agreements the owner may see now (the same audience rule as the deadline lists)
  const audience = user.role === 'admin' ? {} : { audience: mongoose.trusted({ $in: ['*', user.unit] }) };
  const deadlines = await ctx.models.Deadline.find(
    { 'recipients.email': record.email, ...audience, $or: [{ status: 'open' }, { closedAt: mongoose.trusted({ $gte: since }) }] },
  )
    .sort({ dueAt: 1 })
    .limit(2000)
    .lean<DeadlineRecord[]>();
  await ctx.models.CalendarToken.updateOne({ tokenHash: record.tokenHash }, { $set: { lastUsedAt: now } });
  return buildCalendar(await events(ctx, deadlines), 'Tenggat perjanjian / Agreement deadlines', skipped(ctx));
}

/** One agreement's deadlines as iCalendar, for anyone who may see the agreement. */
export async function agreementCalendar(ctx: DomainContext, actor: Actor, agreementId: string): Promise<{ filename: string; ics: string }> {
  const agreement = await getVisibleAgreement(ctx, actor, agreementId);
  const deadlines = await ctx.models.Deadline.find({ agreementId: agreement._id }).sort({ dueAt: 1 }).limit(1000).lean<DeadlineRecord[]>();
  const ics = buildCalendar(
    renderEvents(ctx, deadlines, () => agreement),
    `${agreement.code} — ${agreement.title.id}`,
    skipped(ctx),
  );
  return { filename: `${agreement.code.replace(/[^\w.-]+/g, '_')}.ics`, ics };
}

async function events(ctx: DomainContext, deadlines: DeadlineRecord[]) {
  const ids = [...new Set(deadlines.map((d) => String(d.agreementId)))].map((id) => new mongoose.Types.ObjectId(id));
  const agreements = new Map(
    (await ctx.models.Agreement.find({ _id: mongoose.trusted({ $in: ids }) }, SUMMARY).lean<AgreementRecord[]>()).map((a) => [String(a._id), a as AgreementSummary]),
  );
  return renderEvents(ctx, deadlines, (d) => agreements.get(String(d.agreementId)));
}

/** A feed leaves out (and logs) the event it cannot render: one bad row never takes the whole calendar down. */
function skipped(ctx: DomainContext) {
  return (uid: string | undefined, error: Error) => ctx.logger.error('calendar feed left out an event it cannot render', { uid, error: error.message });
}

function renderEvents(ctx: DomainContext, deadlines: DeadlineRecord[], agreementOf: (d: DeadlineRecord) => AgreementSummary | undefined) {
  const out = [];
  for (const d of deadlines) {
    try {
      out.push(deadlineEvent(d, agreementOf(d), ctx.config.publicUrl));
    } catch (err) {
      skipped(ctx)(`deadline-${String(d._id)}`, err as Error);
    }
  }
  return out;
}
