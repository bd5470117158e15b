import type { Connection } from 'mongoose';

/**
 * Models are bound to a connection rather than to mongoose's global default, so that tests can
 * run two service instances against one database (e.g. two reminder sweeps racing).
 * Each area adds its models here.
 */
export function createModels(conn: Connection) {
  return {
    connection: conn,
  };
}

export type Models = ReturnType<typeof createModels>;

/** Builds every declared index (syncIndexes would also drop unknown ones: not at start-up). */
export async function ensureIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models)) {
    if (model && typeof model === 'function' && 'init' in model) await (model as any).init();
  }
}
