import type { Request, RequestHandler } from 'express';
import { AppError } from '../../domain/errors.js';
import type { Actor } from '../../domain/accounts/actor.js';
import type { Action } from '../../workflows/permissions.js';
import { assertAllowed } from '../../domain/accounts/assert-allowed.js';
import { authenticateToken } from '../../domain/accounts/authenticate-token.js';
import type { AppContext } from '../context.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** set by requireAuth */
    actor: Actor;
  }
}

/** The token from `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
  return match?.[1];
}

/** Resolves the bearer token to an Actor on req.actor, or answers 401. */
export function requireAuth(ctx: AppContext): RequestHandler {
  return async (req, res, next) => {
    const token = bearerToken(req);
    if (!token) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return next(new AppError('unauthenticated', 'Authentication required / Perlu masuk terlebih dahulu'));
    }
    try {
      req.actor = await authenticateToken(ctx, token);
      next();
    } catch (err) {
      if (err instanceof AppError && err.code === 'unauthenticated') res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      next(err);
    }
  };
}

/** Answers 403 unless the authenticated actor's role may do the action (workflows/permissions.ts). */
export function requirePermission(action: Action): RequestHandler {
  return (req, _res, next) => {
    if (!req.actor) return next(new AppError('unauthenticated', 'Authentication required / Perlu masuk terlebih dahulu'));
    try {
      assertAllowed(req.actor, action);
      next();
    } catch (err) {
      next(err);
    }
  };
}
