import type { ClientSession } from 'mongoose';
import { Types } from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { HistoryEventRecord } from '../../models/history-event.js';
import { GENESIS_HASH, hashEvent, storedForm, toPlainJson } from './hash-chain.js';
import { isDuplicateKey, MAJORITY_WRITE } from '../../lib/transaction.js';
import { AppError } from '../errors.js';

/**
 * Every action the history records, so that a reader may ask for one by name (GET /api/history)
 * and be told which exist; the lines below say what each records.
 */
export const HISTORY_ACTIONS = [
  'created',
  'updated',
  'transition',
  'reopened',
  'signature_recorded',
  'party_declined',
  'round_added',
  'link_added',
  'comment',
  'document_uploaded',
  'document_downloaded',
  'deadline_created',
  'deadline_updated',
  'indices_set',
  'imported',
  'reminders_paused',
  'reminders_resumed',
] as const;

/**
 * Audit actions, one line each:
 * - `created`: the agreement was registered (changes: the initial fields)
 * - `updated`: fields edited through PATCH (changes: { field: { from, to } })
 * - `transition`: stage moved (changes: { from, to, note, trigger })
 * - `signature_recorded`: a party's signature (changes: { partyId, party, signedAt, place, method, witnesses when any were named, onBehalf })
 * - `party_declined`: a party declined to sign (changes: { partyId, party, reason })
 * - `round_added`: a negotiation round (changes: the round)
 * - `link_added`: a link to another instrument (changes: { type, agreementId, code })
 * - `reopened`: text change after text_agreed, clearances and signatures void (changes: { reason })
 * - `comment`: a reader's comment (changes: { text })
 * - `document_uploaded`, `document_downloaded`: a PDF version stored, or a copy of one sent
 * - `deadline_created`, `deadline_updated`: a deadline opened or changed (changes: { deadlineId, field: { from, to } })
 * - `indices_set`: the performance indices it counts for (changes: { indices: { from, to } })
 * - `imported`: created from a register row (changes: { file, sha256, row, stage, ... })
 * - `reminders_paused`, `reminders_resumed`: reminders of its open deadlines (changes: { deadlines })
 */
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

export interface AppendHistoryInput {
  agreementId: string | Types.ObjectId;
  actor: Actor;
  action: HistoryAction;
  changes?: Record<string, unknown>;
  /** defaults to ctx.clock.now(); demo data passes backdated times */
  at?: Date;
  /** the agreement's lead unit: given with an agreement's first event, later ones carry on the chain head's */
  leadUnit?: string;
}

/**
 * Appends one event to the agreement's hash chain. Call it inside the transaction of the change
 * it records; the unique {agreementId, seq} index refuses a second event with the same number,
 * so two concurrent appends can never fork the chain (the loser's transaction is retried or fails).
 */
export async function appendHistoryEvent(ctx: DomainContext, input: AppendHistoryInput, session?: ClientSession): Promise<HistoryEventRecord> {
  const [event] = await appendHistoryEvents(ctx, [input], session);
  return event;
}

/** The last event of an agreement's chain (null before the first), which the next one extends (and whose lead unit it copies). */
export type ChainHead = Pick<HistoryEventRecord, 'seq' | 'hash' | 'leadUnit'> | null;
const HEAD_FIELDS = { _id: 0, seq: 1, hash: 1, leadUnit: 1 } as const;

/** The stages of an aggregate on agreements that add `chainHead: [ChainHead]` (see applyStageChange). */
export const chainHeadLookup = (ctx: DomainContext) => ({
  $lookup: {
    from: ctx.models.HistoryEvent.collection.collectionName,
    localField: '_id',
    foreignField: 'agreementId',
    as: 'chainHead',
    pipeline: [{ $sort: { seq: -1 } }, { $limit: 1 }, { $project: HEAD_FIELDS }],
  },
});

/**
 * Appends events of one agreement in order (e.g. a signature and the stage change it caused):
 * the chain head is read once and the events go in one insert. A caller that has read the head
 * in the same transaction (chainHeadLookup) passes it as `head`.
 */
export async function appendHistoryEvents(ctx: DomainContext, inputs: AppendHistoryInput[], session?: ClientSession, head?: ChainHead): Promise<HistoryEventRecord[]> {
  const { HistoryEvent } = ctx.models;
  const agreementId = new Types.ObjectId(String(inputs[0].agreementId));
  // The driver's own findOne: every change of every agreement reads the chain head.
  let last =
    head !== undefined ? head : ((await HistoryEvent.collection.findOne({ agreementId }, { sort: { seq: -1 }, projection: HEAD_FIELDS, session })) as ChainHead);
  const events: HistoryEventRecord[] = [];
  for (const input of inputs) {
    // Built typed, then taken through BSON: the hash covers exactly what is stored. The driver's
    // insert spares the document machinery of Model.create (about 0.16 ms of CPU per event).
    const stored = storedForm({
      _id: new Types.ObjectId(),
      agreementId,
      seq: (last?.seq ?? 0) + 1,
      at: input.at ?? ctx.clock.now(),
      actor: toPlainJson({ id: input.actor.id, email: input.actor.email, name: input.actor.name }),
      role: input.actor.role,
      action: input.action,
      changes: toPlainJson(input.changes ?? {}),
      prevHash: last?.hash ?? GENESIS_HASH,
    });
    const event: HistoryEventRecord = { ...stored, hash: hashEvent({ ...stored, agreementId: stored.agreementId.toHexString() }) };
    const leadUnit = input.leadUnit ?? last?.leadUnit;
    if (leadUnit !== undefined) event.leadUnit = leadUnit;
    events.push(event);
    last = event;
  }
  // Inside a transaction its commit carries the write concern; alone, the insert waits for a majority itself.
  await HistoryEvent.collection.insertMany(events, session?.inTransaction() ? { session, ordered: true } : { session, ordered: true, writeConcern: MAJORITY_WRITE });
  return events;
}

/**
 * Tries of a standalone append, and the longest pause between two. Writers that collided and
 * retried at once meet again at the next number; a random pause, growing with each try, spreads
 * them out. 40 comments sent at once on one agreement (embedded database): with ten immediate
 * retries 19 to 28 of them were refused, with these none in 8 rounds; at 150 at once about a
 * fifth still are, and are told so (historyBusy).
 */
const APPEND_ATTEMPTS = 20;
const MAX_PAUSE_MS = 50;

/** The history stayed busy with other writers through every try: the caller may try again. */
export function historyBusy(): AppError {
  return new AppError(
    'version_conflict',
    "The agreement's history is busy recording other changes; try again in a moment / Riwayat perjanjian sedang sibuk mencatat perubahan lain; silakan coba lagi sebentar lagi",
    { reason: 'history_busy' },
  );
}

export function isHistoryBusy(err: unknown): boolean {
  return err instanceof AppError && err.code === 'version_conflict' && (err.details as { reason?: string } | undefined)?.reason === 'history_busy';
}

/**
 * Appends an event that goes with no other write (a comment, a download). Another event taking
 * the same sequence number first (the unique index refuses the second) means: append after it.
 * Still losing after every try is historyBusy() (409), not a duplicate value the user sent.
 */
export async function appendHistoryEventRetrying(ctx: DomainContext, input: AppendHistoryInput, attempts = APPEND_ATTEMPTS): Promise<HistoryEventRecord> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await appendHistoryEvent(ctx, input);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      if (attempt >= attempts) throw historyBusy();
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(MAX_PAUSE_MS, 2 ** attempt)));
    }
  }
}
