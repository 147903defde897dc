import { z } from 'zod';
import { decode, encode } from './codec.js';
import { count, instant, label, localId, runKind, runOutcome, version } from './common.js';

/**
 * A room's latest state: the value of its own key (the room id) in the KV bucket `diemcau-rooms`,
 * rewritten when it changes and at least every few minutes, so `at` is also when the room was last seen.
 * Sessions appear by id and time only: never a title, a case or a person.
 */
export const roomStateSchema = z.object({
  v: version,
  at: instant,
  version: label(40),
  health: z.enum(['ok', 'degraded', 'failed']),
  /** The session being recorded now, if any. */
  live: z.object({ sessionId: localId, since: instant }).nullable(),
  nextSession: z
    .object({
      sessionId: localId,
      startsAt: instant,
      /** The two readiness tests the regulations require (kiểm thử 1 ngày và 2 giờ trước): null until run. */
      readiness: z.object({ dayBefore: runOutcome.nullable(), twoHours: runOutcome.nullable() }),
    })
    .nullable(),
  lastReadiness: z.object({ runId: localId, kind: runKind, overall: runOutcome, finishedAt: instant }).nullable(),
  /** Alerts raised and not cleared yet (one per alert key, see events). */
  openAlerts: count,
  /** The room's name from its config (`room.name`), for the dashboard; cut to 100 characters. */
  roomName: label(100).optional(),
});
export type RoomState = z.output<typeof roomStateSchema>;

export const buildRoomState = (value: z.input<typeof roomStateSchema>) => encode('state', roomStateSchema, value);
export const parseRoomState = (data: Uint8Array | string) => decode('state', roomStateSchema, data);
