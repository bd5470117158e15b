import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { stageLabel } from '../deadlines/labels.js';
import type { AgreementRecord, Confidentiality, Party, Titles } from '../../models/agreement.js';
import { checkTitleLanguages } from './titles.js';
import { hasStage, isTextLocked, needsReopenForTextChange, workflowOf } from '../../workflows/index.js';
import { appendHistoryEvent } from '../history/append-history-event.js';
import { toPlainJson, canonicalJson } from '../history/hash-chain.js';
import { writeIfUnchanged, staleVersion } from './conditional-write.js';
import { refreshDeadlineAudience } from '../deadlines/refresh-deadline-audience.js';
import { loadBusinessCalendar } from '../deadlines/business-calendar.js';
import { readdressSigningDeadlines } from '../deadlines/sync-signing-deadlines.js';
import { syncTermDeadlines } from '../deadlines/sync-term-deadlines.js';
import type { DeadlineRecord } from '../../models/deadline.js';
import { derivedFields } from './derived-fields.js';
import { getVisibleAgreement } from './get-visible-agreement.js';
import { assertMayChangeConfidentiality, assertMayMoveBetweenUnits } from './lead-unit-rules.js';
import { newParty, type PartyInput } from './party-input.js';
import { textLockedError } from './reopen-for-text-change.js';
import { inTransaction } from '../../lib/transaction.js';
import { checkEntryIntoForceDay, checkTerm, endOfDuration } from './term-rules.js';

/**
 * Fields a PATCH may never set (400): identity, the stage (moved only through transitions), the
 * version (the concurrency token, not a value), the history and what routes of their own record.
 */
export const IMMUTABLE_FIELDS = [
  '_id',
  'id',
  'code',
  'type',
  'stage',
  'stageEnteredAt',
  'stageDueAt',
  'previousStage',
  'history',
  'events',
  'createdAt',
  'updatedAt',
  'createdBy',
  'rounds',
  'links',
  'signedAt',
  'searchText',
  'searchTerms',
  'partyKeys',
  'audience',
] as const;

export interface AgreementChanges {
  title?: Titles;
  subjects?: string[];
  leadUnit?: string;
  confidentiality?: Confidentiality;
  authenticLanguages?: string[];
  parties?: PartyInput[];
  entryIntoForce?: { date?: Date | null; basis?: string | null } | null;
  term?: { durationMonths?: number | null; expiresAt?: Date | null; noticePeriodDays?: number | null } | null;
}

/** Fields that are part of the agreed text: frozen from text_agreed (reopen first) and for good after signing. */
const TEXT_FIELDS: ReadonlyArray<keyof AgreementChanges> = ['title', 'authenticLanguages'];

export interface UpdateAgreementInput {
  id: string;
  actor: Actor;
  expectedVersion: number | undefined;
  changes: AgreementChanges;
}

const same = (a: unknown, b: unknown) => canonicalJson(toPlainJson(a ?? null)) === canonicalJson(toPlainJson(b ?? null));

/** Merges party input with the stored parties: known ids keep their status and signature; new ones start pending. */
export function mergeParties(current: Party[], input: PartyInput[], now: Date): Party[] {
  return input.map((p) => {
    if (!p.id) return newParty(p, now);
    const existing = current.find((c) => String(c._id) === p.id);
    if (!existing) {
      throw new AppError('validation_failed', 'Unknown party / Pihak tidak dikenal', [{ field: 'parties.id', message: `This agreement has no party ${p.id} / Perjanjian ini tidak memiliki pihak ${p.id}` }]);
    }
    const status = p.status && p.status !== existing.status ? p.status : existing.status;
    return {
      ...existing,
      name: p.name,
      // absent keeps it (as country), '' clears it
      officialName: p.officialName === undefined ? existing.officialName : p.officialName || undefined,
      kind: p.kind,
      country: p.country?.toUpperCase() ?? existing.country,
      signatory: p.signatory ?? existing.signatory,
      status,
      statusAt: status !== existing.status ? now : existing.statusAt,
    };
  });
}

/** Changes to membership or names of parties (as opposed to signatory details or statuses) change the text. */
function partiesChangeText(current: Party[], next: Party[]): boolean {
  if (current.length !== next.length) return true;
  return next.some((p) => {
    const c = current.find((x) => String(x._id) === String(p._id));
    return !c || c.name !== p.name || (c.officialName ?? null) !== (p.officialName ?? null) || c.kind !== p.kind || (c.country ?? null) !== (p.country ?? null);
  });
}

function checkStageAllows(agreement: AgreementRecord, changed: Set<string>, partiesText: boolean): void {
  const touchesText = TEXT_FIELDS.some((f) => changed.has(f)) || partiesText;
  if (isTextLocked(agreement, agreement.stage) && (touchesText || changed.has('parties'))) throw textLockedError();
  if (touchesText && needsReopenForTextChange(agreement, agreement.stage)) {
    throw new AppError(
      'invalid_state',
      'The text is agreed: move the agreement back (transition to negotiation or drafting) before changing it / Naskah sudah disepakati: kembalikan ke tahap negosiasi atau penyusunan terlebih dahulu',
      { currentStage: agreement.stage, fields: [...changed].filter((f) => TEXT_FIELDS.includes(f as keyof AgreementChanges) || f === 'parties') },
    );
  }
}

