/** Pure formatting for the touchscreen and the console: always dd/mm/yyyy and 24 h, in the room's time zone. */
import type { Language } from '../../messages/label.js';

/** Until the daemon has said otherwise (config `room.timezone`): Việt Nam's zone, the config's default. */
let roomZone = 'Asia/Ho_Chi_Minh';

/**
 * The room's time zone, as the daemon reports it (its health report, `room.timeZone`). One page shows
 * one room, so it is set once for every formatter rather than threaded through each view. An unknown
 * zone is refused (false) and the previous one kept: a typo must not blank every date on the page.
 */
export function setRoomTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
  } catch {
    return false;
  }
  roomZone = zone;
  return true;
}

export function roomTimeZone(): string {
  return roomZone;
}

function parts(
  instant: string | number | Date,
  options: Intl.DateTimeFormatOptions,
  timeZone = roomZone,
): Record<string, string> {
  const formatted = new Intl.DateTimeFormat('en-GB', { ...options, hour12: false, timeZone }).formatToParts(
    new Date(instant),
  );
  return Object.fromEntries(formatted.map((p) => [p.type, p.value]));
}

/**
 * Minutes the room's clock is ahead of UTC at `instant` (+420 in Hà Nội); follows summer time where
 * the zone has it.
 */
export function zoneOffsetMinutes(instant: string | number | Date, timeZone = roomZone): number {
  const p = parts(
    instant,
    { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' },
    timeZone,
  );
  const asUtc = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour! % 24, +p.minute!, +p.second!);
  const whole = Math.floor(new Date(instant).getTime() / 1000) * 1000;
  return Math.round((asUtc - whole) / 60_000);
}

/** 14:05 */
export function clockTime(instant: string | number | Date): string {
  const p = parts(instant, { hour: '2-digit', minute: '2-digit' });
  return `${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
}

/** 01/12/2026 */
export function calendarDate(instant: string | number | Date): string {
  const p = parts(instant, { day: '2-digit', month: '2-digit', year: 'numeric' });
  return `${p.day}/${p.month}/${p.year}`;
}

/** 14:05 01/12/2026 */
export function dateTime(instant: string | number | Date): string {
  return `${clockTime(instant)} ${calendarDate(instant)}`;
}

/** Thứ Ba / Tuesday */
export function weekday(instant: string | number | Date, language: Language): string {
  return new Intl.DateTimeFormat(language === 'vi' ? 'vi-VN' : 'en-GB', {
    weekday: 'long',
    timeZone: roomZone,
  }).format(new Date(instant));
}

/** 00:12:34: elapsed time on the recording indicator. */
export function elapsed(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(whole / 3600))}:${two(Math.floor((whole % 3600) / 60))}:${two(whole % 60)}`;
}

/** The calendar day of an instant in the room, as a sortable key. */
export function dayKey(instant: string | number | Date): string {
  const p = parts(instant, { day: '2-digit', month: '2-digit', year: 'numeric' });
  return `${p.year}-${p.month}-${p.day}`;
}

/** A sound level (dBFS) as a share of the meter: -60 dB and below is empty, 0 dB full. */
export function meterShare(db: number): number {
  if (!Number.isFinite(db)) return 0;
  return Math.min(1, Math.max(0, (db + 60) / 60));
}
