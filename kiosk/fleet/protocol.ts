import { z } from 'zod';

/**
 * The fleet link: this device dials out to the province's monitoring hub over a websocket (wss,
 * bearer credential on the upgrade). Device → hub: `hello`, live `health`, and `event`s from a
 * persistent outbox, numbered so the hub acknowledges them in order. Hub → device: `ack`, `schedule`
 * pushes, `ping`. Nothing here ever carries a citizen's identity: sessions travel as fleet views.
 */
export const FLEET_PROTOCOL = 1;

export const eventTopics = ['readiness', 'readiness-alert', 'session', 'session-gap', 'power', 'disk', 'evidence-alert', 'security-alert'] as const;
export type EventTopic = (typeof eventTopics)[number];

export type DeviceMessage =
  | { type: 'hello'; protocol: typeof FLEET_PROTOCOL; room: { id: string; name: string; role: string }; version: string; publicKey: { fingerprint: string } }
  | { type: 'health'; at: string; data: unknown }
  | { type: 'event'; seq: number; at: string; topic: EventTopic; data: unknown }
  | { type: 'schedule-result'; requestId: string; ok: true; result: unknown }
  | { type: 'schedule-result'; requestId: string; ok: false; error: string }
  | { type: 'error'; error: string };

export const hubMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('welcome'), hubTime: z.string().optional() }).strict(),
  /** Every event with seq ≤ upTo is stored at the hub: the device may forget it. */
  z.object({ type: z.literal('ack'), upTo: z.number().int().min(0) }).strict(),
  /** The hub's whole view of this room's schedule; validated again by the session service. */
  z.object({ type: z.literal('schedule'), requestId: z.string().min(1).max(100), payload: z.unknown() }).strict(),
  z.object({ type: z.literal('ping') }).strict(),
]);
export type HubMessage = z.infer<typeof hubMessage>;

/** One frame from the hub; never throws. */
export function parseHubMessage(raw: string): { ok: true; message: HubMessage } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'hub message is not valid JSON' };
  }
  const result = hubMessage.safeParse(json);
  if (!result.success) return { ok: false, error: result.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ') };
  return { ok: true, message: result.data };
}
