import { nanos, type NatsConnection } from '@nats-io/nats-core';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { parseRoomEventMessage } from '../../../../kiosk/fleet/nats/events.js';
import { EVENTS_STREAM, subjects } from '../../../../kiosk/fleet/nats/subjects.js';
import type { MonitoringStore } from '../store/monitoring-db.js';
import type { MonitoringMetrics } from '../http/metrics.js';

/**
 * The durable consumer every instance of the monitoring service shares: JetStream hands each event to
 * one of them, and forgets it only once that instance acknowledged it, which it does only after the
 * event is in the store. A restarted service therefore resumes where the consumer stands.
 */
export const EVENTS_CONSUMER = 'diemcau-monitoring';

const consumerConfig = {
  durable_name: EVENTS_CONSUMER,
  ack_policy: AckPolicy.Explicit,
  deliver_policy: DeliverPolicy.All,
  filter_subject: subjects.allEvents,
  // An instance that dies holding events gives them back after this long (storing one takes milliseconds).
  ack_wait: nanos(10_000),
  max_ack_pending: 1000,
};

/**
 * How long one pull waits for events; also the longest a stop waits. Its heartbeats come every half
 * of it, and two missed ones end the pull: a busy event loop (a large /metrics scrape) must not.
 */
const PULL_MS = 4000;

export interface EventConsumer {
  stop(): Promise<void>;
}

export async function startEventConsumer(
  nc: NatsConnection,
  store: MonitoringStore,
  metrics: MonitoringMetrics,
  logger: Logger,
): Promise<EventConsumer> {
  const jsm = await jetstreamManager(nc);
  // Creating a durable with the config it already has is a no-op, so every instance may do it; one
  // made by an older version with other limits is brought to these.
  await jsm.consumers.add(EVENTS_STREAM, consumerConfig).catch(async (error: unknown) => {
    logger.info({ err: error }, 'events consumer exists with another config: updating it');
    await jsm.consumers.update(EVENTS_STREAM, EVENTS_CONSUMER, {
      ack_wait: consumerConfig.ack_wait,
      max_ack_pending: consumerConfig.max_ack_pending,
    });
  });
  const consumer = await jetstream(nc).consumers.get(EVENTS_STREAM, EVENTS_CONSUMER);
  // Short pulls, one after another, rather than one long-lived consume(): on stop the last pull ends
  // before the connection closes. A pull request left open on the server (nats-server 2.9 keeps it
  // after its client has gone) would be handed new events that then wait out ack_wait before
  // anyone else gets them.
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      try {
        const batch = await consumer.fetch({ max_messages: 256, expires: PULL_MS });
        for await (const msg of batch) await handle(msg);
      } catch (error) {
        if (stopping || nc.isClosed()) break;
        logger.warn({ err: error }, 'events pull failed; pulling again');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  })();
  async function handle(msg: JsMsg): Promise<void> {
    metrics.eventsReceived.inc();
    const parsed = parseRoomEventMessage(msg.subject, msg.data);
    if (!parsed.ok) {
      // Acknowledged all the same: a message that will never parse must not hold up the ones behind it.
      metrics.invalidMessages.inc({ kind: 'event', code: parsed.code });
      logger.warn(
        {
          subject: msg.subject,
          streamSeq: msg.seq,
          code: parsed.code,
          error: parsed.error,
          bytes: msg.data.byteLength,
        },
        'invalid event skipped',
      );
      msg.ack();
      return;
    }
    const { roomId, event } = parsed.value;
    try {
      // When the stream stored it (the server's clock): a replay after a restart is not a sign of life.
      const storedMs = msg.time.getTime();
      const outcome = await store.recordEvent(roomId, event, msg.seq, storedMs);
      if (outcome === 'duplicate') metrics.duplicatesDropped.inc();
      msg.ack();
    } catch (error) {
      // Not stored: JetStream delivers it again (to this instance or another) after a pause.
      logger.error({ err: error, room: roomId, seq: event.seq }, 'event not stored; will be redelivered');
      msg.nak(5000);
    }
  }

  return {
    async stop() {
      stopping = true;
      await loop;
    },
  };
}
