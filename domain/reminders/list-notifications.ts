import mongoose from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { labelOrId, loadAgreementLabels } from '../agreements/agreement-labels.js';
import type { NotificationRecord } from '../../models/notification.js';
import type { AgreementRecord } from '../../models/agreement.js';
import { canSee } from '../agreements/get-visible-agreement.js';

/** The actor's in-app reminders (addressed to their e-mail), newest first. */
export async function listNotifications(ctx: DomainContext, actor: Actor, input: { unreadOnly?: boolean; limit: number; offset: number }) {
  const mine: Record<string, unknown> = { email: actor.email.toLowerCase() };
  const hidden = await hiddenAgreements(ctx, actor);
  if (hidden.length) mine.agreementId = mongoose.trusted({ $nin: hidden });
  const filter: Record<string, unknown> = { ...mine };
  if (input.unreadOnly) filter.readAt = null;
  const [rows, total, unread] = await Promise.all([
    ctx.models.Notification.find(filter).sort({ createdAt: -1, _id: -1 }).skip(input.offset).limit(input.limit).lean<NotificationRecord[]>(),
    ctx.models.Notification.countDocuments(filter),
    ctx.models.Notification.countDocuments({ ...mine, readAt: null }),
  ]);
  const labels = await loadAgreementLabels(ctx, rows.map((n) => n.agreementId));
  return {
    total,
    unread,
    items: rows.map((n) => ({
      id: String(n._id),
      deadlineId: String(n.deadlineId),
      agreementId: String(n.agreementId),
      agreement: labelOrId(labels, n.agreementId),
      slot: n.slot,
      escalation: n.escalation,
      subject: n.subject,
      text: n.text,
      link: n.link,
      dueAt: n.dueAt.toISOString(),
      timezone: n.timezone,
      createdAt: n.createdAt.toISOString(),
      readAt: n.readAt ? n.readAt.toISOString() : null,
    })),
  };
}

/**
 * The agreements among the actor's notifications that the actor may not see now (made
 * confidential, or moved to another unit, after the reminder was recorded): those reminders are
 * not shown. A person's reminders concern a few dozen agreements, so this is one small read.
 */
async function hiddenAgreements(ctx: DomainContext, actor: Actor): Promise<mongoose.Types.ObjectId[]> {
  if (actor.role === 'admin') return [];
  const ids = (await ctx.models.Notification.distinct('agreementId', { email: actor.email.toLowerCase() })) as mongoose.Types.ObjectId[];
  if (ids.length === 0) return [];
  const confidential = await ctx.models.Agreement.find(
    { _id: mongoose.trusted({ $in: ids }), confidentiality: 'confidential' },
    { confidentiality: 1, leadUnit: 1 },
  ).lean<Array<Pick<AgreementRecord, '_id' | 'confidentiality' | 'leadUnit'>>>();
  return confidential.filter((a) => !canSee(actor, a)).map((a) => a._id);
}

/** Marks one of the actor's notifications read; someone else's is "not found". */
export async function markNotificationRead(ctx: DomainContext, actor: Actor, id: string): Promise<{ id: string; readAt: string }> {
  const now = ctx.clock.now();
  const n = await ctx.models.Notification.findOneAndUpdate(
    { _id: new mongoose.Types.ObjectId(id), email: actor.email.toLowerCase() },
    { $set: { readAt: now } },
    { returnDocument: 'after' },
  ).lean<NotificationRecord>();
  if (!n) throw new AppError('not_found', 'Notification not found / Notifikasi tidak ditemukan');
  return { id, readAt: (n.readAt ?? now).toISOString() };
}
