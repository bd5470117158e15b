import type { RequestHandler } from 'express';
import { AppError } from '../../domain/errors.js';
import type { Actor, Role } from '../../domain/accounts/actor.js';
import type { AppContext } from '../context.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** set by requireAuth */
    actor: Actor;
  }
}

/** Resolves the bearer token to an Actor or answers 401. (Implemented by the accounts area.) */
export function requireAuth(_ctx: AppContext): RequestHandler {
  return (_req, _res, next) => next(new AppError('unauthenticated', 'Authentication required / Perlu masuk terlebih dahulu'));
}

/** Answers 403 unless the authenticated actor has one of the roles. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.actor) return next(new AppError('unauthenticated', 'Authentication required / Perlu masuk terlebih dahulu'));
    if (!roles.includes(req.actor.role)) {
      return next(new AppError('forbidden', `Role '${req.actor.role}' may not do this / Peran '${req.actor.role}' tidak berwenang`));
    }
    next();
  };
}
