import { runStartupTasks } from '../../server/startup.js';
import type { TestApp } from './app.js';

/** Loads the demo agreements and their dated histories as the zero-config start does. */
export async function loadDemo(t: TestApp): Promise<void> {
  const demoCtx = { ...t.ctx, config: { ...t.ctx.config, demoData: true }, db: { ...t.ctx.db, backend: 'embedded' as const } };
  const handle = await runStartupTasks(demoCtx);
  await handle.stop();
}
