import { windowOpensBefore, type ScheduledKind } from '../../readiness/scheduler.js';
import { isUpcoming, type SessionState } from '../../session/state-machine.js';
import type { RoomState } from '../nats/state.js';

export interface SessionSlot {
  id: string;
  startsAt: string;
  endsAt: string;
  state: SessionState;
}

export interface RunSlot {
  sessionId: string | null;
  kind: 'day-before' | 'two-hours' | 'on-demand';
  overall: 'pass' | 'warn' | 'fail';
  startedAt: string;
}

/**
 * Pure: the session the room holds next: upcoming, not over yet, soonest start. A session whose
 * start has passed but that is not live yet is still the next one.
 */
export function nextSessionSlot(sessions: readonly SessionSlot[], now: number): SessionSlot | undefined {
  return sessions
    .filter((s) => isUpcoming(s.state) && Date.parse(s.endsAt) > now)
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || a.id.localeCompare(b.id))[0];
}

/**
 * Pure: the next session as the KV state shows it, by id and start time only (never a title, a case
 * or a person), with the outcomes of its two regulation tests (kiểm thử 1 ngày và 2 giờ trước). A
 * test counts when it ran inside its window for the session's current start, as the scheduler
 * decides (readiness/scheduler.ts): a session moved later needs its tests again. On-demand runs do
 * not count.
 */
export function nextSessionState(next: SessionSlot | undefined, runs: readonly RunSlot[]): RoomState['nextSession'] {
  if (!next) return null;
  const start = Date.parse(next.startsAt);
  const outcome = (kind: ScheduledKind) => {
    const latest = runs
      .filter(
        (r) => r.sessionId === next.id && r.kind === kind && Date.parse(r.startedAt) >= start - windowOpensBefore[kind],
      )
      .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))[0];
    return latest?.overall ?? null;
  };
  return {
    sessionId: next.id,
    startsAt: new Date(start).toISOString(),
    readiness: { dayBefore: outcome('day-before'), twoHours: outcome('two-hours') },
  };
}
