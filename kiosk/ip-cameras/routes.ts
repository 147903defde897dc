import express from 'express';
import { z } from 'zod';
import { requireCapability } from '../auth/middleware.js';
import { HttpError, parseBody } from '../core/http.js';
import { OnvifSetupError, type OnvifSetup } from './onvif-setup.js';

const discoverBody = z.object({ timeoutMs: z.number().int().min(300).max(10_000).default(2000) }).strict();
const loginBody = {
  xaddr: z.url({ protocol: /^https?$/ }),
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
};
const describeBody = z.object(loginBody).strict();
const chooseBody = z.object({ ...loginBody, profileToken: z.string().min(1).max(64) }).strict();

const statusOf: Record<OnvifSetupError['kind'], number> = {
  'unusable-credentials': 400,
  'not-authorized': 422,
  'no-such-profile': 404,
  unreachable: 502,
  timeout: 504,
  'camera-fault': 502,
};

function answer(error: unknown): never {
  if (error instanceof OnvifSetupError)
    throw new HttpError(statusOf[error.kind], `onvif_${error.kind.replaceAll('-', '_')}`, error.message);
  throw error;
}

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
    res.json(await setup.describe(login).catch(answer));
  });
  router.post('/devices/onvif/choose', requireCapability('devices.manage'), async (req, res) => {
    const { profileToken, ...login } = parseBody(chooseBody, req);
    res.json(await setup.choose(login, profileToken).catch(answer));
  });
  return router;
}
