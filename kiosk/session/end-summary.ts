import type { SessionEvent, SessionRecord } from './types.js';

/** What the officer sees when a session ends (the kiosk's closing dialog). */
export interface EndSummary {
  state: SessionRecord['state'];
  startedAt: string | null;
  endedAt: string | null;
  /** From the start to the end of the session (gaps included: see gapSeconds). */
  durationSeconds: number | null;
  segments: number | null;
  gapSeconds: number;
  sealed: boolean;
  /** The sealed recording matches its signed manifest; null when it could not be checked. */
  verified: boolean | null;
}

/** The recording checked against its signed manifest, or null when it could not be. */
export type RecordingCheck = { sealed: boolean; ok: boolean; segments: number } | null;

/**
 * How long the session was recorded, how many segments were sealed, its gaps, and whether the
 * recording verifies: from its timeline and the check. Pure; the segment count falls back to the
 * closing event's when the recording could not be checked.
 */
export function endSummaryOf(
  state: SessionRecord['state'],
  events: readonly SessionEvent[],
  check: RecordingCheck,
): EndSummary {
  const started = events.find((e) => e.type === 'started');
  const closing = events.findLast((e) => e.type === 'closed' || e.type === 'failed');
  const number = (value: unknown) => (typeof value === 'number' ? value : null);
  const gapSeconds = events.filter((e) => e.type === 'gap').reduce((sum, e) => sum + (number(e.data.seconds) ?? 0), 0);
  return {
    state,
    startedAt: started?.at ?? null,
    endedAt: closing?.at ?? null,
    durationSeconds: started && closing ? Math.max(0, (Date.parse(closing.at) - Date.parse(started.at)) / 1000) : null,
    segments: check?.segments ?? number(closing?.data.segments),
    gapSeconds,
    sealed: check?.sealed ?? false,
    verified: check ? check.ok : null,
  };
}
