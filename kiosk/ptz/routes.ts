import { Router, type Request } from 'express';
import { requireCapability } from '../auth/middleware.js';
import { parseBody } from '../core/http.js';
import { moveBody, storeBody, type PtzService, type PtzSource } from './ptz-service.js';

const presetName = (req: Request): string => String(req.params.name ?? '');

/** The camera controls both screens share: the presets, recalling one, steering. */
function controls(router: Router, ptz: PtzService, source: PtzSource): Router {
  router.get('/ptz/presets', async (_req, res) => {
    res.json(await ptz.overview());
  });
  router.post('/ptz/presets/:name/recall', async (req, res) => {
    res.json({ recalled: await ptz.recall(presetName(req), source) });
  });
  router.post('/ptz/move', async (req, res) => {
    await ptz.move(parseBody(moveBody, req));
    res.json({ ok: true });
  });
  return router;
}

/** Routes for the touchscreen (mounted under /api on 127.0.0.1). */
export function ptzKioskRouter(ptz: PtzService): Router {
  return controls(Router(), ptz, 'kiosk');
}

/** Routes for the technician console: the same controls, plus storing presets. */
export function ptzConsoleRouter(ptz: PtzService): Router {
  const router = Router();
  // On the LAN, moving the camera that records the session is a technician's act, not any login's.
  router.use('/ptz', requireCapability('devices.manage'));
  controls(router, ptz, 'console');
  router.put('/ptz/presets/:name', async (req, res) => {
    res.json(await ptz.store(presetName(req), parseBody(storeBody.optional(), req) ?? {}, 'console'));
  });
  return router;
}
