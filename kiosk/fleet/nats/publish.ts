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

  /**
   * Resolves once DIEMCAU_EVENTS has stored it; `duplicate` when the stream already held this `room:seq`.
   * The stream is checked on the ack, not with a `Nats-Expected-Stream` header: nats-server 2.9 keeps
   * that header on the stored message, and a mirror or source of the stream with another name (the
   * nation's DIEMCAU_EVENTS_ALL, scripts/central/leaf.ts) then refuses every such event
   * ("expected stream does not match", nats-server issue #5240, fixed for sources in 2.10.14).
   */
  async event(event: RoomEvent, timeoutMs = 5000): Promise<PubAck> {
    this.#js ??= jetstream(this.nc);
    const ack = await this.#js.publish(subjects.event(this.roomId, event.topic), buildRoomEvent(event), {
      msgID: eventMessageId(this.roomId, event.seq),
      timeout: timeoutMs,
    });
    // Another stream capturing the subject is a misconfigured central: not delivered, so the outbox keeps the event.
    if (ack.stream !== EVENTS_STREAM) throw new Error(`event stored by stream ${ack.stream}, not ${EVENTS_STREAM}`);
    return ack;
  }

  /** Writes this room's key in the KV bucket (the only key its permissions allow); resolves to the revision. */
  async state(state: RoomState): Promise<number> {
    // Binding opens no JetStream API call: the room's permissions grant none.
    this.#kv ??= await new Kvm(this.nc).open(ROOMS_BUCKET);
    return this.#kv.put(this.roomId, buildRoomState(state));
  }
}
