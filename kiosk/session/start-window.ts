/**
 * When a scheduled session may be started: from `beforeMinutes` before its scheduled start until
 * `afterMinutes` after it (and never after its end). Pure; the service enforces it, the kiosk shows it.
 */
export interface StartWindow {
  beforeMinutes: number;
  afterMinutes: number;
}

export const defaultStartWindow: StartWindow = { beforeMinutes: 30, afterMinutes: 120 };

export type StartWindowVerdict =
  | { ok: true; opensAt: string; closesAt: string }
  | { ok: false; code: 'too_early' | 'too_late'; opensAt: string; closesAt: string };

export function startWindowOf(
  session: { startsAt: string; endsAt: string },
  window: StartWindow,
): { opensAt: string; closesAt: string } {
  const startsAt = Date.parse(session.startsAt);
  const closes = Math.min(startsAt + window.afterMinutes * 60_000, Date.parse(session.endsAt));
  return {
    opensAt: new Date(startsAt - window.beforeMinutes * 60_000).toISOString(),
    closesAt: new Date(closes).toISOString(),
  };
}

export function startWindowVerdict(
  session: { startsAt: string; endsAt: string },
  window: StartWindow,
  now: Date,
): StartWindowVerdict {
  const span = startWindowOf(session, window);
  const at = now.getTime();
  if (at < Date.parse(span.opensAt)) return { ok: false, code: 'too_early', ...span };
  if (at > Date.parse(span.closesAt)) return { ok: false, code: 'too_late', ...span };
  return { ok: true, ...span };
}
