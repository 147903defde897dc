import { join } from 'node:path';
import express from 'express';
import { projectRoot } from '../../config/load.js';

/**
 * Serves a front end under a strict Content-Security-Policy; only the page's own files are reachable.
 * Each page is bundled whole (page, script, stylesheet) into `dist/kiosk/ui/<page>/` by esbuild
 * (scripts/ui/build-ui.ts). The console's recordings play in a <video> from /api (media-src 'self').
 */
export function uiRouter(name: 'kiosk' | 'console'): express.Router {
  const root = projectRoot();
  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; media-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
    );
    next();
  });
  const noCache = {
    index: false,
    extensions: false as const,
    fallthrough: true,
    setHeaders: (res: express.Response) => res.setHeader('Cache-Control', 'no-cache'),
  };
  const bundle = join(root, 'dist', 'kiosk', 'ui', name);
  router.get('/', (_req, res) => res.sendFile(join(bundle, 'index.html')));
  router.use(`/ui/${name}`, express.static(bundle, noCache));
  return router;
}
