import type { AppContext } from './context.js';

/** What runs between connecting and listening, and what must stop on shutdown. */
export interface StartupHandle {
  /** prints what a person starting the service needs to know (URL, demo logins) */
  announce(port: number): void;
  stop(): Promise<void>;
}

export async function runStartupTasks(ctx: AppContext): Promise<StartupHandle> {
  const lines: string[] = [];
  const stops: Array<() => Promise<void> | void> = [];
  void ctx;
  return {
    announce(port) {
      const out = [`Agreement tracker listening on http://localhost:${port} (database: ${ctx.db.backend})`, ...lines];
      process.stdout.write(out.join('\n') + '\n');
    },
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}
