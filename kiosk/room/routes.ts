import express from 'express';
import { requireCapability } from '../auth/middleware.js';
import type { DiscoveryService } from './discovery-service.js';

/**
 * Console API of the devices plugged into the device, for those who manage devices (the list names
 * every one): `GET /devices/discovered` lists; `POST /devices/discovered/rescan` scans first.
 */
export function discoveryConsoleRouter(discovery: DiscoveryService): express.Router {
  const router = express.Router();
  router.get('/devices/discovered', requireCapability('devices.manage'), async (_req, res) => {
    res.json(await discovery.listing(false));
  });
  router.post('/devices/discovered/rescan', requireCapability('devices.manage'), async (_req, res) => {
    res.json(await discovery.listing(true));
  });
  return router;
}
