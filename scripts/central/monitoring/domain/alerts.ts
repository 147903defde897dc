import type { RoomEvent } from '../../../../kiosk/fleet/nats/events.js';

/** The latest record the store holds for one (room, alert key): open, or closed by a clearing event. */
export interface AlertRecord {
  raisedSeq: number;
  clearedSeq: number | null;
}

export type AlertStep =
  | { kind: 'none' }
  /** A new open alert. */
  | { kind: 'open' }
  /** Raised again while already open: still one alert (its latest event is remembered). */
  | { kind: 'refresh' }
  | { kind: 'close' }
  /** Older than what the store already knows for this key (an event replayed out of order): changes nothing. */
  | { kind: 'stale' };

/**
 * What one event does to the room's alerts. Pure. A room raises and clears an alert under one key,
 * so the dashboard shows one open alert per key, however often it is raised; a clearing event with
 * no open alert changes nothing, and an event older than the key's latest record is ignored.
 */
export function alertStep(latest: AlertRecord | undefined, event: Pick<RoomEvent, 'seq' | 'alert'>): AlertStep {
  if (!event.alert) return { kind: 'none' };
  const open = latest !== undefined && latest.clearedSeq === null;
  const newest = latest === undefined ? 0 : Math.max(latest.raisedSeq, latest.clearedSeq ?? 0);
  if (event.seq <= newest) return { kind: 'stale' };
  if (event.alert.state === 'raised') return open ? { kind: 'refresh' } : { kind: 'open' };
  return open ? { kind: 'close' } : { kind: 'none' };
}
