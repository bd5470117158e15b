import { AppError } from '../errors.js';
import { PdfRejection } from '../../uploads/pdf/rejection.js';

export const documentNotFound = () => new AppError('not_found', 'Document not found / Dokumen tidak ditemukan');

/** A refused file is the client's problem (422) with the precise reason in details.reason. */
export function rejectionError(err: PdfRejection): AppError {
  return new AppError('unprocessable', err.message, { reason: err.reason, ...err.details });
}

/** Runs PDF work, turning the file's faults into 422s; our own faults stay errors (500). */
export async function refusingBadPdf<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof PdfRejection) throw rejectionError(err);
    throw err;
  }
}
