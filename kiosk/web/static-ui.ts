import { join } from 'node:path';
import express from 'express';
import { projectRoot } from '../../config/load.js';

/**
 * Serves a front end: its page and stylesheet from `kiosk/ui/<name>/`, its compiled scripts from
 * `dist/kiosk/ui/`. Only the page's own files are reachable, under a strict Content-Security-Policy.
 */
export function uiRouter(name: 'kiosk' | 'console'): express.Router {
  const root = projectRoot();
  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; frame-ancestors 'none'");
    next();
  });
  router.get('/', (_req, res) => res.sendFile(join(root, 'kiosk', 'ui', name, 'index.html')));
  router.get(`/ui/${name}/styles.css`, (_req, res) => res.sendFile(join(root, 'kiosk', 'ui', name, 'styles.css')));
  router.use('/ui', express.static(join(root, 'dist', 'kiosk', 'ui'), { index: false, extensions: false, fallthrough: true, setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') }));
  return router;
}
