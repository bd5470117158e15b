import type { ErrorRequestHandler, RequestHandler } from 'express';
import mongoose from 'mongoose';
import { AppError, type ErrorCode } from '../../domain/errors.js';
import type { Logger } from '../../lib/logger.js';
import { PdfRejection } from '../../uploads/pdf/rejection.js';
import { bilingualJoiMessage, type JoiContext } from './joi-indonesian.js';

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
  headers_too_large: 431,
  request_timeout: 408,
  unavailable: 503,
  internal: 500,
};

/** Every error type body-parser can raise (https://github.com/expressjs/body-parser#errors). */
const BODY_PARSER_ERRORS: Record<string, [ErrorCode, string]> = {
  'entity.too.large': ['payload_too_large', 'Request body is larger than the limit / Isi permintaan melebihi batas'],
  'entity.parse.failed': ['bad_request', 'Malformed JSON body / Badan JSON tidak valid'],
  'entity.verify.failed': ['bad_request', 'The request body was refused / Isi permintaan ditolak'],
  'encoding.unsupported': ['unsupported_media_type', 'Unsupported Content-Encoding (use gzip, deflate, br or none) / Content-Encoding tidak didukung'],
  'charset.unsupported': ['unsupported_media_type', 'Unsupported charset (use UTF-8) / Charset tidak didukung (gunakan UTF-8)'],
  'request.aborted': ['bad_request', 'The request was aborted before its body arrived / Permintaan terputus sebelum isinya diterima'],
  'request.size.invalid': ['bad_request', 'The body is not as long as its Content-Length says / Panjang isi permintaan tidak sesuai Content-Length'],
  'parameters.too.many': ['payload_too_large', 'Too many parameters / Terlalu banyak parameter'],
  'stream.encoding.set': ['internal', 'Unexpected error'],
  'stream.not.readable': ['internal', 'Unexpected error'],
};

/** Every MulterError code (multer/lib/multer-error.js), each with its own answer. */
const MULTER_ERRORS: Record<string, [ErrorCode, string]> = {
  LIMIT_FILE_SIZE: ['payload_too_large', 'File is larger than the upload limit / Berkas melebihi batas unggah'],
  LIMIT_PART_COUNT: ['payload_too_large', 'Too many parts in the upload / Terlalu banyak bagian dalam unggahan'],
  LIMIT_FILE_COUNT: ['bad_request', "Send one file, in the field 'file' / Kirim satu berkas saja, pada kolom 'file'"],
  LIMIT_FIELD_KEY: ['bad_request', 'A form field name is too long / Nama kolom formulir terlalu panjang'],
  LIMIT_FIELD_VALUE: ['payload_too_large', 'A form field value is too long / Isi kolom formulir terlalu panjang'],
  LIMIT_FIELD_COUNT: ['bad_request', 'Too many form fields / Terlalu banyak kolom formulir'],
  LIMIT_UNEXPECTED_FILE: ['bad_request', "Unexpected file field: send the file in the field 'file' / Kolom berkas tidak dikenal: kirim berkas pada kolom 'file'"],
  MISSING_FIELD_NAME: ['bad_request', 'A form part has no field name / Bagian formulir tanpa nama kolom'],
  LIMIT_FIELD_NESTING: ['bad_request', 'A form field name is nested too deep / Nama kolom formulir bersarang terlalu dalam'],
  LIMIT_FIELD_ARRAY_INDEX: ['bad_request', 'A form field name has too large an index / Indeks nama kolom formulir terlalu besar'],
  INVALID_FIELD_NAME: ['bad_request', 'A form field name is not valid / Nama kolom formulir tidak valid'],
  STREAM_DESTROYED: ['bad_request', 'The upload was interrupted / Unggahan terputus'],
};

