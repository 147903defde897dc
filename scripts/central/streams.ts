import type { NatsConnection } from '@nats-io/nats-core';
import { nanos } from '@nats-io/nats-core';
import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { maxBytes } from '../../kiosk/fleet/nats/codec.js';
import { EVENTS_STREAM, ROOMS_BUCKET, subjects } from '../../kiosk/fleet/nats/subjects.js';
import { anchorsStreamConfig, defaultAnchorsRetention, type AnchorsRetention } from './anchors.js';

export interface EventsRetention {
  /** How long events stay in the stream (history for the dashboard and late consumers). */
  maxAgeDays: number;
  /** How long a replayed `room:seq` is recognised and dropped: longer than a room's longest expected outage with an unacknowledged event. */
  duplicateWindowHours: number;
  maxBytes: number;
}

export const defaultEventsRetention: EventsRetention = {
  maxAgeDays: 30,
  duplicateWindowHours: 24,
  maxBytes: 8 * 1024 ** 3,
};

const hours = (n: number) => nanos(n * 3_600_000);

/** The events stream's config; `replicas` 1 on a single server, 3 on a cluster (`cluster.ts` CLUSTER_REPLICAS). Pure. */
export function eventsStreamConfig(
  retention: EventsRetention = defaultEventsRetention,
  replicas = 1,
): Partial<StreamConfig> & { name: string } {
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5)
    throw new Error(`replicas ${replicas}: 1 to 5 (JetStream's limit)`);
  if (retention.duplicateWindowHours > retention.maxAgeDays * 24)
    throw new Error('the duplicate window cannot be longer than the retention');
  return {
    name: EVENTS_STREAM,
    subjects: [subjects.allEvents],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: hours(retention.maxAgeDays * 24),
    max_bytes: retention.maxBytes,
    duplicate_window: hours(retention.duplicateWindowHours),
    // The schema's bound plus the headers (Nats-Msg-Id; rooms sent Nats-Expected-Stream before the leaf design).
    max_msg_size: maxBytes.event + 1024,
    num_replicas: replicas,
  };
}

/**
/**
 * Creates the events and anchors streams and the rooms' KV bucket, or brings an existing stream to
 * this config. Needs the admin credential: the monitoring service may read streams but not change them.
 * On a cluster all three are kept on `replicas` nodes (3), so a node may be lost without losing an event.
 */
export async function ensureCentralStreams(
  nc: NatsConnection,
  options: { retention?: EventsRetention; anchors?: AnchorsRetention; replicas?: number } = {},
): Promise<void> {
  const { retention = defaultEventsRetention, anchors = defaultAnchorsRetention, replicas = 1 } = options;
  const jsm = await jetstreamManager(nc);
  for (const config of [eventsStreamConfig(retention, replicas), anchorsStreamConfig(anchors, replicas)]) {
    const existing = await jsm.streams.info(config.name).catch((error: unknown) => {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return undefined;
      throw error;
    });
    if (existing) await jsm.streams.update(config.name, config);
    else await jsm.streams.add(config);
  }
  await new Kvm(nc).create(ROOMS_BUCKET, {
    history: 1,
    storage: StorageType.File,
    maxValueSize: maxBytes.state,
    replicas,
  });
}
