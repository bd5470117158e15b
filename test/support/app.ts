import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { testConfig, type Config } from '../../lib/config.js';
import { createContext, closeContext, type AppContext } from '../../server/context.js';
import { createApp } from '../../server/app.js';
import { systemClock, type Clock } from '../../lib/clock.js';
import { testDatabase, type TestDatabase } from './db.js';

export interface TestApp {
  app: Express;
  ctx: AppContext;
  config: Readonly<Config>;
  close(): Promise<void>;
}

/** Data folders made for test apps; a test that closes its context by hand still gets its folder removed at exit. */
const ownDataDirs = new Set<string>();
process.once('exit', () => {
  for (const dir of ownDataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A real app on a real (embedded or MONGODB_URI) database, with its own database name and data folder. */
export async function createTestApp(
  options: { label?: string; env?: Record<string, string>; clock?: Clock; database?: TestDatabase } = {},
): Promise<TestApp> {
  const database = options.database ?? (await testDatabase(options.label));
  // stored and temporary files go to a folder of this app's own, never the developer's ./data
  const ownDataDir = options.env?.DATA_DIR ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'test-app-'));
  if (ownDataDir) ownDataDirs.add(ownDataDir);
  const config = testConfig({ MONGODB_URI: database.uri, DB_NAME: database.dbName, ...(ownDataDir ? { DATA_DIR: ownDataDir } : {}), ...options.env });
  const ctx = await createContext(config, { clock: options.clock ?? systemClock });
  const app = createApp(ctx);
  return {
    app,
    ctx,
    config,
    async close() {
      await ctx.connection.dropDatabase().catch(() => {});
      await closeContext(ctx);
      if (ownDataDir) {
        fs.rmSync(ownDataDir, { recursive: true, force: true });
        ownDataDirs.delete(ownDataDir);
      }
    },
  };
}
