import type { Actor } from '../accounts/actor.js';
import { AppError } from '../errors.js';

/**
 * The lead unit decides who may see a confidential agreement, so handing an agreement from one
 * unit to another is an administrator's act: otherwise any drafter could move another unit's
 * agreement under their own, make it confidential and lock its owners out of it (and of its
 * history). Everyone else creates, imports and keeps agreements in their own unit, and only the
 * lead unit's own members choose who may see its agreements.
 */
export const mayLeadIn = (actor: Actor, leadUnit: string): boolean => actor.role === 'admin' || leadUnit === actor.unit;

/** A new agreement under another unit than the actor's: 403 unless an administrator (mayLeadIn). */
export function assertMayLeadIn(actor: Actor, leadUnit: string): void {
  if (mayLeadIn(actor, leadUnit)) return;
  throw new AppError(
    'forbidden',
    `Only an administrator may place an agreement under another unit (${leadUnit}); you belong to ${actor.unit} / Hanya administrator yang dapat menempatkan perjanjian di bawah unit lain (${leadUnit}); Anda anggota unit ${actor.unit}`,
    { field: 'leadUnit', leadUnit, unit: actor.unit },
  );
}

/** Moving an existing agreement between units, either way (handing it over, or taking it), is an administrator's act. */
export function assertMayMoveBetweenUnits(actor: Actor, from: string, to: string): void {
  if (actor.role === 'admin') return;
  throw new AppError(
    'forbidden',
    `Only an administrator may move an agreement from one unit to another (from ${from} to ${to}) / Hanya administrator yang dapat memindahkan perjanjian dari satu unit ke unit lain (dari ${from} ke ${to})`,
    { field: 'leadUnit', from, to },
  );
}

/** Who may see an agreement is chosen by its lead unit (or an administrator), not by another unit that can read it. */
export function assertMayChangeConfidentiality(actor: Actor, agreement: { leadUnit: string }): void {
  if (actor.role === 'admin' || agreement.leadUnit === actor.unit) return;
  throw new AppError(
    'forbidden',
    `Only the lead unit (${agreement.leadUnit}) or an administrator may change who may see this agreement / Hanya unit penanggung jawab (${agreement.leadUnit}) atau administrator yang dapat mengubah siapa yang boleh melihat perjanjian ini`,
    { field: 'confidentiality', leadUnit: agreement.leadUnit, unit: actor.unit },
  );
}
