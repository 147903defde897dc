/** Pure formatting for the touchscreen and the console: always dd/mm/yyyy and 24 h, in the room's time zone. */
import type { Language } from '../../messages/label.js';

export const ROOM_TIME_ZONE = 'Asia/Ho_Chi_Minh';

function parts(instant: string | number | Date, options: Intl.DateTimeFormatOptions): Record<string, string> {
  const formatted = new Intl.DateTimeFormat('en-GB', {
    ...options,
    hour12: false,
    timeZone: ROOM_TIME_ZONE,
  }).formatToParts(new Date(instant));
  return Object.fromEntries(formatted.map((p) => [p.type, p.value]));
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
    timeZone: ROOM_TIME_ZONE,
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
