import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PdfRejection } from './rejection.js';

/**
 * A cap on the bytes pdf-lib may inflate while handling one file.
 *
 * Decoded stream buffers are ArrayBuffers, which V8's heap limit (the worker's resourceLimits)
 * does not count: a 400 KB object stream that inflates to 400 MB was measured here to sail past
 * a 256 MB worker cap and be accepted after 5 s with the process at 870 MB. Every decoder in
 * pdf-lib (Flate, LZW, ASCII85, ASCIIHex, RunLength, decryption) grows its output through
 * DecodeStream.prototype.ensureBuffer, so counting there bounds them all. pdf-lib does not export
 * DecodeStream, so we reach the very module instance it uses by its file path.
 */
interface Budget {
  limit: number;
  used: number;
  exceeded: boolean;
}

let current: Budget | undefined;
let installed: Promise<void> | undefined;

export function installDecodeBudget(): Promise<void> {
  installed ??= (async () => {
    // Whether pdf-lib was loaded as ESM or CommonJS depends on the importer (tsx compiles some
    // callers to CommonJS): patch both copies, so the budget holds whichever one parses.
    const require = createRequire(import.meta.url);
    const cjsIndex = require.resolve('@cantoo/pdf-lib');
    const root = path.join(path.dirname(cjsIndex), '..');
    const esm = (await import(pathToFileURL(path.join(root, 'es', 'core', 'streams', 'DecodeStream.js')).href)) as { default: DecodeStreamClass };
    const cjs = require(path.join(root, 'cjs', 'core', 'streams', 'DecodeStream.js')) as { default: DecodeStreamClass };
    for (const cls of new Set([esm.default, cjs.default])) patch(cls.prototype);
  })();
  return installed;
}

type EnsureBuffer = (this: { buffer: Uint8Array; minBufferLength: number }, requested: number) => Uint8Array;
interface DecodeStreamClass {
  prototype: { ensureBuffer: EnsureBuffer };
}

function patch(proto: { ensureBuffer: EnsureBuffer }): void {
  const original = proto.ensureBuffer;
  proto.ensureBuffer = function ensureBuffer(requested: number) {
    const budget = current;
    if (budget && requested > this.buffer.byteLength) {
      let size = this.minBufferLength;
      while (size < requested) size *= 2;
      budget.used += size - this.buffer.byteLength;
      if (budget.used > budget.limit) {
        budget.exceeded = true;
        throw new PdfRejection('too_complex', { decodedBytesLimit: budget.limit });
      }
    }
    return original.call(this, requested);
  };
}

/** Runs fn with at most limitBytes of decoded stream data (one task at a time per thread). */
export async function withDecodeBudget<T>(limitBytes: number, fn: () => Promise<T>): Promise<T> {
  await installDecodeBudget();
  const previous = current;
  const budget: Budget = { limit: limitBytes, used: 0, exceeded: false };
  current = budget;
  try {
    return await fn();
  } catch (err) {
    // pdf-lib may wrap what we threw in its own parse error: the budget knows the real reason
    if (budget.exceeded) throw new PdfRejection('too_complex', { decodedBytesLimit: limitBytes });
    throw err;
  } finally {
    current = previous;
  }
}
