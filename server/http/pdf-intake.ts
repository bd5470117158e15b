import crypto from 'node:crypto';
import fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import type multer from 'multer';
import { PDF_MAGIC } from '../../uploads/pdf/inspect.js';
import { PdfRejection } from '../../uploads/pdf/rejection.js';
import type { TempFiles } from '../../uploads/temp-files.js';

/** What the intake leaves on req.file (besides multer's own fields). */
export interface IntakeFile {
  /** the flushed temporary file; the caller moves it into storage or removes it */
  path: string;
  size: number;
  sha256: string;
  originalname: string;
  fieldname: string;
}

/**
 * A multer storage engine that streams the upload to a temporary file in the data folder (never
 * to memory), hashing and counting as it goes, and stops at the first bytes if they are not
 * %PDF-. The file is opened exclusively and flushed before close, so what reaches the next step
 * is complete on disk. On any failure the temporary file is removed here; multer's own cleanup
 * (after a size-limit abort or a client that hangs up) removes it through _removeFile.
 */
export function pdfIntakeEngine(temp: TempFiles): multer.StorageEngine {
  return {
    _handleFile(_req: Request, file: Express.Multer.File, cb: (error?: any, info?: Partial<Express.Multer.File> & Partial<IntakeFile>) => void) {
      const tempPath = temp.path();
      // multer removes files of an aborted request by their path, even while still being written
      (file as { path?: string }).path = tempPath;
      const hash = crypto.createHash('sha256');
      let size = 0;
      let head = Buffer.alloc(0);
      const sniff = new Transform({
        transform(chunk: Buffer, _enc: BufferEncoding, next: TransformCallback) {
          if (head.length < PDF_MAGIC.length) {
            head = Buffer.concat([head, chunk.subarray(0, PDF_MAGIC.length - head.length)]);
            if (!PDF_MAGIC.subarray(0, head.length).equals(head)) return next(new PdfRejection('not_pdf'));
          }
          size += chunk.length;
          hash.update(chunk);
          next(null, chunk);
        },
        flush(next: TransformCallback) {
          if (size === 0) return next(new PdfRejection('empty'));
          if (head.length < PDF_MAGIC.length) return next(new PdfRejection('not_pdf'));
          next();
        },
      });
      const out = fs.createWriteStream(tempPath, { flags: 'wx', mode: 0o600, flush: true });
      pipeline(file.stream, sniff, out).then(
        () => cb(null, { path: tempPath, size, sha256: hash.digest('hex') }),
        (err: unknown) => {
          // pipeline() settles before the destroyed file stream has closed its descriptor:
          // wait for that, so no handle outlives the request, then remove the file
          const closed = out.closed ? Promise.resolve() : new Promise<void>((resolve) => out.once('close', () => resolve()));
          closed
            .then(() => fs.promises.rm(tempPath, { force: true }))
            .then(
              () => cb(err),
              () => cb(err),
            );
        },
      );
    },
    _removeFile(_req: Request, file: Express.Multer.File, cb: (error: Error | null) => void) {
      if (!file.path) return cb(null);
      fs.promises.rm(file.path, { force: true }).then(
        () => cb(null),
        (err: Error) => cb(err),
      );
    },
  };
}
