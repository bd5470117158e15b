import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import type { FileToSend } from './file-to-send.js';
import { getVisibleDocument } from './get-visible-document.js';
import { downloadRecorder } from './record-document-download.js';

/** The exact uploaded bytes of a document version. */
export async function getDocumentFile(ctx: DomainContext, actor: Actor, documentId: string): Promise<FileToSend> {
  const { document, agreement } = await getVisibleDocument(ctx, actor, documentId);
  const store = ctx.services.documents.files.get(document.storage.driver);
  const stat = await store.stat(document.storage.key);
  if (!stat) {
    ctx.logger.error('stored file missing', { documentId, key: document.storage.key });
    throw new AppError('unavailable', 'The stored file is missing; an administrator has been alerted / Berkas tersimpan hilang; administrator telah diberi tahu');
  }
  return {
    fileName: document.fileName,
    contentType: 'application/pdf',
    // the recorded size and hash describe the bytes; a file altered on disk is caught by /verify
    size: stat.size,
    sha256: document.sha256,
    open: (range) => store.read(document.storage.key, range),
    recordDownload: downloadRecorder(ctx, actor, agreement, document, 'original'),
  };
}
