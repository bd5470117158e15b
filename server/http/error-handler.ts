import type { ErrorRequestHandler, RequestHandler } from 'express';
import mongoose from 'mongoose';
import { AppError, type ErrorCode } from '../../domain/errors.js';
import type { Logger } from '../../lib/logger.js';
import { PdfRejection } from '../../uploads/pdf/rejection.js';

/** The single table from error code to HTTP status. */
const STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  version_conflict: 409,
  invalid_state: 409,
  duplicate: 409,
  unprocessable: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  range_not_satisfiable: 416,
  unavailable: 503,
  internal: 500,
};

/**
 * Translates everything that can be thrown (our AppError, body-parser, Multer, Joi, mongoose,
 * the driver) into an AppError. Order matters: the most specific checks come first, so that,
 * e.g., an oversized body is a 413 and never a generic 400.
 */
function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as Record<string, any> | undefined;
  if (!e || typeof e !== 'object') return new AppError('internal', 'Unexpected error');
  // A refused file is the client's problem, with the precise reason in details.reason.
  if (err instanceof PdfRejection) return new AppError('unprocessable', err.message, { reason: err.reason, ...err.details });

  // body-parser (express.json) errors carry a `type`
  if (e.type === 'entity.too.large') {
    return new AppError('payload_too_large', 'Request body is larger than the limit / Isi permintaan melebihi batas', { limit: e.limit });
  }
  if (e.type === 'entity.parse.failed') {
    return new AppError('bad_request', 'Malformed JSON body / Badan JSON tidak valid');
  }
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    return new AppError('unsupported_media_type', 'Unsupported body encoding / Pengodean tidak didukung');
  }
  // Multer
  if (e.name === 'MulterError') {
    if (e.code === 'LIMIT_FILE_SIZE') {
      return new AppError('payload_too_large', 'File is larger than the upload limit / Berkas melebihi batas unggah', { field: e.field });
    }
    return new AppError('bad_request', `Invalid upload: ${e.message}`, { reason: e.code, field: e.field });
  }
  // busboy / multer report a malformed multipart body as a plain Error
  if (typeof e.message === 'string' && /multipart|boundary|Unexpected end of form|Malformed part header/i.test(e.message)) {
    return new AppError('bad_request', 'Malformed multipart body / Badan multipart tidak valid');
  }
  // Joi used outside the validate middleware
  if (e.isJoi === true && Array.isArray(e.details)) {
    return new AppError('validation_failed', 'Validation failed / Validasi gagal', joiDetails(e.details));
  }
  // mongoose
  if (err instanceof mongoose.Error.CastError) {
    if (e.kind === 'ObjectId') return new AppError('not_found', 'Not found / Tidak ditemukan');
    return new AppError('validation_failed', `Invalid value for ${e.path}`, [{ field: e.path, message: e.message }]);
  }
  if (err instanceof mongoose.Error.ValidationError) {
    const details = Object.values(e.errors as Record<string, any>).map((x) => ({ field: x.path, message: x.message }));
    return new AppError('validation_failed', 'Validation failed / Validasi gagal', details);
  }
  if (err instanceof mongoose.Error.VersionError) {
    return new AppError('version_conflict', 'The record was changed by someone else / Data telah diubah pihak lain');
  }
  if (e.code === 11000 || e.code === 11001) {
    return new AppError('duplicate', 'A record with this value already exists / Data dengan nilai ini sudah ada', {
      fields: e.keyValue ? Object.keys(e.keyValue) : undefined,
    });
  }
  // A majority of the replica set did not confirm the write in time (MAJORITY_WRITE): the change
  // may or may not be kept once the set recovers, so the client is told to check and retry.
  if (e.name === 'MongoWriteConcernError' || e.code === 64 || e.writeConcernError?.code === 64) {
    return new AppError('unavailable', 'The database could not confirm the change in time; check and try again / Basis data tidak dapat memastikan perubahan tepat waktu; periksa lalu coba lagi');
  }
  if (e.name === 'MongoServerSelectionError' || e.name === 'MongoNetworkError') {
    return new AppError('unavailable', 'Database unavailable / Basis data tidak tersedia');
  }
  return new AppError('internal', 'Unexpected error');
}

export function joiDetails(details: Array<{ path: Array<string | number>; message: string; type: string }>) {
  return details.map((d) => ({ field: d.path.join('.'), message: d.message.replace(/"/g, "'"), type: d.type }));
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appErr = toAppError(err);
    const status = STATUS_BY_CODE[appErr.code] ?? 500;
    if (status >= 500) {
      // Internals go to the log, never to the client.
      logger.error('request failed', { method: req.method, url: req.originalUrl, err: String(err?.stack ?? err) });
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const retryAfter = (appErr.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (status === 429 && typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    res.status(status).json({
      error: {
        code: appErr.code,
        message: status >= 500 ? 'Internal server error / Kesalahan server internal' : appErr.message,
        ...(appErr.details !== undefined && status < 500 ? { details: appErr.details } : {}),
      },
    });
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No route for ${req.method} ${req.path} / Rute tidak ditemukan`));
};
