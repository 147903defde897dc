import type { NatsConnection } from '@nats-io/nats-core';
import { Kvm } from '@nats-io/kv';
import type { Logger } from 'pino';
import { parseRoomState } from '../../../../kiosk/fleet/nats/state.js';
import { isRoomId, ROOMS_BUCKET } from '../../../../kiosk/fleet/nats/subjects.js';
import type { MonitoringStore } from '../store/monitoring-db.js';
import type { MonitoringMetrics } from '../http/metrics.js';

/** Watches the rooms' KV bucket: every room's latest value first, then each change, into the store. */
export async function startStateWatcher(
  nc: NatsConnection,
  store: MonitoringStore,
  metrics: MonitoringMetrics,
  logger: Logger,
): Promise<{ stop(): Promise<void> }> {
  const kv = await new Kvm(nc).open(ROOMS_BUCKET);
  const watch = await kv.watch({ key: '>' });
  const loop = (async () => {
    for await (const entry of watch) {
      if (entry.operation !== 'PUT' || !isRoomId(entry.key)) continue;
      const parsed = parseRoomState(entry.value);
      if (!parsed.ok) {
        metrics.invalidMessages.inc({ kind: 'state', code: parsed.code });
        logger.warn({ room: entry.key, code: parsed.code, error: parsed.error }, 'invalid room state skipped');
        continue;
      }
      await store
        .putState(entry.key, parsed.value, entry.revision, entry.created.getTime())
        .catch((error: unknown) => logger.error({ err: error, room: entry.key }, 'room state not stored'));
    }
  })().catch((error: unknown) => logger.error({ err: error }, 'state watcher stopped'));
  return {
    async stop() {
      watch.stop();
      await loop;
    },
  };
}
