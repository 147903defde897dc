import express from 'express';
import { z } from 'zod';
import { can } from '../auth/roles.js';
import { requireCapability, type AuthenticatedRequest } from '../auth/middleware.js';
import { DomainError } from '../core/domain-error.js';
import { parseBody } from '../core/http.js';
import type { ConfigFile } from './config-file.js';

const changesBody = z
  .object({
    changes: z
      .array(z.object({ path: z.string().min(1).max(200), value: z.unknown() }).strict())
      .min(1)
      .max(50),
  })
  .strict();

/**
 * The device's configuration in the console: shown to who looks after the devices, edited by an
 * administrator; a change is validated by config/schema.ts and takes effect after a restart.
 */
export function settingsRouter(
  file: ConfigFile,
  audit: (actor: { user: string; role: string }, paths: string[]) => Promise<void>,
): express.Router {
  const router = express.Router();
  router.get('/config', (req, res, next) => {
    const actor = (req as AuthenticatedRequest).auth;
    if (!actor || !(can(actor.role, 'devices.manage') || can(actor.role, 'users.manage')))
      return next(new DomainError('forbidden', 'forbidden', `role ${actor?.role} may not read the configuration`));
    file.effective().then(({ config, pendingRestart }) => {
      res.setHeader('Cache-Control', 'no-store');
      res.json({ config, editable: file.editable && can(actor.role, 'users.manage'), pendingRestart });
    }, next);
  });
  router.put('/config', requireCapability('users.manage'), async (req, res) => {
    const { changes } = parseBody(changesBody, req);
    if (!file.editable)
      throw new DomainError(
        'conflict',
        'config_read_only',
        'the daemon runs on the embedded defaults: there is no config file to edit',
      );
    const outcome = await file.save(changes);
    if (!outcome.ok)
      throw new DomainError('invalid', 'invalid_config', 'the configuration does not match the schema', outcome.issues);
    await audit(
      (req as AuthenticatedRequest).auth!,
      changes.map((c) => c.path),
    );
    res.json({ pendingRestart: outcome.pendingRestart });
  });
  return router;
}
