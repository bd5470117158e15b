import mongoose from 'mongoose';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import type { PerformanceIndexRecord } from '../../models/performance-index.js';
import { inTransaction, isDuplicateKey } from '../../lib/transaction.js';

export interface IndexView {
  code: string;
  names: Array<{ fromYear: number; id: string; en: string }>;
  fromYear: number;
  retiredFromYear: number | null;
  position: number;
  version: number;
}

const view = (r: PerformanceIndexRecord): IndexView => ({
  code: r._id,
  names: [...r.names].sort((a, b) => a.fromYear - b.fromYear).map((n) => ({ fromYear: n.fromYear, id: n.id, en: n.en })),
  fromYear: r.fromYear,
  retiredFromYear: r.retiredFromYear ?? null,
  position: r.position,
  version: r.version,
});

const notFound = (code: string) => new AppError('not_found', `No performance index “${code}” / Indeks kinerja “${code}” tidak ada`);

export async function listIndices(ctx: DomainContext): Promise<IndexView[]> {
  const rows = await ctx.models.PerformanceIndex.find({}).sort({ position: 1, _id: 1 }).lean<PerformanceIndexRecord[]>();
  return rows.map(view);
}

export async function createIndex(
  ctx: DomainContext,
  input: { code: string; name: { id: string; en: string }; fromYear: number; position?: number },
): Promise<IndexView> {
  const now = ctx.clock.now();
  const position = input.position ?? (await ctx.models.PerformanceIndex.countDocuments({})) + 1;
  try {
    const [created] = await ctx.models.PerformanceIndex.create([
      { _id: input.code, names: [{ fromYear: input.fromYear, ...input.name }], fromYear: input.fromYear, retiredFromYear: null, position, createdAt: now, updatedAt: now, version: 1 },
    ]);
    return view(created.toObject());
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError('duplicate', `Index “${input.code}” already exists / Indeks “${input.code}” sudah ada`);
    throw err;
  }
}

/**
 * Renames an index from a year on (earlier years keep the old name), retires it from a year on,
 * or brings it back. Agreements keep their attribution whatever happens to the index.
 */
export async function updateIndex(
  ctx: DomainContext,
  code: string,
  input: { version: number; rename?: { fromYear: number; id: string; en: string }; retiredFromYear?: number | null; position?: number },
): Promise<IndexView> {
  const current = await ctx.models.PerformanceIndex.findById(code).lean<PerformanceIndexRecord>();
  if (!current) throw notFound(code);
  const names = current.names.filter((n) => !input.rename || n.fromYear !== input.rename.fromYear);
  if (input.rename) names.push(input.rename);
  if (input.retiredFromYear != null && input.retiredFromYear <= current.fromYear) {
    throw new AppError('unprocessable', `An index can be retired only after its first year (${current.fromYear}) / Indeks hanya dapat dihentikan setelah tahun pertamanya (${current.fromYear})`);
  }
  const set: Record<string, unknown> = { names, updatedAt: ctx.clock.now() };
  if (input.retiredFromYear !== undefined) set.retiredFromYear = input.retiredFromYear;
  if (input.position !== undefined) set.position = input.position;
  const updated = await ctx.models.PerformanceIndex.findOneAndUpdate({ _id: code, version: input.version }, { $set: set, $inc: { version: 1 } }, { returnDocument: 'after' })
    .lean<PerformanceIndexRecord>();
  if (!updated) {
    throw new AppError('version_conflict', 'The index was changed by someone else / Indeks telah diubah pihak lain', { currentVersion: current.version });
  }
  return view(updated);
}

/**
 * Puts the indices in the order given, first to last: the order of the annual report's sections
 * and of every list of indices. `codes` must name every index once, so an order read before
 * someone added or removed an index is refused rather than applied to a list it never saw.
 */
export async function reorderIndices(ctx: DomainContext, codes: string[]): Promise<IndexView[]> {
  await inTransaction(ctx, async (session) => {
    const rows = await ctx.models.PerformanceIndex.find({}, { _id: 1, position: 1 }).session(session).lean<Array<Pick<PerformanceIndexRecord, '_id' | 'position'>>>();
    const positions = new Map(rows.map((r) => [r._id, r.position]));
    const unknown = codes.filter((c) => !positions.has(c));
    const left = rows.map((r) => r._id).filter((c) => !codes.includes(c));
    if (unknown.length || left.length) {
      const named = (label: string, list: string[]) => (list.length ? [`${label}: ${list.join(', ')}`] : []);
      const en = [...named('unknown', unknown), ...named('not named', left)].join('; ');
      const id = [...named('tidak dikenal', unknown), ...named('tidak disebut', left)].join('; ');
      throw new AppError('version_conflict', `The order must name every index once (${en}): read the indices again / Urutan harus menyebut setiap indeks satu kali (${id}): muat ulang daftar indeks`, {
        unknown,
        notNamed: left,
      });
    }
    const now = ctx.clock.now();
    const moves = codes
      .map((code, i) => ({ code, position: i + 1 }))
      .filter(({ code, position }) => positions.get(code) !== position)
      .map(({ code, position }) => ({ updateOne: { filter: { _id: code }, update: { $set: { position, updatedAt: now }, $inc: { version: 1 } } } }));
    if (moves.length) await ctx.models.PerformanceIndex.bulkWrite(moves, { session });
  });
  return listIndices(ctx);
}

/** Refuses codes that name no index (so an agreement never counts towards a typo). */
export async function assertIndicesExist(ctx: DomainContext, codes: string[]): Promise<void> {
  if (codes.length === 0) return;
  const found = await ctx.models.PerformanceIndex.find({ _id: mongoose.trusted({ $in: codes }) }, { _id: 1 }).lean<Array<{ _id: string }>>();
  const missing = codes.filter((c) => !found.some((f) => f._id === c));
  if (missing.length) {
    throw new AppError('validation_failed', `Unknown performance index: ${missing.join(', ')} / Indeks kinerja tidak dikenal: ${missing.join(', ')}`, [
      { field: 'indices', message: `unknown: ${missing.join(', ')} / tidak dikenal: ${missing.join(', ')}` },
    ]);
  }
}
