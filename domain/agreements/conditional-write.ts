import type { ClientSession, UpdateQuery } from 'mongoose';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { stageLabel } from '../deadlines/labels.js';
import { WITHOUT_SEARCH_FIELDS, type AgreementRecord } from '../../models/agreement.js';
import type { Stage } from '../../workflows/index.js';

export const staleVersion = (current: Pick<AgreementRecord, 'version' | 'stage'>) =>
  new AppError('version_conflict', 'The agreement was changed by someone else / Perjanjian telah diubah pihak lain', {
    currentVersion: current.version,
    currentStage: current.stage,
  });

/**
 * Writes only if the agreement is still at the version (and stage) it was read at; otherwise
 * answers 409 with the current version. This is what makes racing requests fail cleanly.
 * Answers the agreement as written, without its search fields.
 */
export async function writeIfUnchanged(
  ctx: DomainContext,
  read: Pick<AgreementRecord, '_id' | 'version' | 'stage'>,
  update: { $set: Record<string, unknown>; $unset?: Record<string, 1>; $push?: Record<string, unknown> },
  session: ClientSession,
  expectStage?: Stage,
): Promise<AgreementRecord> {
  const filter: Record<string, unknown> = { _id: read._id, version: read.version };
  if (expectStage) filter.stage = expectStage;
  const full: UpdateQuery<AgreementRecord> = { ...update, $inc: { version: 1 } };
  const updated = await ctx.models.Agreement.findOneAndUpdate(filter, full, { returnDocument: 'after', session, runValidators: true, projection: WITHOUT_SEARCH_FIELDS })
    .lean<AgreementRecord>();
  if (updated) return updated;
  const current = await ctx.models.Agreement.findById(read._id, { version: 1, stage: 1 }, { session }).lean<AgreementRecord>();
  if (!current) throw new AppError('not_found', 'Agreement not found / Perjanjian tidak ditemukan');
  if (expectStage && current.stage !== expectStage) {
    const expected = stageLabel(expectStage);
    throw new AppError('invalid_state', `The agreement is no longer at the stage “${expected.en}” / Perjanjian tidak lagi pada tahap “${expected.id}”`, {
      currentVersion: current.version,
      currentStage: current.stage,
    });
  }
  throw staleVersion(current);
}
