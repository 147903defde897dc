import type { NatsConnection } from '@nats-io/nats-core';
import { jetstream, type JetStreamClient, type PubAck } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { buildRoomEvent, type RoomEvent } from './events.js';
import { buildRoomState, type RoomState } from './state.js';
import { buildTelemetry, type Telemetry } from './telemetry.js';
import { EVENTS_STREAM, eventMessageId, ROOMS_BUCKET, subjects } from './subjects.js';

/**
 * What a room sends, one function per kind, each validating through the schema first. Thin: the
 * sampling, the outbox and the retry policy belong to the fleet service that calls them.
 */
export class RoomPublisher {
  #js: JetStreamClient | undefined;
  #kv: KV | undefined;

  constructor(
    private readonly nc: NatsConnection,
    private readonly roomId: string,
  ) {}

  /** Core NATS, fire and forget: a lost sample is replaced by the next. */
  telemetry(sample: Telemetry): void {
    this.nc.publish(subjects.telemetry(this.roomId), buildTelemetry(sample));
  }

  /** Resolves once JetStream has stored it; `duplicate` when the stream already held this `room:seq`. */
  async event(event: RoomEvent, timeoutMs = 5000): Promise<PubAck> {
    this.#js ??= jetstream(this.nc);
    return this.#js.publish(subjects.event(this.roomId, event.topic), buildRoomEvent(event), {
      msgID: eventMessageId(this.roomId, event.seq),
      expect: { streamName: EVENTS_STREAM },
      timeout: timeoutMs,
    });
  }

  /** Writes this room's key in the KV bucket (the only key its permissions allow); resolves to the revision. */
  async state(state: RoomState): Promise<number> {
    // Binding opens no JetStream API call: the room's permissions grant none.
    this.#kv ??= await new Kvm(this.nc).open(ROOMS_BUCKET);
    return this.#kv.put(this.roomId, buildRoomState(state));
  }
}