/**
 * Adding or removing the only foreign party moves the agreement to the other path (international
 * or domestic): refused while it stands in a stage the new path does not have (negotiation, or on
 * hold from it), so no agreement is left in a stage with no way out.
 */
function checkPathKeepsStage(before: AgreementRecord, after: AgreementRecord): void {
  const from = workflowOf(before);
  const to = workflowOf(after);
  if (from === to) return;
  const stages = [after.stage, ...(after.stage === 'on_hold' && after.previousStage ? [after.previousStage] : [])];
  const missing = stages.filter((stage) => !hasStage(after, stage));
  if (missing.length === 0) return;
  const names = { international: ['internasional', 'international'], domestic: ['dalam negeri', 'domestic'], guideline: ['pedoman', 'guideline'] }[to];
  throw new AppError(
    'invalid_state',
    `With these parties the agreement follows the ${names[1]} path, which has no stage “${stageLabel(missing[0]).en}”: move it to another stage first / Dengan para pihak ini perjanjian mengikuti alur ${names[0]}, yang tidak memiliki tahap “${stageLabel(missing[0]).id}”: pindahkan ke tahap lain terlebih dahulu`,
    { currentStage: after.stage, workflow: { from, to } },
  );
}

/** Edits fields other than the stage, on the version the caller read (409 when stale). */
export async function updateAgreement(ctx: DomainContext, input: UpdateAgreementInput): Promise<AgreementRecord> {
  const agreement = await getVisibleAgreement(ctx, input.actor, input.id);
  if (input.expectedVersion === undefined) {
    throw new AppError('validation_failed', 'The version being edited is required (If-Match or version) / Versi wajib disertakan', [
      { field: 'version', message: "'version' is required (or an If-Match header) / 'version' wajib disertakan (atau header If-Match)" },
    ]);
  }
  if (input.expectedVersion !== agreement.version) throw staleVersion(agreement);
  const now = ctx.clock.now();
  const next: Record<string, unknown> = { ...input.changes };
  // In force, a term given as a duration alone ends that many months after the entry into force.
  if (input.changes.term && agreement.stage === 'in_force') {
    const end = endOfDuration({ term: input.changes.term as AgreementRecord['term'], entryIntoForce: input.changes.entryIntoForce ?? agreement.entryIntoForce } as AgreementRecord);
    if (end) next.term = { ...input.changes.term, expiresAt: end };
  }
  if (input.changes.parties) next.parties = mergeParties(agreement.parties, input.changes.parties, now);
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, value] of Object.entries(next)) {
    const before = (agreement as unknown as Record<string, unknown>)[field];
    if (!same(before, value)) diff[field] = { from: before ?? null, to: value ?? null };
  }
  if (Object.keys(diff).length === 0) return agreement;
  if (diff.leadUnit) assertMayMoveBetweenUnits(input.actor, agreement.leadUnit, String(next.leadUnit));
  if (diff.confidentiality) assertMayChangeConfidentiality(input.actor, agreement);
  const partiesText = diff.parties ? partiesChangeText(agreement.parties, next.parties as Party[]) : false;
  checkStageAllows(agreement, new Set(Object.keys(diff)), partiesText);
  const merged = { ...agreement, ...next } as AgreementRecord;
  if (diff.title || diff.authenticLanguages) checkTitleLanguages(merged.title, merged.authenticLanguages ?? []);
  if (diff.parties) checkPathKeepsStage(agreement, merged);
  if (diff.entryIntoForce) checkEntryIntoForceDay(merged, merged.stage === 'in_force' ? now : null);
  if (diff.term || diff.entryIntoForce) checkTerm(merged);
  const set = Object.fromEntries(Object.keys(diff).map((f) => [f, next[f]]));
  return inTransaction(ctx, async (session) => {
    const updated = await writeIfUnchanged(ctx, agreement, { $set: { ...set, ...derivedFields(merged), updatedAt: now } }, session);
    // Deadlines copy who may see them; a confidentiality or lead-unit change must reach them in this transaction.
    if (diff.confidentiality || diff.leadUnit) await refreshDeadlineAudience(ctx, updated, session);
    // A new signatory is the one to remind: the party's open signing deadlines follow.
    if (diff.parties) await readdressSigningDeadlines(ctx, updated, agreement.parties, input.actor, await loadBusinessCalendar(ctx), session);
    // The events' copy of the lead unit (outside their hash) follows, so the unit's reports find its whole history.
    // A term learnt or amended once in force moves its expiry and notice deadlines (reminders timed before now count as given).
    if (diff.term && updated.stage === 'in_force') {
      const deadlines = (await ctx.models.Deadline.collection.find({ agreementId: agreement._id }, { session }).toArray()) as DeadlineRecord[];
      await syncTermDeadlines(ctx, { agreement: updated, deadlines, actor: input.actor, at: now, calendar: await loadBusinessCalendar(ctx), remindersFrom: now }, session);
    }
    if (diff.leadUnit) await ctx.models.HistoryEvent.collection.updateMany({ agreementId: agreement._id }, { $set: { leadUnit: updated.leadUnit } }, { session });
    await appendHistoryEvent(ctx, { agreementId: agreement._id, actor: input.actor, action: 'updated', changes: diff, at: now, leadUnit: updated.leadUnit }, session);
    return updated;
  });
}
