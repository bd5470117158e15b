import type { ClientSession } from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { BusinessCalendar } from '../../workflows/business-days.js';

/** What a listener learns when an agreement changes stage. */
export interface StageChange {
  agreementId: string;
  /** the agreement after the change, as a plain object */
  agreement: Record<string, any>;
  from: string;
  to: string;
  actor: Actor;
  at: Date;
  /** the working-day calendar the mover computed the new stage's due date with */
  calendar: BusinessCalendar;
}

export type StageChangeListener = (ctx: DomainContext, change: StageChange, session: ClientSession) => Promise<void>;

const listeners: StageChangeListener[] = [];

/**
 * Listeners run inside the transaction that moves the stage, so what they write (e.g. opening
 * and closing stage deadlines) commits or rolls back with the move itself: nothing is lost.
 */
export function onStageChange(listener: StageChangeListener): void {
  if (!listeners.includes(listener)) listeners.push(listener);
}

export async function runStageChangeListeners(ctx: DomainContext, change: StageChange, session: ClientSession): Promise<void> {
  for (const listener of listeners) await listener(ctx, change, session);
}
