/**
 * The PDF library alone, in a fresh process: `load <file>` reads, loads and counts pages;
 * `stamp <file>` reads, loads, stamps every page (the service's own stamp) and saves. Prints
 * `{ "ms": n }`, timed from reading the file to the result (module loading excluded).
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ParseSpeeds, PDFDocument } from '@cantoo/pdf-lib';
import { stampPdf } from '../uploads/pdf/stamp.js';

const [mode, file] = process.argv.slice(2);
const started = performance.now();
const bytes = fs.readFileSync(file);
if (mode === 'load') {
  const doc = await PDFDocument.load(bytes, { parseSpeed: ParseSpeeds.Fastest, updateMetadata: false });
  doc.getPageCount();
} else {
  const out = await stampPdf(bytes, { footer: 'MOU-BENCH-001 · final (id) · v1 · legal_review · SHA-256 0123456789ab' });
  if (out.bytes.length === 0) throw new Error('empty output');
}
process.stdout.write(JSON.stringify({ ms: performance.now() - started }) + '\n');
