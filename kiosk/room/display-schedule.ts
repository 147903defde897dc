import type { DisplayScheduleConfig } from '../../config/room-automation.js';

/** A scheduled or running session, as the schedule needs it. */
export interface SessionWindow {
  startsAt: Date;
  endsAt: Date;
}

export type DisplayReason =
  | 'reception-hours'
  | 'session'
  | 'before-session'
  | 'outside-hours'
  | 'closed-day'
  | 'schedule-off';

export interface DisplayDecision {
  on: boolean;
  reason: DisplayReason;
}

interface LocalTime {
  date: string;
  isoWeekday: number;
  minutes: number;
}

const weekdays: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Wall-clock date, weekday and minute of day in the room's time zone. */
export function localTime(at: Date, timeZone: string): LocalTime {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    isoWeekday: weekdays[parts.weekday!] ?? 0,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

function toMinutes(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

/**
 * Whether the room's display should be on at `now`: on during reception hours, during a session
 * and from `wakeBeforeSessionMinutes` before one, asleep otherwise (saves the panel, and a dark screen
 * tells a passer-by the room is closed). A session always wins over the hours.
 */
export function decideDisplay(
  now: Date,
  config: DisplayScheduleConfig,
  timeZone: string,
  sessions: readonly SessionWindow[],
): DisplayDecision {
  if (!config.enabled) return { on: true, reason: 'schedule-off' };
  const nowMs = now.getTime();
  for (const session of sessions) {
    if (nowMs >= session.startsAt.getTime() && nowMs < session.endsAt.getTime()) return { on: true, reason: 'session' };
  }
  const wakeMs = config.wakeBeforeSessionMinutes * 60_000;
  for (const session of sessions) {
    const start = session.startsAt.getTime();
    if (nowMs >= start - wakeMs && nowMs < start) return { on: true, reason: 'before-session' };
  }
  const local = localTime(now, timeZone);
  const exception = config.exceptions.find((e) => e.date === local.date);
  const periods = exception ? exception.periods : config.days.includes(local.isoWeekday) ? config.periods : [];
  if (periods.length === 0) return { on: false, reason: 'closed-day' };
  const open = periods.some((p) => local.minutes >= toMinutes(p.from) && local.minutes < toMinutes(p.to));
  return open ? { on: true, reason: 'reception-hours' } : { on: false, reason: 'outside-hours' };
}
