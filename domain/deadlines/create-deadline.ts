import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import type { DeadlineKind, DeadlineRecipient } from '../../models/deadline.js';
import { HQ_TIMEZONE, isValidTimeZone } from '../../workflows/business-days.js';
import { getVisibleAgreement } from '../agreements/get-visible-agreement.js';
import { inTransaction } from '../../lib/transaction.js';
import { appendHistoryEvent } from '../history/append-history-event.js';
import { loadBusinessCalendar } from './business-calendar.js';
import { deadlineView, partyNamesOf, type DeadlineView } from './deadline-view.js';
import { agreementLabel } from '../agreements/agreement-labels.js';
import { openDeadline } from './open-deadline.js';
import { assertRecipientsMaySee } from './recipient-access.js';
import { assertAllowed } from '../accounts/assert-allowed.js';

export interface CreateDeadlineInput {
  agreementId: string;
  kind: DeadlineKind;
  dueAt: Date;
  /** IANA zone; Asia/Jakarta when absent */
  timezone?: string;
  /** e-mail addresses; when empty: the party's signatory (signing_due) or the creator */
  recipients?: Array<string | DeadlineRecipient>;
  partyId?: string;
  note?: string;
}

/**
 * Records a deadline on an agreement (history event `deadline_created` in the same
 * transaction) and schedules its first reminder.
 */
export async function createDeadline(ctx: DomainContext, actor: Actor, input: CreateDeadlineInput): Promise<DeadlineView> {
  const agreement = await getVisibleAgreement(ctx, actor, input.agreementId);
  assertAllowed(actor, 'manageDeadlines');
  const timezone = input.timezone ?? HQ_TIMEZONE;
  if (!isValidTimeZone(timezone)) {
    throw new AppError('validation_failed', 'Unknown time zone / Zona waktu tidak dikenal', [{ field: 'timezone', message: `'${timezone}' is not an IANA time zone such as Asia/Kuala_Lumpur / '${timezone}' bukan zona waktu IANA seperti Asia/Kuala_Lumpur` }]);
  }
  const party = input.partyId ? agreement.parties.find((p) => String(p._id) === input.partyId) : undefined;
  if (input.partyId && !party) {
    throw new AppError('validation_failed', 'No such party on this agreement / Pihak tidak ada pada perjanjian ini', [{ field: 'partyId', message: 'Not a party of this agreement / Bukan pihak pada perjanjian ini' }]);
  }
  let recipients: DeadlineRecipient[] = (input.recipients ?? []).map((r) => (typeof r === 'string' ? { email: r } : r));
  if (recipients.length === 0) {
    if (party?.signatory?.email) recipients = [{ email: party.signatory.email, name: party.signatory.name }];
    else if (actor.email) recipients = [{ email: actor.email, name: actor.name, userId: actor.id }];
  }
  await assertRecipientsMaySee(ctx, agreement, recipients);
  const calendar = await loadBusinessCalendar(ctx);
  const created = await inTransaction(ctx, async (session) => {
    const d = await openDeadline(
      ctx,
      agreement,
      {
        kind: input.kind,
        dueAt: input.dueAt,
        timezone,
        recipients,
        stage: input.kind === 'stage_due' ? agreement.stage : null,
        partyId: party?._id ?? null,
        note: input.note ?? null,
        source: 'manual',
      },
      actor,
      calendar,
      { session },
    );
    await appendHistoryEvent(
      ctx,
      {
        agreementId: agreement._id,
        actor,
        action: 'deadline_created',
        // the party and the note name the deadline in the history should the deadline itself not be at hand
        changes: {
          deadlineId: String(d._id),
          kind: d.kind,
          ...(d.partyId ? { partyId: String(d.partyId) } : {}),
          ...(d.note ? { note: d.note } : {}),
          dueAt: d.dueAt.toISOString(),
          timezone: d.timezone,
          recipients: d.recipients.map((r) => r.email),
        },
      },
      session,
    );
    return d;
  });
  return deadlineView(created, agreementLabel(agreement), partyNamesOf(agreement));
}
