import mongoose from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { labelOrId, loadAgreementLabels } from '../agreements/agreement-labels.js';
import type { NotificationRecord } from '../../models/notification.js';

/** The actor's in-app reminders (addressed to their e-mail), newest first. */
export async function listNotifications(ctx: DomainContext, actor: Actor, input: { unreadOnly?: boolean; limit: number; offset: number }) {
  const filter: Record<string, unknown> = { email: actor.email.toLowerCase() };
  if (input.unreadOnly) filter.readAt = null;
  const [rows, total, unread] = await Promise.all([
    ctx.models.Notification.find(filter).sort({ createdAt: -1, _id: -1 }).skip(input.offset).limit(input.limit).lean<NotificationRecord[]>(),
    ctx.models.Notification.countDocuments(filter),
    ctx.models.Notification.countDocuments({ email: actor.email.toLowerCase(), readAt: null }),
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
