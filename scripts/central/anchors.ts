import { nanos } from '@nats-io/nats-core';
import { DiscardPolicy, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { maxBytes } from '../../kiosk/fleet/nats/codec.js';
import { ANCHORS_STREAM, subjects } from '../../kiosk/fleet/nats/subjects.js';

/**
 * The evidence anchors stream (ANCHORING.md). Append-only: the server refuses to delete a message
 * or purge the stream whoever asks (deny_delete, deny_purge, which a stream update cannot clear),
 * nothing ages out (max_age 0), and a full stream refuses new anchors rather than dropping old
 * ones (discard new): a room keeps an anchor the stream refused and publishes it again later.
 */
export interface AnchorsRetention {
  /**
   * A bound on the store. About 500 bytes an anchor on disk: 1 GiB holds some 2 million seals, i.e.
   * 1,000 rooms with two sessions each working day for four years. Above it the stream refuses,
   * the rooms keep their pending anchors, and the operator raises it (or adds a stream).
   */
  maxBytes: number;
  /**
   * How long a replayed `room:anchor:<recording>` is dropped. A room publishes an anchor again only
   * when the ack was lost; it then retries within minutes, unless it went offline at that moment: a
   * week covers a long outage, and the notary signs whichever stored copy the room names.
   */
  duplicateWindowHours: number;
}

export const defaultAnchorsRetention: AnchorsRetention = { maxBytes: 1024 ** 3, duplicateWindowHours: 7 * 24 };

/** The anchors stream's config. Pure. */
export function anchorsStreamConfig(
  retention: AnchorsRetention = defaultAnchorsRetention,
  replicas = 1,
): Partial<StreamConfig> & { name: string } {
  return {
    name: ANCHORS_STREAM,
    subjects: [subjects.allAnchors],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.New,
    max_age: 0,
    max_bytes: retention.maxBytes,
    duplicate_window: nanos(retention.duplicateWindowHours * 3_600_000),
    deny_delete: true,
    deny_purge: true,
    // The schema's bound plus the headers (Nats-Msg-Id, Nats-Expected-Stream).
    max_msg_size: maxBytes.anchor + 1024,
    num_replicas: replicas,
  };
}
