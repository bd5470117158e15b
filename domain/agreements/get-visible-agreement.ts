import { Types } from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { WITHOUT_SEARCH_FIELDS, type AgreementRecord } from '../../models/agreement.js';

export const notFound = () => new AppError('not_found', 'Agreement not found / Perjanjian tidak ditemukan');

/**
 * A confidential agreement is visible only to its lead unit and to admins (auditors of other
 * units included: they read everything except other units' confidential agreements).
 */
export function canSee(actor: Actor, a: Pick<AgreementRecord, 'confidentiality' | 'leadUnit'>): boolean {
  return a.confidentiality !== 'confidential' || actor.role === 'admin' || actor.unit === a.leadUnit;
}

/**
 * The agreement, or not_found for an unknown id, a malformed id, or a confidential agreement
 * of another unit: the same answer in all three cases, so ids cannot be probed. The search
 * fields are left out (WITHOUT_SEARCH_FIELDS).
 */
export async function getVisibleAgreement(ctx: DomainContext, actor: Actor, id: string | Types.ObjectId): Promise<AgreementRecord> {
  return visibleTo(actor, await loadAgreement(ctx, checkedId(id)));
}

/**
 * The same answer from the agreements read cache (frozen: copy before changing it). For reads,
 * and for writes whose one write is conditional on the version read (a stale copy then costs a
 * 409, never a wrong write). See models/read-cache.ts for when an entry is dropped.
 */
export async function readVisibleAgreement(ctx: DomainContext, actor: Actor, id: string | Types.ObjectId): Promise<AgreementRecord> {
  const text = checkedId(id);
  const cache = ctx.services.readCaches?.agreements;
  return visibleTo(actor, cache ? await cache.get(text, () => loadAgreement(ctx, text)) : await loadAgreement(ctx, text));
}

/** A malformed id answers like an unknown one. */
function checkedId(id: string | Types.ObjectId): string {
  const text = String(id);
  if (!/^[0-9a-f]{24}$/i.test(text)) throw notFound();
  return text;
}

function visibleTo(actor: Actor, agreement: AgreementRecord | null): AgreementRecord {
  if (!agreement || !canSee(actor, agreement)) throw notFound();
  return agreement;
}

/** The driver's own findOne (the id is checked above): the commonest read of all, spared mongoose's query machinery. */
async function loadAgreement(ctx: DomainContext, id: string): Promise<AgreementRecord | null> {
  return (await ctx.models.Agreement.collection.findOne({ _id: new Types.ObjectId(id) }, { projection: WITHOUT_SEARCH_FIELDS })) as AgreementRecord | null;
}
