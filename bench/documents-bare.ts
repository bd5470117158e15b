/**
 * The PDF libraries alone, in a fresh process: `load <file>` reads, loads and counts pages;
 * `text <file>` reads, loads and counts pages, then extracts the text as an upload does (the
 * service's own extraction: pdf-lib inflates the streams under the budget, pdf.js reads the
 * text up to the stored maximum); `stamp <file>` reads, loads, stamps every page (the service's
 * own stamp) and saves. Prints `{ "ms": n }`, timed from reading the file to the result (module
 * loading excluded).
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ParseSpeeds, PDFDocument } from '@cantoo/pdf-lib';
import { stampPdf } from '../uploads/pdf/stamp.js';
import { extractPdfText } from '../uploads/pdf/extract-text.js';

// pdf.js is imported on first use inside extractPdfText: load it before the clock starts
await import('pdfjs-dist/legacy/build/pdf.mjs');

const [mode, file] = process.argv.slice(2);
const started = performance.now();
const bytes = fs.readFileSync(file);
if (mode === 'load' || mode === 'text') {
  const doc = await PDFDocument.load(bytes, { parseSpeed: ParseSpeeds.Fastest, updateMetadata: false });
  doc.getPageCount();
  if (mode === 'text' && !(await extractPdfText(bytes)).textLayer) throw new Error('no text found');
} else {
  const out = await stampPdf(bytes, { footer: 'MOU-BENCH-001 · final (id) · v1 · legal_review · SHA-256 0123456789ab' });
  if (out.bytes.length === 0) throw new Error('empty output');
}
process.stdout.write(JSON.stringify({ ms: performance.now() - started }) + '\n');
