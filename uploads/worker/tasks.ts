import type { PdfRejectionReason } from '../pdf/rejection.js';
import type { PdfFacts } from '../pdf/inspect.js';
import type { PdfText } from '../pdf/extract-text.js';
import type { StampSpec } from '../pdf/stamp.js';
import type { PacketSpec } from '../pdf/signing-packet.js';

/**
 * Work handed to a PDF worker thread. Files travel as paths, never as bytes, so the main
 * thread never holds a whole PDF in memory.
 */
export type PdfTask =
  | { type: 'inspect'; path: string; maxPages: number; /** DER certificates, base64 (TRUSTED_CA_DIR) */ trustedRoots?: readonly string[] }
  | { type: 'text'; path: string; maxChars: number }
  | { type: 'stamp'; input: string; output: string; stamp: StampSpec }
  | { type: 'packet'; output: string; packet: PacketSpec };

export interface FileResult {
  /** size of the written output */
  size: number;
  pages: number;
}

export interface PdfTaskResults {
  inspect: PdfFacts;
  text: PdfText;
  stamp: FileResult;
  packet: FileResult;
}

export type WorkerReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; rejection: { reason: PdfRejectionReason; details: Record<string, unknown> } }
  | { id: number; ok: false; error: string };
