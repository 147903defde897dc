import { z } from 'zod';
import { decode, encode } from './codec.js';
import { count, deviceStatus, instant, label, version } from './common.js';

/**
 * A telemetry sample, core NATS on `diemcau.v1.room.<room>.telemetry` (not stored: the latest state is
 * in the KV bucket, history is the monitoring service's). Sampled and compact: a `full` sample carries
 * every section; between two full samples a section is sent only when it changed, so an idle room
 * costs little on the wire.
 */
export const telemetrySchema = z.object({
  v: version,
  at: instant,
  /** Counts up from 1 at every daemon start: a gap shows a lost sample, a smaller value a restart. */
  seq: z.number().int().min(1),
  full: z.boolean(),
  version: label(40).optional(),
  system: z
    .object({
      uptimeS: count,
      load1: z.number().min(0),
      cpuPct: z.number().min(0).max(100),
      cpuTempC: z.number().min(-50).max(150).nullable(),
      memUsedPct: z.number().min(0).max(100),
      memTotalMB: count,
    })
    .optional(),
  disks: z
    .array(z.object({ mount: label(64), sizeBytes: count, usedBytes: count }))
    .max(8)
    .optional(),
  network: z
    .array(z.object({ iface: label(32), up: z.boolean(), speedMbps: z.number().min(0).nullable() }))
    .max(8)
    .optional(),
  /** Every device's status by its id in `/api/health`. */
  devices: z
    .record(z.string().min(1).max(40), deviceStatus)
    .refine((r) => Object.keys(r).length <= 32, 'at most 32 devices')
    .optional(),
  /** null: this room has no UPS. */
  ups: z
    .object({ onBattery: z.boolean(), chargePct: z.number().min(0).max(100).nullable(), runtimeS: count.nullable() })
    .nullable()
    .optional(),
  media: z
    .object({
      stream: z.enum(['idle', 'connecting', 'live', 'failed']),
      fps: z.number().min(0).max(240),
      bitrateKbps: z.number().min(0),
      droppedFrames: count,
    })
    .optional(),
});
export type Telemetry = z.output<typeof telemetrySchema>;

export const buildTelemetry = (value: z.input<typeof telemetrySchema>) => encode('telemetry', telemetrySchema, value);
export const parseTelemetry = (data: Uint8Array | string) => decode('telemetry', telemetrySchema, data);
