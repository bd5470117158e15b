import mongoose from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { stageLabel } from '../deadlines/labels.js';
import { endOfDuration } from './term-rules.js';
import type { AgreementRecord, Party } from '../../models/agreement.js';
import { canRecordSignature, stageAfterSignature, transition } from '../../workflows/index.js';
import { appendHistoryEvent } from '../history/append-history-event.js';
import { loadBusinessCalendar } from '../deadlines/business-calendar.js';
import { syncSigningDeadlines } from '../deadlines/sync-signing-deadlines.js';
import { dispatchWebhookEvents } from '../webhooks/dispatch-webhook-events.js';
import { recordWebhookEvent } from '../webhooks/record-webhook-event.js';
import { agreementFacts } from './agreement-facts.js';
import { applyStageChange } from './apply-stage-change.js';
import { staleVersion, writeIfUnchanged } from './conditional-write.js';
import { getVisibleAgreement } from './get-visible-agreement.js';
import { authorisePartyAction, findParty } from './party-access.js';
import { refusalError } from './refusal.js';
import { supersedeLinked } from './supersede-linked.js';
import { inTransaction } from '../../lib/transaction.js';
import { longDate } from '../reports/words.js';

export interface RecordSignatureInput {
  id: string;
  partyId: string;
  actor: Actor;
  signedAt: Date;
  place?: string;
  method: 'wet_ink' | 'electronic';
  /** who witnessed the signing, in the order the signing names them */
  witnesses?: string[];
  expectedVersion?: number;
  /** the date lies before the text was put up for signature, and the person recording it says that is right */
  earlierThanSigningConfirmed?: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Signatures dated more than a day ahead of now are refused: time zones, not the future. */
const FUTURE_TOLERANCE_MS = DAY_MS;

function checkSignable(ctx: DomainContext, agreement: AgreementRecord, party: Party, signedAt: Date): void {
  if (!canRecordSignature(agreement, agreement.stage)) {
    const now = stageLabel(agreement.stage);
    throw new AppError('invalid_state', `Signatures are recorded only while the agreement awaits signature; it is now in the stage “${now.en}” / Tanda tangan hanya dicatat saat perjanjian menunggu penandatanganan; kini perjanjian pada tahap “${now.id}”`, {
      currentStage: agreement.stage,
    });
  }
  if (party.status === 'signed') throw new AppError('invalid_state', 'This party has already signed / Pihak ini sudah menandatangani');
  if (signedAt.getTime() > ctx.clock.now().getTime() + FUTURE_TOLERANCE_MS) {
    throw new AppError('validation_failed', 'The signature date lies in the future / Tanggal tanda tangan di masa depan', [
      { field: 'signedAt', message: 'must not lie in the future / tidak boleh di masa depan' },
    ]);
  }
}

/**
 * When the text was put up for signature: the last move to awaiting_signature that was not a
 * resume from on hold (which continues the same signing), or the stage date an import gave it.
 */
async function signingOpenedAt(ctx: DomainContext, agreement: AgreementRecord): Promise<Date | null> {
  const event = await ctx.models.HistoryEvent.findOne(
    {
      agreementId: agreement._id,
      $or: [{ action: 'transition', 'changes.to': 'awaiting_signature', 'changes.from': mongoose.trusted({ $ne: 'on_hold' }) }, { action: 'imported', 'changes.stage': 'awaiting_signature' }],
    },
    { at: 1, action: 1, 'changes.stageEnteredAt': 1 },
  )
    .sort({ seq: -1 })
    .lean<{ at: Date; action: string; changes: { stageEnteredAt?: string } }>();
  if (!event) return null;
  return event.action === 'imported' && event.changes.stageEnteredAt ? new Date(event.changes.stageEnteredAt) : new Date(event.at);
}

/**
 * A signature dated before its text was put up for signature is most often a slip, and once the
 * last party has signed it can no longer be corrected (a 2019 date on a 2022 guideline put it in
 * force in 2019 and into that year's report). It can be right, though: an agreement entered by
 * hand when the tracker is adopted goes through its stages on one day, after signatures made
 * weeks before. So it is refused until the person confirms the date (earlierThanSigningConfirmed),
 * with a detail of its own the interface asks about. A day's margin allows for time zones.
 */
async function checkNotBeforeSigningOpened(ctx: DomainContext, agreement: AgreementRecord, signedAt: Date): Promise<void> {
  const opened = await signingOpenedAt(ctx, agreement);
  if (!opened || signedAt.getTime() >= opened.getTime() - DAY_MS) return;
  throw new AppError(
    'validation_failed',
    `The signature is dated before the text was put up for signature on ${longDate(opened, 'en')}: check the date, or confirm it if it is right / Tanggal tanda tangan lebih awal daripada saat naskah diajukan untuk ditandatangani pada ${longDate(opened, 'id')}: periksa tanggalnya, atau konfirmasikan jika memang benar`,
    [{ field: 'signedAt', type: 'signedAt.beforeSigningOpened', message: `'signedAt' is before ${opened.toISOString()}; send earlierThanSigningConfirmed: true if it is right / 'signedAt' lebih awal daripada ${opened.toISOString()}; kirim earlierThanSigningConfirmed: true jika memang benar`, signingOpenedAt: opened.toISOString() }],
  );
}

/**
 * UU 24/2000 art. 7: whoever signs an international agreement for Indonesia, other than the
 * President and the Minister for Foreign Affairs, needs full powers. Where the party's signatory
 * is marked as needing them, the letter must be on file (a document of kind full_powers naming
 * the party) before the signature can be recorded. Refused as the engine refuses a guard.
 */
async function checkFullPowers(ctx: DomainContext, agreement: AgreementRecord, party: Party): Promise<void> {
  if (!party.signatory?.fullPowersRequired) return;
  const onFile = await ctx.models.Document.exists({ agreementId: agreement._id, kind: 'full_powers', 'fullPowers.partyId': party._id });
  if (onFile) return;
  const message = {
    id: `Surat Kuasa (full powers) belum ada untuk penanda tangan ${party.name}: unggah suratnya (jenis full_powers) sebelum tanda tangan dicatat`,
    en: `No full-powers letter (Surat Kuasa) is on file for the signatory of ${party.name}: upload it (kind full_powers) before the signature is recorded`,
  };
  throw new AppError('unprocessable', `${message.en} / ${message.id}`, { unmet: [{ guard: 'full_powers', message, details: { parties: [party.name] } }] });
}

/**
 * Records one party's signature. The first of several moves the agreement to partially_signed,
 * the last to signed (a guideline: in force), through the same conditional write, history and
 * deadline rules as a manual move.
 */
export async function recordSignature(ctx: DomainContext, input: RecordSignatureInput): Promise<AgreementRecord> {
  const agreement = await getVisibleAgreement(ctx, input.actor, input.id);
  if (input.expectedVersion !== undefined && input.expectedVersion !== agreement.version) throw staleVersion(agreement);
  const party = findParty(agreement, input.partyId);
  const { onBehalf } = authorisePartyAction(input.actor, party);
  checkSignable(ctx, agreement, party, input.signedAt);
  if (!input.earlierThanSigningConfirmed) await checkNotBeforeSigningOpened(ctx, agreement, input.signedAt);
  await checkFullPowers(ctx, agreement, party);
  const now = ctx.clock.now();
  const witnesses = input.witnesses?.length ? input.witnesses : undefined;
  const signature = { signedAt: input.signedAt, place: input.place, method: input.method, witnesses, recordedBy: input.actor.id, onBehalf };
  const parties = agreement.parties.map((p) => (p === party ? { ...p, status: 'signed' as const, statusAt: now, signature, declineReason: undefined } : p));
  const allSigned = parties.every((p) => p.status === 'signed');
  const lastSignedAt = allSigned ? new Date(Math.max(...parties.map((p) => new Date(p.signature!.signedAt).getTime()))) : null;
  const to = stageAfterSignature(agreement, agreement.stage, allSigned);
  const set: Record<string, unknown> = { parties, signedAt: lastSignedAt };
  if (to === 'in_force' && !agreement.entryIntoForce?.date) set.entryIntoForce = { date: lastSignedAt, basis: 'on_signature' };
  // in force on the last signature: a term given as a duration alone now has its end (as a move into force gives it)
  const end = to === 'in_force' ? endOfDuration({ term: agreement.term, entryIntoForce: (set.entryIntoForce ?? agreement.entryIntoForce) as AgreementRecord['entryIntoForce'] }) : null;
  if (end) set.term = { ...agreement.term, expiresAt: end };
  const event = {
    action: 'signature_recorded' as const,
    changes: {
      partyId: input.partyId,
      party: party.name,
      signedAt: input.signedAt,
      place: input.place ?? null,
      method: input.method,
      ...(witnesses ? { witnesses } : {}),
      onBehalf,
      // an auditor sees that a date before the signing opened was confirmed as right, not slipped through
      ...(input.earlierThanSigningConfirmed ? { earlierDateConfirmed: true } : {}),
    },
  };
  const signed = await inTransaction(ctx, async (session) => {
    const announce = (after: AgreementRecord) =>
      recordWebhookEvent(
        ctx,
        {
          type: 'agreement.signature_recorded',
          agreement: after,
          actor: input.actor,
          at: now,
          data: { party: { id: input.partyId, name: party.name }, signedAt: input.signedAt.toISOString(), place: input.place ?? null, method: input.method, witnesses: witnesses ?? [], onBehalf, allSigned },
        },
        session,
      );
    if (to === agreement.stage) {
      const updated = await writeIfUnchanged(ctx, agreement, { $set: { ...set, updatedAt: now } }, session, agreement.stage);
      await appendHistoryEvent(ctx, { agreementId: agreement._id, actor: input.actor, ...event, at: now }, session);
      // No stage change, but this party's signing deadline is met all the same.
      const calendar = await loadBusinessCalendar(ctx);
      await syncSigningDeadlines(ctx, { agreement: updated, from: agreement.stage, to: agreement.stage, actor: input.actor, at: now, calendar }, session);
      await announce(updated);
      return updated;
    }
    const after = { ...agreement, ...set } as AgreementRecord;
    const result = transition({ type: agreement.type, parties: agreement.parties, stage: agreement.stage }, { to, role: input.actor.role, trigger: 'signature' }, await agreementFacts(ctx, after, session));
    if (!result.ok) throw refusalError(result, agreement.stage);
    // Announced before the stage change it causes (recorded by applyStageChange), so receivers
    // get them in that order; the agreement as the one conditional write below leaves it.
    await announce({ ...agreement, stage: to, version: agreement.version + 1 });
    const updated = await applyStageChange(
      ctx,
      { agreement, to, previousStage: null, actor: input.actor, trigger: 'signature', set, eventsBefore: [event] },
      session,
    );
    if (to === 'in_force') await supersedeLinked(ctx, updated, input.actor, session);
    return updated;
  });
  dispatchWebhookEvents(ctx);
  return signed;
}
