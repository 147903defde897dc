import express from 'express';
import { z } from 'zod';
import { requireCapability } from '../auth/middleware.js';
import { DomainError } from '../core/domain-error.js';
import type { TelemetryReading } from '../fleet/telemetry/delta.js';
import { parseLine } from './log-lines.js';

export interface SystemSources {
  /** A reading of the machine (CPU, temperature, memory, disks, links), as central monitoring gets it. */
  sample(): Promise<TelemetryReading>;
  /** The recordings disk as the evidence service last checked it. */
  disk(): Promise<{ freeBytes: number; totalBytes: number; level: string }>;
  /** Bytes one hour of recording takes at the configured bitrates. */
  bytesPerHour: number;
  /** The link to central monitoring. */
  fleet(): { enabled: boolean; state: string };
  startedAt: number;
}

/**
 * GET /system for the console's dashboard: the machine, the recordings disk with the hours of
 * recording it still holds, and the link to central monitoring. Nothing here names a person.
 */
export function systemRouter(sources: SystemSources): express.Router {
  const router = express.Router();
  router.get('/system', requireCapability('health.read'), async (_req, res) => {
    const [reading, disk] = await Promise.all([sources.sample(), sources.disk()]);
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      ...reading,
      recordingsDisk: { ...disk, recordingHoursLeft: Math.floor((disk.freeBytes / sources.bytesPerHour) * 10) / 10 },
      fleet: sources.fleet(),
      daemonStartedAt: new Date(sources.startedAt).toISOString(),
    });
  });
  return router;
}

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
