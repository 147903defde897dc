import express from 'express';
import { z } from 'zod';
import { requireCapability } from '../auth/middleware.js';
import { parseBody } from '../core/http.js';
import type { OnvifSetup } from './onvif-setup.js';

const discoverBody = z.object({ timeoutMs: z.number().int().min(300).max(10_000).default(2000) }).strict();
const loginBody = {
  xaddr: z.url({ protocol: /^https?$/ }),
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
};
const describeBody = z.object(loginBody).strict();
const chooseBody = z.object({ ...loginBody, profileToken: z.string().min(1).max(64) }).strict();

/**
 * Console API for IP cameras (hal/ptz/README.md "ONVIF set-up"), for those who manage devices. Bodies that
 * carry a password are POSTs; no answer contains one.
 *   POST /devices/onvif/discover  { timeoutMs? }                              → { cameras: [...] }
 *   POST /devices/onvif/describe  { xaddr, username, password }               → { identity, profiles, clock }
 *   POST /devices/onvif/choose    { xaddr, username, password, profileToken } → { camera, ptz, passwordFile }
 */
export function onvifConsoleRouter(setup: OnvifSetup): express.Router {
  const router = express.Router();
  router.post('/devices/onvif/discover', requireCapability('devices.manage'), async (req, res) => {
    const { timeoutMs } = parseBody(discoverBody, req);
    res.json({ cameras: await setup.discover(timeoutMs) });
  });
  router.post('/devices/onvif/describe', requireCapability('devices.manage'), async (req, res) => {
    const login = parseBody(describeBody, req);
    res.json(await setup.describe(login));
  });
  router.post('/devices/onvif/choose', requireCapability('devices.manage'), async (req, res) => {
    const { profileToken, ...login } = parseBody(chooseBody, req);
    res.json(await setup.choose(login, profileToken));
  });
  return router;
}
