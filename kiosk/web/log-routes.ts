import express from 'express';
import { z } from 'zod';
import { requireCapability } from '../auth/middleware.js';
import { DomainError } from '../core/domain-error.js';

const query = z.object({ count: z.coerce.number().int().min(1).max(1000).default(200) });

/**
 * GET /logs/recent: the daemon's newest log lines for the console's live tail (kiosk/core/recent-logs.ts
 * keeps them in memory, redacted as they are read). For who looks after the devices.
 */
export function logRouter(newest: (count: number) => string[]): express.Router {
  const router = express.Router();
  router.get('/logs/recent', requireCapability('devices.manage'), (req, res) => {
    const parsed = query.safeParse(req.query);
    if (!parsed.success) throw new DomainError('invalid', 'bad_query', 'count must be 1…1000');
    res.setHeader('Cache-Control', 'no-store');
    res.json({ lines: newest(parsed.data.count).map(parseLine) });
  });
  return router;
}

/** pino's level numbers; the daemon's logger writes the label (kiosk/core/logger.ts). */
const levels: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/** A pino line as the console shows it: time, level, component, message, the rest as context. */
export function parseLine(line: string): {
  at: string | null;
  level: number | null;
  component: string | null;
  msg: string;
  context: Record<string, unknown>;
} {
  try {
    const {
      time,
      level,
      component,
      msg,
      pid: _pid,
      hostname: _host,
      svc: _svc,
      ...context
    } = JSON.parse(line) as Record<string, unknown>;
    return {
      at: typeof time === 'number' || typeof time === 'string' ? new Date(time).toISOString() : null,
      level: typeof level === 'number' ? level : typeof level === 'string' ? (levels[level] ?? null) : null,
      component: typeof component === 'string' ? component : null,
      msg: typeof msg === 'string' ? msg : '',
      context,
    };
  } catch {
    return { at: null, level: null, component: null, msg: line, context: {} };
  }
}
