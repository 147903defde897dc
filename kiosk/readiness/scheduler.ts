/**
 * When the automatic readiness tests are due: 1 day and 2 hours before each session (kiểm thử:
 * seed 003 art. 6.1a/c, seed 004). Pure: the service calls it on a tick with the clock's time.
 */
import type { SessionState } from '../session/state-machine.js';
import type { RunKind } from './types.js';

export type ScheduledKind = Exclude<RunKind, 'on-demand'>;

const HOUR = 3_600_000;
/** How long before the start each window opens. */
export const windowOpensBefore: Record<ScheduledKind, number> = { 'day-before': 24 * HOUR, 'two-hours': 2 * HOUR };

export interface SessionSlot {
  id: string;
  startsAt: string;
  state: SessionState;
}

export interface PastRun {
  sessionId: string | null;
  kind: RunKind;
  startedAt: string;
}

export interface DueRun {
  sessionId: string;
  kind: ScheduledKind;
  /** When its window opened (runs started before it do not count). */
  opensAt: string;
}

/**
 * A window runs from its opening until the next window opens (day-before) or the session starts
 * (two-hours). A test is due when its window is open and no run of that kind for that session
 * started inside it. Only the latest open window is due: a daemon that was off the day before
 * runs the two-hour test, not both. Moving a session's start re-opens its windows. On-demand runs
 * do not count: the two scheduled tests are what the regulation asks for.
 */
export function dueRuns(sessions: readonly SessionSlot[], runs: readonly PastRun[], now: number): DueRun[] {
  const due: DueRun[] = [];
  // The session that starts soonest is tested first: its window closes first.
  const bySoonest = [...sessions].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  for (const session of bySoonest) {
    if (session.state !== 'scheduled' && session.state !== 'preparing' && session.state !== 'ready') continue;
    const start = Date.parse(session.startsAt);
    if (!Number.isFinite(start) || now >= start) continue;
    const kind: ScheduledKind | undefined =
      now >= start - windowOpensBefore['two-hours']
        ? 'two-hours'
        : now >= start - windowOpensBefore['day-before']
          ? 'day-before'
          : undefined;
    if (!kind) continue;
    const opensAt = start - windowOpensBefore[kind];
    const done = runs.some(
      (run) => run.sessionId === session.id && run.kind === kind && Date.parse(run.startedAt) >= opensAt,
    );
    if (!done) due.push({ sessionId: session.id, kind, opensAt: new Date(opensAt).toISOString() });
  }
  return due;
}
