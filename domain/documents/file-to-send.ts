import type { Readable } from 'node:stream';
import type { ByteRange } from '../../uploads/storage/index.js';

/**
 * A stored file ready to be sent: the HTTP edge decides on 304/206/416 from these facts and
 * calls recordDownload() only when bytes will actually go out.
 */
export interface FileToSend {
  fileName: string;
  contentType: 'application/pdf';
  size: number;
  /** the hex SHA-256 of the bytes: the strong ETag (null for one-off files such as the packet) */
  sha256: string | null;
  open(range?: ByteRange): Readable;
  /** called before content is sent (the whole file, or the one byte range given): records the reading it starts, if any (see recordDocumentDownload) */
  recordDownload(range?: ByteRange & { size: number }): Promise<void>;
  /** called once the response is over, sent or not (removes one-off files) */
  dispose?(): Promise<void>;
}
