import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

/**
 * For the web pages only: every script, style, image and request from our own origin, nothing
 * inline (no inline scripts or styles, no eval), no plugins, no framing, forms post nowhere else.
 * `blob:` for images only, because downloads are handed to the browser as blob URLs (a link,
 * not a fetch, so connect-src need not allow it).
 */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The `web/` folder at the project root, both from the sources (server/routes) and from the
 * build (dist/server/routes), which sits one level deeper.
 */
export function findWebDir(): string | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../../web'), path.resolve(here, '../../../web')];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'index.html')));
}

/**
 * The browser interface: plain HTML, CSS and ES modules from `web/`, served as they are (no build
 * step). Mounted after /api, and it never answers under /api, so an unknown API path still gets
 * the JSON 404. Files are revalidated on each load (ETag), so a deploy shows at once.
 */
export function webRouter(webDir = findWebDir()): Router {
  const router = Router();
  if (!webDir) return router; // e.g. a deployment without the web folder: the API alone
  router.use((req, _res, next) => {
    if (req.path === '/api' || req.path.startsWith('/api/')) return next('router');
    next();
  });
  router.use(
    express.static(webDir, {
      index: 'index.html',
      redirect: false,
      dotfiles: 'ignore',
      fallthrough: true,
      setHeaders(res) {
        res.setHeader('Content-Security-Policy', WEB_CSP);
        res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  return router;
}
