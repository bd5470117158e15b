import crypto from 'node:crypto';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { getVisibleDocument } from './get-visible-document.js';

export interface VerificationResult {
  id: string;
  /** true when the stored bytes hash to the recorded SHA-256 and have the recorded size */
  intact: boolean;
  sha256: { recorded: string; actual: string | null };
  size: { recorded: number; actual: number | null };
  /** false when the stored file is gone altogether */
  present: boolean;
  checkedAt: Date;
}

/** Recomputes the stored file's hash (streaming, so size does not matter) and compares. */
export async function verifyDocument(ctx: DomainContext, actor: Actor, documentId: string): Promise<VerificationResult> {
  const { document } = await getVisibleDocument(ctx, actor, documentId);
  const store = ctx.services.documents.files.get(document.storage.driver);
  let actual: string | null = null;
  let actualSize: number | null = null;
  if (await store.stat(document.storage.key)) {
    const hash = crypto.createHash('sha256');
    let size = 0;
    for await (const chunk of store.read(document.storage.key)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    actual = hash.digest('hex');
    actualSize = size;
  }
  return {
    id: String(document._id),
    intact: actual === document.sha256 && actualSize === document.size,
    sha256: { recorded: document.sha256, actual },
    size: { recorded: document.size, actual: actualSize },
    present: actual !== null,
    checkedAt: ctx.clock.now(),
  };
}
