/**
 * Imported first by every module that imports mingo, before mingo itself loads.
 *
 * mingo's CommonJS build (what Node loads) exports through esbuild's getters, twice over for a
 * re-export: inside mingo's evaluator each call of a helper such as `isArray(x)` reads it through
 * four getters, which V8 does not inline (they share one body with a variable key). Profiled on
 * the annual summary's working-day expressions, those getters took half of the evaluator's time.
 *
 * mingo's foundation modules depend only on one another and are not imported directly by this
 * server, so they are loaded here first, in order, and each one's cached exports replaced by a
 * plain object holding the same values. The rest of mingo then binds to the plain objects. The
 * functions and classes are mingo's own and unchanged; only the way they are looked up is. Should
 * mingo already be loaded when this runs, nothing is replaced, and a test says so.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(require.resolve('mingo/util')), '..');

/** Each module after the ones it requires. */
const FOUNDATION = [
  'util/_hash.js',
  'util/_internal.js',
  'util/index.js',
  'core/_internal.js',
  'operators/expression/_internal.js',
  'operators/expression/arithmetic/_internal.js',
].map((file) => path.join(root, file));

// any of them loaded already: so is the rest of mingo, bound to the original objects
const tooLate = FOUNDATION.some((file) => require.cache[file] !== undefined);

if (!tooLate) {
  for (const file of FOUNDATION) {
    const exported = require(file) as Record<string, unknown>;
    const plain: Record<string, unknown> = { ...exported };
    Object.defineProperty(plain, '__esModule', { value: true });
    require.cache[file]!.exports = plain;
  }
}

/** The files whose exports are plain objects now (for the test that checks it happened). */
export const MINGO_FOUNDATION = FOUNDATION;
