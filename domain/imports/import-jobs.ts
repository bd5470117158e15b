import crypto from 'node:crypto';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import type { ImportJobRecord } from '../../models/import-job.js';
import { importRegister, type ImportInput } from './import-register.js';

/**
 * A long import as a job: answered at once with an id, run in the background, its progress
 * written to the database (so any instance can answer the poll) and its result kept with it.
 */
export async function startImportJob(ctx: DomainContext, actor: Actor, input: ImportInput): Promise<ImportJobRecord> {
  const now = ctx.clock.now();
  const [job] = await ctx.models.ImportJob.create([
    { _id: crypto.randomUUID(), status: 'running', phase: 'reading', processed: 0, total: 0, dryRun: input.dryRun, fileName: input.file.name, createdBy: actor.id, error: null, createdAt: now, updatedAt: now },
  ]);
  const id = job._id;
  const update = (set: Partial<ImportJobRecord>) => ctx.models.ImportJob.updateOne({ _id: id }, { $set: { ...set, updatedAt: ctx.clock.now() } });
  void importRegister(ctx, actor, input, (phase, processed, total) => update({ phase, processed, total }).then(() => undefined))
    .then((result) => update({ status: 'done', phase: 'finished', processed: result.rows, total: result.rows, result }))
    .catch((err: unknown) => {
      const error = err instanceof AppError ? { code: err.code, message: err.message, details: err.details ?? null } : { code: 'internal', message: 'The import failed / Impor gagal' };
      if (!(err instanceof AppError)) ctx.logger.error('import job failed', { job: id, err: String((err as Error)?.stack ?? err) });
      return update({ status: 'failed', phase: 'finished', error });
    })
    .catch((err: unknown) => ctx.logger.error('import job could not record its end', { job: id, err: String(err) }));
  return job.toObject();
}

/** The job, for the person who started it (and admins). */
export async function getImportJob(ctx: DomainContext, actor: Actor, id: string) {
  const job = await ctx.models.ImportJob.findById(id).lean<ImportJobRecord>();
  if (!job || (job.createdBy !== actor.id && actor.role !== 'admin')) throw new AppError('not_found', 'No such import / Impor tidak ditemukan');
  return { id: job._id, status: job.status, phase: job.phase, processed: job.processed, total: job.total, dryRun: job.dryRun, fileName: job.fileName, result: job.result ?? null, error: job.error ?? null, createdAt: job.createdAt, updatedAt: job.updatedAt };
}
