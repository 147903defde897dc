/**
 * When an update may run (pure). Never during a live session (the daemon is restarted), nor within
 * `quietMinutes` of a scheduled session's start: a release that needs a rollback, or a room that needs
 * a technician afterwards, must not eat into a session's set-up and readiness test.
 */
export interface GateInput {
  live: { id: string } | null;
  /** Sessions not yet started, with their scheduled start. */
  upcoming: readonly { id: string; startsAt: string }[];
  now: number;
  quietMinutes: number;
}

export type GateDecision =
  | { ok: true }
  | { ok: false; reason: 'live-session'; sessionId: string }
  | { ok: false; reason: 'session-soon'; sessionId: string; startsAt: string };

export function updateGate({ live, upcoming, now, quietMinutes }: GateInput): GateDecision {
  if (live) return { ok: false, reason: 'live-session', sessionId: live.id };
  const horizon = now + quietMinutes * 60_000;
  const soon = upcoming
    .map((s) => ({ ...s, at: Date.parse(s.startsAt) }))
    .filter((s) => Number.isFinite(s.at) && s.at <= horizon)
    .sort((a, b) => a.at - b.at)[0];
  // A session whose start has passed but that never went live is the start window's business: it still blocks.
  if (soon) return { ok: false, reason: 'session-soon', sessionId: soon.id, startsAt: soon.startsAt };
  return { ok: true };
}
