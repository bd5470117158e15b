import { onStageChange } from '../agreements/hooks.js';
import { syncStageDeadlines } from './sync-stage-deadlines.js';

/** Subscribes the deadline rules to stage changes (idempotent: the hook list ignores a second subscription). */
export function registerDeadlineHooks(): void {
  onStageChange(syncStageDeadlines);
}