/** A 4xx status from the HTTP stack, answered in the error shape. */
function clientError(status: number): AppError {
  if (status === 413) return new AppError('payload_too_large', 'Request is larger than the limit / Permintaan melebihi batas');
  if (status === 415) return new AppError('unsupported_media_type', 'Unsupported media type / Jenis media tidak didukung');
  if (status === 416) return new AppError('range_not_satisfiable', 'Range not satisfiable / Rentang tidak dapat dipenuhi');
  if (status === 404) return new AppError('not_found', 'Not found / Tidak ditemukan');
  return new AppError('bad_request', 'Malformed request / Permintaan tidak valid');
}

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

  // body-parser (express.json) errors carry a `type`; every type it can raise is named here
  const bodyError = BODY_PARSER_ERRORS[e.type as string];
  if (bodyError) return new AppError(bodyError[0], bodyError[1], e.type === 'entity.too.large' ? { limit: e.limit } : undefined);
  // A body whose Content-Encoding is gzip or deflate but whose bytes are not: zlib's error, passed on by body-parser
  // (zlib: Z_DATA_ERROR and kin; brotli: ERR__ERROR_FORMAT_… and kin)
  if (typeof e.code === 'string' && typeof e.errno === 'number' && /^(Z_|ERR__ERROR_)/.test(e.code)) {
    return new AppError('bad_request', 'The body is not valid for its Content-Encoding (gzip, deflate or br) / Isi permintaan tidak sesuai dengan Content-Encoding-nya');
  }
  // Multer
  if (e.name === 'MulterError') {
    const [code, message] = MULTER_ERRORS[e.code as string] ?? ['bad_request', 'Invalid upload / Unggahan tidak valid'];
    return new AppError(code, message, { reason: e.code, field: e.field });
  }
  // busboy / multer report a malformed multipart body as a plain Error
  if (typeof e.message === 'string' && /multipart|boundary|Unexpected end of form|Malformed part header|Malformed urlencoded form/i.test(e.message)) {
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
  // Any other client error from the HTTP stack (http-errors with a 4xx status, e.g. the router's
  // 400 for a path whose percent-encoding does not decode): its status, in the error shape.
  // Node's HTTP parser (server 'clientError'): codes HPE_* and ERR_HTTP_REQUEST_TIMEOUT
  if (e.code === 'HPE_HEADER_OVERFLOW') return new AppError('headers_too_large', 'The request headers are too large / Header permintaan terlalu besar');
  if (e.code === 'ERR_HTTP_REQUEST_TIMEOUT') return new AppError('request_timeout', 'The request did not arrive in time / Permintaan tidak tiba tepat waktu');
  if (typeof e.code === 'string' && e.code.startsWith('HPE_')) return new AppError('bad_request', 'Malformed HTTP request / Permintaan HTTP tidak valid', { reason: e.code });
  const status = Number(e.status ?? e.statusCode);
  if (Number.isInteger(status) && status >= 400 && status < 500) return clientError(status);
  return new AppError('internal', 'Unexpected error');
}

export function joiDetails(details: Array<{ path: Array<string | number>; message: string; type: string; context?: JoiContext }>) {
  return details.map((d) => ({ field: d.path.join('.'), message: bilingualJoiMessage(d.message.replace(/"/g, "'"), d.type, d.context), type: d.type }));
}

/** The status and body of an error answer: the one map, for Express and for Node's HTTP layer alike. */
export function errorAnswer(err: unknown): { status: number; appErr: AppError; body: { error: { code: ErrorCode; message: string; details?: unknown } } } {
  const appErr = toAppError(err);
  const status = STATUS_BY_CODE[appErr.code] ?? 500;
  // Only a 500 hides what happened: a 503's message is ours and tells the client to come back.
  const hidden = status === 500;
  return {
    status,
    appErr,
    body: {
      error: {
        code: appErr.code,
        message: hidden ? 'Internal server error / Kesalahan server internal' : appErr.message,
        ...(appErr.details !== undefined && !hidden ? { details: appErr.details } : {}),
      },
    },
  };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const { status, appErr, body } = errorAnswer(err);
    if (status >= 500) {
      // Internals go to the log, never to the client.
      logger.error('request failed', { method: req.method, url: req.originalUrl, err: String(err?.stack ?? err) });
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const retryAfter = (appErr.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if ((status === 429 || status === 503) && typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    res.status(status).json(body);
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `No route for ${req.method} ${req.path} / Rute tidak ditemukan`));
};
