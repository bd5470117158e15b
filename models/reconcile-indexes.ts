import type { Model } from 'mongoose';

/** What start-up did to one collection's indexes. */
export interface IndexChanges {
  collection: string;
  /** indexes found in the database that no schema declares any more (or declares differently) */
  dropped: string[];
  created: string[];
  failed: IndexFailure[];
}

export interface IndexFailure {
  collection: string;
  /** the declared key pattern, e.g. `{ email: 1 }` */
  key: Record<string, unknown>;
  unique: boolean;
  reason: string;
}

/** Unique indexes that cannot be built: the service would otherwise run without a rule its data relies on. */
export class IndexReconcileError extends Error {
  constructor(readonly failures: IndexFailure[]) {
    super(
      [
        'Start-up stopped: these unique indexes cannot be built on the existing data.',
        ...failures.map((f) => `  ${f.collection} ${JSON.stringify(f.key)}: ${f.reason}`),
        'Remove or merge the duplicate documents (the key above names one pair), then start again.',
      ].join('\n'),
    );
    this.name = 'IndexReconcileError';
  }
}

interface IndexLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Brings every collection's indexes to what the schemas declare, deliberately and once at
 * start-up: indexes no longer declared (or declared with other options) are dropped, so an old
 * database stops paying for them on every write; missing ones are built, one at a time so that
 * one failure does not hide the others. An index that cannot be built is reported with its
 * reason; a missing unique index stops start-up (IndexReconcileError), a missing plain one only
 * costs speed and is logged as a warning.
 */
export async function reconcileIndexes(models: Record<string, unknown>, log: IndexLog): Promise<IndexChanges[]> {
  const changes: IndexChanges[] = [];
  for (const model of Object.values(models)) {
    if (!isModel(model)) continue;
    changes.push(await reconcileModel(model, log));
  }
  const blocking = changes.flatMap((c) => c.failed).filter((f) => f.unique);
  if (blocking.length > 0) throw new IndexReconcileError(blocking);
  return changes;
}

async function reconcileModel(model: Model<any>, log: IndexLog): Promise<IndexChanges> {
  // Creates the collection (indexes are not built there: the connection sets autoIndex off).
  await model.init();
  const collection = model.collection.collectionName;
  const result: IndexChanges = { collection, dropped: [], created: [], failed: [] };
  const diff = await model.diffIndexes({ indexOptionsToCreate: true });
  for (const name of diff.toDrop as string[]) {
    try {
      await model.collection.dropIndex(name);
      result.dropped.push(name);
      log.info('index dropped: no longer declared', { collection, index: name });
    } catch (err) {
      // another instance starting at the same time dropped it first
      if (codeOf(err) !== 27) throw err;
    }
  }
  for (const entry of diff.toCreate as unknown as Array<[Record<string, any>, Record<string, any>]>) {
    const [key, options = {}] = entry;
    try {
      const name = await model.collection.createIndex(key, options);
      result.created.push(name);
      log.info('index built', { collection, index: name });
    } catch (err) {
      const failure: IndexFailure = { collection, key, unique: options.unique === true, reason: describeFailure(err) };
      result.failed.push(failure);
      (failure.unique ? log.error : log.warn).call(log, 'index cannot be built', { ...failure });
    }
  }
  return result;
}

function describeFailure(err: unknown): string {
  const e = err as { code?: number; codeName?: string; message?: string; keyValue?: unknown };
  if (e.code === 11000) {
    const value = e.keyValue ? ` ${JSON.stringify(e.keyValue)}` : '';
    return `two or more documents have the same value${value}`;
  }
  return `${e.codeName ?? 'error'} (${e.code ?? '?'}): ${e.message ?? String(err)}`;
}

function codeOf(err: unknown): number | undefined {
  return (err as { code?: number } | undefined)?.code;
}

function isModel(value: unknown): value is Model<any> {
  return typeof value === 'function' && 'diffIndexes' in value && 'collection' in value;
}
