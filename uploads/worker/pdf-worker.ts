import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { withDecodeBudget } from '../pdf/decode-budget.js';
import { inspectPdf } from '../pdf/inspect.js';
import { extractPdfText } from '../pdf/extract-text.js';
import { PdfRejection } from '../pdf/rejection.js';
import { stampPdf } from '../pdf/stamp.js';
import { buildSigningPacket } from '../pdf/signing-packet.js';
import type { FileResult, PdfTask, WorkerReply } from './tasks.js';

/**
 * The worker thread: runs one task at a time for the pool. Memory and time limits are enforced
 * from outside (resourceLimits, terminate()), so nothing here needs to defend against bombs.
 */
if (!parentPort) throw new Error('pdf-worker must run in a worker thread');
const port = parentPort;
const decodeBudgetBytes: number = (workerData as { decodeBudgetBytes: number }).decodeBudgetBytes;

port.on('message', (msg: { id: number; task: PdfTask }) => {
  withDecodeBudget(decodeBudgetBytes, () => run(msg.task)).then(
    (result) => port.postMessage({ id: msg.id, ok: true, result } satisfies WorkerReply),
    (err: unknown) => {
      const reply: WorkerReply =
        err instanceof PdfRejection
          ? { id: msg.id, ok: false, rejection: { reason: err.reason, details: err.details } }
          : { id: msg.id, ok: false, error: String((err as Error)?.stack ?? err) };
      port.postMessage(reply);
    },
  );
});

async function run(task: PdfTask): Promise<unknown> {
  switch (task.type) {
    case 'inspect':
      return inspectPdf(await fs.promises.readFile(task.path), { maxPages: task.maxPages, trustedRoots: task.trustedRoots });
    case 'text':
      return extractPdfText(await fs.promises.readFile(task.path), { maxChars: task.maxChars });
    case 'stamp': {
      const out = await stampPdf(await fs.promises.readFile(task.input), task.stamp);
      return writeDurably(task.output, out.bytes, out.pages);
    }
    case 'packet': {
      const out = await buildSigningPacket(task.packet, (p) => fs.promises.readFile(p));
      return writeDurably(task.output, out.bytes, out.pages);
    }
  }
}

/** Writes and flushes, so the caller can rename the file into storage as a finished file. */
async function writeDurably(path: string, bytes: Uint8Array, pages: number): Promise<FileResult> {
  const fh = await fs.promises.open(path, 'wx', 0o600);
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { size: bytes.length, pages };
}
