import express from 'express';
import { z } from 'zod';
import { requireCapability } from '../auth/middleware.js';
import { DomainError } from '../core/domain-error.js';
import { parseBody } from '../core/http.js';
import type { ReadinessService } from './readiness-service.js';

const runInput = z
  .object({ sessionId: z.string().min(1).max(64).optional() })
  .strict()
  .default({});

/** Kiosk: the officer may run the test before a session (it takes a few seconds: the test recording). */
export function readinessKioskRouter(readiness: ReadinessService): express.Router {
  const router = express.Router();
  router.post('/readiness/run', async (req, res) => {
    const { sessionId } = parseBody(runInput, req);
    res.json({ run: await readiness.run({ sessionId: sessionId ?? null, kind: 'on-demand', trigger: 'kiosk' }) });
  });
  // The latest run, whatever started it, and the latest automatic one 2 hours before a session.
  router.get('/readiness/latest', async (_req, res) => {
    const runs = await readiness.store.list({ limit: 50 });
    res.json({ latest: runs[0] ?? null, twoHours: runs.find((run) => run.kind === 'two-hours') ?? null });
  });
  return router;
}

/** Console: results of past runs for every logged-in user; a run on demand for those who manage devices. */
export function readinessConsoleRouter(readiness: ReadinessService): express.Router {
  const router = express.Router();
  router.get('/readiness', requireCapability('health.read'), async (req, res) => {
    const query = z
      .object({ sessionId: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(500).optional() })
      .safeParse(req.query);
    if (!query.success) throw new DomainError('invalid', 'bad_query', 'sessionId must be an id, limit 1…500');
    res.json({ runs: await readiness.store.list(query.data) });
  });
  router.get('/readiness/:id', requireCapability('health.read'), async (req, res) => {
    const run = await readiness.store.get(String(req.params.id));
    if (!run) throw new DomainError('not-found', 'not_found', 'no such readiness run');
    res.json({ run });
  });
  router.post('/readiness/run', requireCapability('devices.manage'), async (req, res) => {
    const { sessionId } = parseBody(runInput, req);
    res.json({ run: await readiness.run({ sessionId: sessionId ?? null, kind: 'on-demand', trigger: 'console' }) });
  });
  return router;
}
