import express, { type Request } from 'express';
import { z } from 'zod';
import { requireCapability, type AuthenticatedRequest } from '../auth/middleware.js';
import { parseBody } from '../core/http.js';
import type { Label } from '../messages/label.js';
import { updateProblemLabels, updateStateLabels } from '../messages/update.js';
import type { UpdateProblem, UpdateState, UpdateStatus } from './status.js';
import type { UpdateService } from './update-service.js';

// Typed here: a state or problem without words fails to compile.
const stateLabels: Record<UpdateState, Label> = updateStateLabels;
const problemLabels: Record<UpdateProblem, Label> = updateProblemLabels;

const requestBody = z.object({ url: z.string().min(1).max(2000) }).strict();

/** A status with the words for its state and problem, as the console shows it. */
export interface UpdateStatusView extends UpdateStatus {
  label: Label;
  problemLabel?: Label;
}

/** GET /api/update: the running version and the last update's progress (the console imports this type). */
export interface UpdateAnswer {
  version: string;
  status: UpdateStatusView | null;
}

export function statusView(status: UpdateStatus | undefined): UpdateStatusView | null {
  if (!status) return null;
  return {
    ...status,
    label: stateLabels[status.state],
    ...(status.problem ? { problemLabel: problemLabels[status.problem] } : {}),
  };
}

/**
 * The console's update API (README "Update"), for an account with `devices.manage`:
 *   GET  /api/update          { version, status }   the running version and the last update's progress
 *   POST /api/update {url}    202 { status }        409 while a session is live or soon, or another update runs
 */
/** Who asked for an update is kept in the audit log (the status names only the channel). */
export interface UpdateAudit {
  record(entry: { actor: string; role: string; action: string; target: string; detail?: string }): Promise<void>;
}

export function updateConsoleRouter(update: UpdateService, version: string, audit: UpdateAudit): express.Router {
  const router = express.Router();
  router.get('/update', requireCapability('devices.manage'), async (_req, res) => {
    const answer: UpdateAnswer = { version, status: statusView(await update.status()) };
    res.json(answer);
  });
  router.post('/update', requireCapability('devices.manage'), async (req: Request, res) => {
    const body = parseBody(requestBody, req);
    const actor = (req as AuthenticatedRequest).auth!;
    const status = await update.request({ url: body.url }, { via: 'console', actor: actor.user });
    await audit.record({
      actor: actor.user,
      role: actor.role,
      action: 'software-update-requested',
      target: `update:${status.id}`,
      detail: body.url.slice(0, 500),
    });
    res.status(202).json({ status: statusView(status) });
  });
  return router;
}
