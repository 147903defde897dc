import type { SessionWindow } from './display-schedule.js';

/** Where room automation learns about sessions; the session store answers it (see `sessionCalendarFrom`). */
export interface SessionCalendar {
  /** Sessions not yet finished that overlap [from, to). */
  windows(from: Date, to: Date): Promise<SessionWindow[]>;
}

/** The slice of the session store the calendar reads (kiosk/session/session-store.ts). */
export interface SessionListing {
  listSessions(range: { from?: string; to?: string }): Promise<{ startsAt: string; endsAt: string; state: string }[]>;
}

/** Adapts the session store; finished or cancelled sessions do not wake the display. */
export function sessionCalendarFrom(store: SessionListing, isFinished: (state: string) => boolean): SessionCalendar {
  return {
    async windows(from, to) {
      const sessions = await store.listSessions({ from: from.toISOString(), to: to.toISOString() });
      return sessions
        .filter((s) => !isFinished(s.state))
        .map((s) => ({ startsAt: new Date(s.startsAt), endsAt: new Date(s.endsAt) }));
    },
  };
}
