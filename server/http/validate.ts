import type { RequestHandler } from 'express';
import Joi from 'joi';
import { AppError } from '../../domain/errors.js';
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
      if (error) return next(new AppError('validation_failed', 'Invalid query parameters / Parameter kueri tidak valid', joiDetails(error.details)));
      valid.query = value;
    }
    if (schemas.params) {
      const { value, error } = schemas.params.validate(req.params, { abortEarly: false, convert: true });
      if (error) return next(new AppError('not_found', 'Not found / Tidak ditemukan'));
      valid.params = value;
    }
    if (schemas.body) {
      const { value, error } = schemas.body.validate(req.body ?? {}, { abortEarly: false, convert: true });
      if (error) return next(new AppError('validation_failed', 'Invalid request body / Badan permintaan tidak valid', joiDetails(error.details)));
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
