import type { RoomState } from '../../../../kiosk/fleet/nats/state.js';
import type { TelemetryFigures } from './telemetry-figures.js';

/**
 * What the dashboard shows of a room, computed here from the registry, the room's latest state,
 * its open alerts and its latest telemetry. Pure and clock-injected; the page only renders it.
 */

/** One of the two readiness tests before a session (kiểm thử 1 ngày và 2 giờ trước). */
/** `unknown`: central has no state of the room at all. */
export type ReadinessStatus = 'pass' | 'warn' | 'fail' | 'due' | 'not-yet' | 'no-session' | 'unknown';

/**
 * Silent for this long, a room is marked stale (mất liên lạc). An idle room sends only a full
 * telemetry sample every 15 minutes (config fleet.telemetry.fullEveryMinutes, the cost of the
 * 150 KB/day budget, kiosk/fleet/nats/schema.md): a shorter threshold showed healthy rooms as lost
 * for ten minutes out of fifteen. One sample may be late, not two.
 */
export const STALE_AFTER_MS = 20 * 60_000;

const DAY_MS = 24 * 3_600_000;
const TWO_HOURS_MS = 2 * 3_600_000;

/**
 * A test's status: its outcome once run; before that, `due` from the moment it may be run (a day,
 * or two hours, before the start) and `not-yet` until then.
 */
export function readinessStatus(
  outcome: 'pass' | 'warn' | 'fail' | null,
  startsAt: string,
  windowMs: number,
  now: number,
): ReadinessStatus {
  if (outcome) return outcome;
  return now >= new Date(startsAt).getTime() - windowMs ? 'due' : 'not-yet';
}

export interface OpenAlertView {
  key: string;
  topic: string;
  severity: string;
  raisedAt: string;
}

export interface RoomInputs {
  id: string;
  province: string | null;
  district: string | null;
  state: RoomState | undefined;
  /** When central last heard from the room by any means (state, telemetry, event). */
  lastSeenAt: string | null;
  openAlerts: OpenAlertView[];
  figures: TelemetryFigures | null;
}

export type AttentionReason = 'never-seen' | 'stale' | 'health' | 'alerts' | 'readiness-failed' | 'readiness-due';

export interface RoomView {
  id: string;
  province: string | null;
  district: string | null;
  version: string | null;
  lastSeenAt: string | null;
  lastSeenAgeS: number | null;
  stale: boolean;
  health: RoomState['health'] | 'unknown';
  live: RoomState['live'];
  nextSession: { sessionId: string; startsAt: string } | null;
  readiness: { dayBefore: ReadinessStatus; twoHours: ReadinessStatus };
  lastReadiness: RoomState['lastReadiness'];
  openAlerts: OpenAlertView[];
  figures: TelemetryFigures | null;
  attention: AttentionReason[];
}

export function roomView(input: RoomInputs, now: number): RoomView {
  const { state } = input;
  const seenMs = input.lastSeenAt ? new Date(input.lastSeenAt).getTime() : null;
  const stale = seenMs === null || now - seenMs > STALE_AFTER_MS;
  const next = state?.nextSession ?? null;
  const readiness = next
    ? {
        dayBefore: readinessStatus(next.readiness.dayBefore, next.startsAt, DAY_MS, now),
        twoHours: readinessStatus(next.readiness.twoHours, next.startsAt, TWO_HOURS_MS, now),
      }
    : state
      ? { dayBefore: 'no-session' as const, twoHours: 'no-session' as const }
      : { dayBefore: 'unknown' as const, twoHours: 'unknown' as const };
  const health = state?.health ?? 'unknown';
  const attention: AttentionReason[] = [];
  if (seenMs === null) attention.push('never-seen');
  else if (stale) attention.push('stale');
  if (health === 'degraded' || health === 'failed') attention.push('health');
  if (input.openAlerts.length > 0) attention.push('alerts');
  const tests = [readiness.dayBefore, readiness.twoHours];
  if (tests.includes('fail')) attention.push('readiness-failed');
  if (tests.includes('due')) attention.push('readiness-due');
  return {
    id: input.id,
    province: input.province,
    district: input.district,
    version: state?.version ?? null,
    lastSeenAt: input.lastSeenAt,
    lastSeenAgeS: seenMs === null ? null : Math.max(0, Math.round((now - seenMs) / 1000)),
    stale,
    health,
    live: stale ? null : (state?.live ?? null),
    nextSession: next ? { sessionId: next.sessionId, startsAt: next.startsAt } : null,
    readiness,
    lastReadiness: state?.lastReadiness ?? null,
    openAlerts: input.openAlerts,
    figures: input.figures,
    attention,
  };
}

/** The filters of the room list: province, district, and "needs attention". Pure. */
export function filterRooms(
  rooms: readonly RoomView[],
  filter: { province?: string; district?: string; attention?: boolean },
): RoomView[] {
  return rooms.filter(
    (room) =>
      (!filter.province || room.province === filter.province) &&
      (!filter.district || room.district === filter.district) &&
      (!filter.attention || room.attention.length > 0),
  );
}

/** Rooms that need attention first, then by province, district and id. */
export function sortRooms(rooms: readonly RoomView[]): RoomView[] {
  const key = (room: RoomView) =>
    [room.attention.length > 0 ? 0 : 1, room.province ?? '\uffff', room.district ?? '\uffff', room.id] as const;
  return [...rooms].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < ka.length; i++) {
      const c =
        typeof ka[i] === 'number'
          ? (ka[i] as number) - (kb[i] as number)
          : String(ka[i]).localeCompare(String(kb[i]), 'vi');
      if (c !== 0) return c;
    }
    return 0;
  });
}
