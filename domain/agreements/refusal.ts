import { AppError } from '../errors.js';
import type { CanResult } from '../../workflows/index.js';

/** Turns the engine's refusal into the project's error: 409 for the table, 403 for the role, 422 for guards. */
export function refusalError(result: Extract<CanResult, { ok: false }>, stage: string): AppError {
  const message = `${result.message.en} / ${result.message.id}`;
  switch (result.reason) {
    case 'forbidden':
      return new AppError('forbidden', message);
    case 'guards':
      return new AppError('unprocessable', message, {
        unmet: result.unmet.map((u) => ({ guard: u.guard, message: u.message, ...(u.details ? { details: u.details } : {}) })),
      });
    default:
      return new AppError('invalid_state', message, { currentStage: stage, reason: result.reason });
  }
}
