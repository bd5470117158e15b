import type { RequestHandler } from 'express';
import Joi from 'joi';
import { AppError } from '../../domain/errors.js';
import { DATE_WINDOW, WINDOW_FROM, WINDOW_TO } from '../../domain/date-window.js';
import { BIDI_OVERRIDE, CONTROL_IN_LINE, CONTROL_IN_TEXT } from '../../domain/text-rules.js';
import { isValidTimeZone } from '../../workflows/business-days.js';
import { joiDetails } from './error-handler.js';

export interface RequestSchemas {
  params?: Joi.ObjectSchema;
  query?: Joi.ObjectSchema;
  body?: Joi.Schema;
}

/** What the validate middleware leaves for the route: the converted, checked values. */
export interface Validated {
  params: Record<string, any>;
  query: Record<string, any>;
  body: any;
}

declare module 'express-serve-static-core' {
  interface Request {
    valid: Validated;
  }
}

/**
 * Validates params, query and body with Joi at the edge. Unknown keys are rejected so nothing
 * unexpected is ever stored; every bad field is listed. Express 5's req.query is read-only, so
 * the checked values go to req.valid.
 */
export function validate(schemas: RequestSchemas): RequestHandler {
  return (req, _res, next) => {
    const valid: Validated = { params: req.params, query: {}, body: req.body };
    if (schemas.query) {
      const raw = req.query as Record<string, unknown>;
      // A key repeated where one value is expected is a malformed request, not a list.
      for (const [key, value] of Object.entries(raw)) {
        const desc = describeKey(schemas.query, key);
        if (Array.isArray(value) && desc && desc.type !== 'array') {
          return next(new AppError('bad_request', `Query parameter '${key}' was given more than once / Parameter '${key}' diberikan lebih dari sekali`));
        }
      }
      const { value, error } = schemas.query.validate(raw, { abortEarly: false, convert: true });
      if (error) return next(new AppError('validation_failed', 'Some of the request’s parameters are not valid: see each below / Ada parameter yang tidak valid: lihat rinciannya di bawah', joiDetails(error.details)));
      valid.query = value;
    }
    if (schemas.params) {
      const { value, error } = schemas.params.validate(req.params, { abortEarly: false, convert: true });
      if (error) return next(new AppError('not_found', 'Not found / Tidak ditemukan'));
      valid.params = value;
    }
    if (schemas.body) {
      const { value, error } = schemas.body.validate(req.body ?? {}, { abortEarly: false, convert: true });
      if (error) return next(new AppError('validation_failed', 'Some of what was entered is not valid: see each field below / Ada isian yang tidak valid: lihat tiap kolom di bawah', joiDetails(error.details)));
      valid.body = value;
    }
    req.valid = valid;
    next();
  };
}

/** The schema of a top-level key; undefined for an unknown one (Joi's extract() throws there). */
function describeKey(schema: Joi.ObjectSchema, key: string): Joi.Schema | undefined {
  try {
    return schema.extract(key) as Joi.Schema;
  } catch {
    return undefined;
  }
}

/** A 24-hex ObjectId as a route parameter; anything else is answered as "not found". */
export const objectId = () => Joi.string().hex().length(24);

const textMessages = {
  'string.pattern.invert.name': '{{#label}} must not contain control characters / {{#label}} tidak boleh berisi karakter kendali',
  'string.bidiOverride':
    '{{#label}} holds a bidirectional override (U+202D or U+202E), which shows the text differently from what is stored / {{#label}} berisi penimpa arah tulisan (U+202D atau U+202E), yang menampilkan teks berbeda dari yang tersimpan',
};

/** Refuses a bidirectional override (domain/text-rules.ts), as the register import refuses it in a cell. */
const noBidiOverride = (value: string, helpers: Joi.CustomHelpers) => (BIDI_OVERRIDE.test(value) ? helpers.error('string.bidiOverride') : value);

/** The language a reader asks a file or its name in (`lang`): Indonesian unless English is asked for. */
export const readerLanguage = () => Joi.string().valid('id', 'en').default('id');

/** A one-line text: trimmed, 1..max characters, no control characters, no bidirectional override. */
export const line = (max: number) =>
  Joi.string()
    .trim()
    .min(1)
    .max(max)
    .pattern(CONTROL_IN_LINE, { name: 'control characters', invert: true })
    .custom(noBidiOverride, 'no bidirectional override')
    .messages(textMessages);

/**
 * A multi-line text (notes, reasons, comments): trimmed, at most max characters, no control
 * characters but tab and line breaks, no bidirectional override.
 */
export const paragraph = (max: number) =>
  Joi.string()
    .trim()
    .max(max)
    .pattern(CONTROL_IN_TEXT, { name: 'control characters', invert: true })
    .custom(noBidiOverride, 'no bidirectional override')
    .messages(textMessages);

const windowMessage = `{{#label}} must lie between ${DATE_WINDOW.from} and ${DATE_WINDOW.to} / {{#label}} harus di antara ${DATE_WINDOW.from} dan ${DATE_WINDOW.to}`;

/** An ISO 8601 date-time inside DATE_WINDOW (domain/date-window.ts). */
export const isoDate = () =>
  Joi.date()
    .iso()
    .min(WINDOW_FROM)
    .max(WINDOW_TO)
    .messages({ 'date.min': windowMessage, 'date.max': windowMessage, 'date.format': '{{#label}} must be an ISO 8601 date / {{#label}} harus berupa tanggal ISO 8601' });

/** A calendar day as typed (YYYY-MM-DD, kept as a string): a real day inside DATE_WINDOW. */
export const calendarDay = () =>
  Joi.string()
    .pattern(/^\d{4}-\d{2}-\d{2}$/)
    .custom((value: string, helpers) => {
      const at = new Date(`${value}T00:00:00Z`);
      if (Number.isNaN(at.getTime()) || !at.toISOString().startsWith(value)) return helpers.error('date.base');
      if (value < DATE_WINDOW.from || value > DATE_WINDOW.to) return helpers.error('date.min');
      return value;
    })
    .messages({
      'string.pattern.base': '{{#label}} must be a calendar date (YYYY-MM-DD) / {{#label}} harus berupa tanggal (YYYY-MM-DD)',
      'date.base': '{{#label}} must be a real calendar date (YYYY-MM-DD) / {{#label}} harus berupa tanggal yang ada (YYYY-MM-DD)',
      'date.min': windowMessage,
    });

/** An IANA time zone name (Asia/Jakarta, Europe/London), as the runtime's time-zone data knows it. */
export const timeZone = () =>
  Joi.string()
    .max(64)
    .custom((v: string, helpers) => (isValidTimeZone(v) ? v : helpers.error('any.invalid')))
    .messages({
      'any.invalid': '{{#label}} must be an IANA time zone such as Asia/Jakarta or Europe/London / {{#label}} harus berupa zona waktu IANA, misalnya Asia/Jakarta atau Europe/London',
    });
