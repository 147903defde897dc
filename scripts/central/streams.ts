import type { NatsConnection } from '@nats-io/nats-core';
import { nanos } from '@nats-io/nats-core';
import { DiscardPolicy, JetStreamApiCodes, JetStreamApiError, jetstreamManager, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
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

export const defaultEventsRetention: EventsRetention = { maxAgeDays: 30, duplicateWindowHours: 24, maxBytes: 8 * 1024 ** 3 };

const hours = (n: number) => nanos(n * 3_600_000);

/** The events stream's config. Pure. */
export function eventsStreamConfig(retention: EventsRetention = defaultEventsRetention): Partial<StreamConfig> & { name: string } {
  if (retention.duplicateWindowHours > retention.maxAgeDays * 24) throw new Error('the duplicate window cannot be longer than the retention');
  return {
    name: EVENTS_STREAM,
    subjects: [subjects.allEvents],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: hours(retention.maxAgeDays * 24),
    max_bytes: retention.maxBytes,
    duplicate_window: hours(retention.duplicateWindowHours),
    // The schema's bound plus the headers (Nats-Msg-Id, Nats-Expected-Stream).
    max_msg_size: maxBytes.event + 1024,
    num_replicas: 1,
  };
}

/**
 * Creates the events and anchors streams and the rooms' KV bucket, or brings an existing stream to
 * this config. Needs the admin credential: the monitoring service may read streams but not change them.
 */
export async function ensureCentralStreams(nc: NatsConnection, retention: EventsRetention = defaultEventsRetention, anchors: AnchorsRetention = defaultAnchorsRetention): Promise<void> {
  const jsm = await jetstreamManager(nc);
  for (const config of [eventsStreamConfig(retention), anchorsStreamConfig(anchors)]) {
    const existing = await jsm.streams.info(config.name).catch((error: unknown) => {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return undefined;
      throw error;
    });
    if (existing) await jsm.streams.update(config.name, config);
    else await jsm.streams.add(config);
  }
  await new Kvm(nc).create(ROOMS_BUCKET, { history: 1, storage: StorageType.File, maxValueSize: maxBytes.state, replicas: 1 });
}
