import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * What to start a worker thread from, given its TypeScript module: the compiled `.js` next to it
 * in a build; when running from the sources (tests, `tsx`), a bootstrap that registers tsx inside
 * the thread first, since tsx's --import hook does not reach worker threads (privatenumber/tsx#354).
 * Pass the result as `new Worker(evalCode ?? file, { eval: evalCode !== undefined })`.
 */
export function workerEntry(tsModule: URL): { file: URL; evalCode?: string } {
  const ts = fileURLToPath(tsModule);
  if (ts.endsWith('.ts') && fs.existsSync(ts)) {
    const code = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(tsModule.href)}); });`;
    return { file: tsModule, evalCode: code };
  }
  return { file: new URL(tsModule.href.replace(/\.ts$/, '.js')) };
}

/**
 * The young generation of a worker whose heap is capped at memoryMb, on top of that cap. Parsers
 * (pdf-lib, exceljs) allocate a great many short-lived objects; with a small young generation they are promoted
 * and collected by full GCs under the tight old-generation cap. A large one is worse: V8
 * scavenges only while the old generation could still take in a whole young generation, and
 * otherwise runs a full mark-compact instead, at every young-generation collection. Text
 * extraction of a 1,000-page file holds about 150 MB live, so with the 256 MB default cap a
 * 128 MB young generation turned every collection into a full one. Measured here in a worker
 * thread with the 256 MB cap, per pdf-lib task:
 *
 * | young generation | text of 1,000 pages | stamp of 1,000 pages |
 * |---|---|---|
 * | 16 MB | 720 ms | |
 * | 64 MB | 580 ms | 610 ms |
 * | 128 MB | 7,000 ms | 590 ms |
 *
 * A quarter of the cap leaves the old generation room for both. It costs memory: a worker may
 * hold up to memoryMb + this.
 */
export function youngGenerationMb(memoryMb: number): number {
  return Math.min(64, Math.max(16, Math.floor(memoryMb / 4)));
}
