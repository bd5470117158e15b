import type { Types } from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { WITHOUT_SEARCH_FIELDS, type AgreementRecord } from '../../models/agreement.js';

export const notFound = () => new AppError('not_found', 'Agreement not found / Perjanjian tidak ditemukan');

/**
 * A confidential agreement is visible only to its lead unit and to admins (auditors of other
 * units included: they read everything except other units' confidential agreements).
 */
export function canSee(actor: Pick<Actor, 'role' | 'unit'>, a: Pick<AgreementRecord, 'confidentiality' | 'leadUnit'>): boolean {
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

/** A malformed id answers like an unknown one. */
export function checkedId(id: string | Types.ObjectId): string {
  const text = String(id);
  if (!/^[0-9a-f]{24}$/i.test(text)) throw notFound();
  return text;
}

function visibleTo(actor: Actor, agreement: AgreementRecord | null): AgreementRecord {
  if (!agreement || !canSee(actor, agreement)) throw notFound();
  return agreement;
}

async function loadAgreement(ctx: DomainContext, id: string): Promise<AgreementRecord | null> {
  return ctx.models.Agreement.findById(id, WITHOUT_SEARCH_FIELDS).lean<AgreementRecord>();
}
