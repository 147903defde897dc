import { z } from 'zod';
import { decode, encode, type Decoded } from './codec.js';
import { instant, label, severity, version } from './common.js';
import { eventTopics, parseSubject } from './subjects.js';

/**
 * An event that matters, published to JetStream on `diemcau.v1.room.<room>.event.<topic>` with the
 * message id `<room>:<seq>`. `seq` is the room's outbox sequence: strictly increasing, so the monitoring
 * service sees order and gaps, and the stream's duplicate window drops a replay after a lost ack.
 * `data` is the topic's own record (a readiness run, a session's fleet view, a gap, a power alert…),
 * already stripped of identities by the service that raised it; its size is bounded here.
 */
export const roomEventSchema = z.object({
  v: version,
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  at: instant,
  topic: z.enum(eventTopics),
  severity,
  /** Alerts are raised and cleared under one key, so the dashboard shows one open alert, not a stream of them. */
  alert: z.object({ key: label(100), state: z.enum(['raised', 'cleared']) }).optional(),
  data: z.record(z.string(), z.json()),
});
export type RoomEvent = z.output<typeof roomEventSchema>;

export const buildRoomEvent = (value: z.input<typeof roomEventSchema>) => encode('event', roomEventSchema, value);
export const parseRoomEvent = (data: Uint8Array | string) => decode('event', roomEventSchema, data);

/** An event as received from the stream: the room comes from the subject (vouched for by the server's permissions), and must agree with the payload's topic. */
export function parseRoomEventMessage(
  subject: string,
  data: Uint8Array | string,
): Decoded<{ roomId: string; event: RoomEvent }> {
  const where = parseSubject(subject);
  if (where?.kind !== 'event')
    return { ok: false, code: 'malformed', error: `event: ${subject} is not an event subject of schema v1` };
  const parsed = parseRoomEvent(data);
  if (!parsed.ok) return parsed;
  if (parsed.value.topic !== where.topic)
    return { ok: false, code: 'malformed', error: `event: topic ${parsed.value.topic} published on ${subject}` };
  return { ok: true, value: { roomId: where.roomId, event: parsed.value } };
}
