import { join } from 'node:path';
import express from 'express';
import { projectRoot } from '../../config/load.js';

/**
 * Serves a front end under a strict Content-Security-Policy; only the page's own files are reachable.
 * The touchscreen is bundled whole (page, script, stylesheet) into `dist/kiosk/ui/kiosk/` (esbuild);
 * the console's page and stylesheet come from `kiosk/ui/console/`, its compiled scripts from `dist/kiosk/ui/`.
 */
export function uiRouter(name: 'kiosk' | 'console'): express.Router {
  const root = projectRoot();
  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
    next();
  });
  const noCache = { index: false, extensions: false as const, fallthrough: true, setHeaders: (res: express.Response) => res.setHeader('Cache-Control', 'no-cache') };
  if (name === 'kiosk') {
    const bundle = join(root, 'dist', 'kiosk', 'ui', 'kiosk');
    router.get('/', (_req, res) => res.sendFile(join(bundle, 'index.html')));
    router.use('/ui/kiosk', express.static(bundle, noCache));
    return router;
  }
  router.get('/', (_req, res) => res.sendFile(join(root, 'kiosk', 'ui', name, 'index.html')));
  router.get(`/ui/${name}/styles.css`, (_req, res) => res.sendFile(join(root, 'kiosk', 'ui', name, 'styles.css')));
  router.use('/ui', express.static(join(root, 'dist', 'kiosk', 'ui'), noCache));
  return router;
}
