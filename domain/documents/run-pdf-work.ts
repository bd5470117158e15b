import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { PdfPoolFull } from '../../uploads/worker/pdf-worker-pool.js';

/**
 * What a refused client is told to wait, in seconds. A usual file is checked in well under a
 * second and a heavy one in a few; a full line drains more slowly than one user's own work.
 */
const OWN_WORK_RETRY_AFTER_SECONDS = 5;
const FULL_LINE_RETRY_AFTER_SECONDS = 10;

const ownWorkBusy = () =>
  new AppError(
    'too_many_requests',
    'An earlier upload or PDF request of yours is still being processed; try again in a few seconds / Unggahan atau permintaan PDF Anda sebelumnya masih diproses; silakan coba lagi dalam beberapa detik',
    { retryAfterSeconds: OWN_WORK_RETRY_AFTER_SECONDS },
  );

const lineFull = () =>
  new AppError(
    'unavailable',
    'The server is busy processing other PDF files; try again in a few seconds / Server sedang sibuk memproses berkas PDF lain; silakan coba lagi dalam beberapa detik',
    { retryAfterSeconds: FULL_LINE_RETRY_AFTER_SECONDS },
  );

/**
 * Refuses at once (429 for the user's own work, 503 for a full line) what runPdfWork would
 * refuse now: called before an upload's file is read, so a refused upload is not received first.
 * It takes nothing; runPdfWork checks again when the work starts.
 */
export function assertPdfRoom(ctx: DomainContext, actor: Actor): void {
  const { pdf } = ctx.services.documents;
  if (!pdf.ownerHasRoom(actor.id)) throw ownWorkBusy();
  if (!pdf.hasRoom()) throw lineFull();
}

/**
 * Runs one piece of a user's PDF work (an upload's checks, a stamped copy, a signing packet) on
 * one of that user's places in the shared PDF workers, given back however the work ends. The
 * refusal is thrown before any promise exists, so a caller that shares the returned promise with
 * others (the stamped copy) never hands them this user's 429.
 */
export function runPdfWork<T>(ctx: DomainContext, actor: Actor, work: () => Promise<T>): Promise<T> {
  const { pdf } = ctx.services.documents;
  const claim = pdf.claim(actor.id);
  if (!claim) throw ownWorkBusy();
  return (async () => {
    try {
      return await work();
    } catch (err) {
      throw err instanceof PdfPoolFull ? lineFull() : err;
    } finally {
      claim.release();
    }
  })();
}
