import mongoose from 'mongoose';
import type { DomainContext } from '../context.js';
import { labelOrId, loadAgreementLabels } from '../agreements/agreement-labels.js';
import type { DeliveryStatus, ReminderDeliveryRecord } from '../../models/reminder-delivery.js';
import { deliveryErrorText } from './delivery-errors.js';

export interface ListDeliveriesInput {
  status?: DeliveryStatus[];
  deadlineId?: string;
  agreementId?: string;
  limit: number;
  offset: number;
}

/** Admin view of deliveries: status, attempts and each attempt's outcome, newest first. */
export async function listDeliveries(ctx: DomainContext, input: ListDeliveriesInput) {
  const filter: Record<string, unknown> = {};
  if (input.status?.length) filter.status = mongoose.trusted({ $in: input.status });
  if (input.deadlineId) filter.deadlineId = new mongoose.Types.ObjectId(input.deadlineId);
  if (input.agreementId) filter.agreementId = new mongoose.Types.ObjectId(input.agreementId);
  const [rows, total] = await Promise.all([
    ctx.models.ReminderDelivery.find(filter, { email: 0, payload: 0 }).sort({ createdAt: -1, _id: -1 }).skip(input.offset).limit(input.limit).lean<ReminderDeliveryRecord[]>(),
    ctx.models.ReminderDelivery.countDocuments(filter),
  ]);
  const labels = await loadAgreementLabels(ctx, rows.map((d) => d.agreementId));
  return {
    total,
    items: rows.map((d) => ({
      id: String(d._id),
      key: d.key,
      deadlineId: String(d.deadlineId),
      agreementId: String(d.agreementId),
      agreement: labelOrId(labels, d.agreementId),
      slot: d.slot,
      channel: d.channel,
      recipient: d.recipient,
      escalation: d.escalation,
      status: d.status,
      attempts: d.attempts,
      maxAttempts: d.maxAttempts,
      nextAttemptAt: d.nextAttemptAt ? d.nextAttemptAt.toISOString() : null,
      lastError: d.lastError ?? null,
      lastErrorText: deliveryErrorText(d.lastError),
      sentAt: d.sentAt ? d.sentAt.toISOString() : null,
      failedAt: d.failedAt ? d.failedAt.toISOString() : null,
      attemptLog: (d.attemptLog ?? []).map((a) => ({ ...a, at: a.at instanceof Date ? a.at.toISOString() : a.at })),
      createdAt: d.createdAt.toISOString(),
    })),
  };
}
