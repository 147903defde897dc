import type { NatsConnection } from '@nats-io/nats-core';
import type { Logger } from 'pino';
import { parseTelemetry } from '../../../../kiosk/fleet/nats/telemetry.js';
import { parseSubject, subjects } from '../../../../kiosk/fleet/nats/subjects.js';
import { mergeTelemetry, type TelemetryPicture } from '../domain/telemetry-figures.js';
import type { MonitoringStore } from '../store/monitoring-db.js';
import type { MonitoringMetrics } from '../http/metrics.js';

/**
 * Telemetry is core NATS, not stored by the server. The instances subscribe as one queue group, so a
 * sample is counted into the buckets once however many instances run. A sample carries only what
 * changed, so each instance keeps the rooms' merged pictures (a full sample resets them).
 */
export const TELEMETRY_QUEUE = 'diemcau-monitoring';

export function startTelemetryListener(
  nc: NatsConnection,
  store: MonitoringStore,
  metrics: MonitoringMetrics,
  logger: Logger,
): { stop(): Promise<void> } {
  const pictures = new Map<string, { picture: TelemetryPicture; seq: number }>();
  const subscription = nc.subscribe(subjects.allTelemetry, { queue: TELEMETRY_QUEUE });
  const loop = (async () => {
    for await (const msg of subscription) {
      const where = parseSubject(msg.subject);
      if (where?.kind !== 'telemetry') continue;
      const parsed = parseTelemetry(msg.data);
      if (!parsed.ok) {
        metrics.invalidMessages.inc({ kind: 'telemetry', code: parsed.code });
        logger.warn({ room: where.roomId, code: parsed.code, error: parsed.error }, 'invalid telemetry skipped');
        continue;
      }
      metrics.telemetrySamples.inc();
      const merged = mergeTelemetry(pictures.get(where.roomId), parsed.value);
      pictures.set(where.roomId, merged);
      await store
        .addTelemetry(where.roomId, merged.picture, merged.seq, Date.now())
        .catch((error: unknown) => logger.error({ err: error, room: where.roomId }, 'telemetry not stored'));
    }
  })().catch((error: unknown) => logger.error({ err: error }, 'telemetry listener stopped'));
  return {
    async stop() {
      subscription.unsubscribe();
      await loop;
    },
  };
}
