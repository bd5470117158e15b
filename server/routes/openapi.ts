import { Router } from 'express';
import { buildOpenApiDocument } from '../openapi/index.js';
import type { AppContext } from '../context.js';

/** The API description, public so clients and tools can read it before signing in. */
export function openapiRouter(ctx: AppContext): Router {
  const router = Router();
  const body = JSON.stringify(buildOpenApiDocument(ctx.config));
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(body);
  });
  return router;
}
