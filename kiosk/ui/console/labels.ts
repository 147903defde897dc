/** Pure formatting for the console: sizes, durations, and words for codes that come from the API. */
import { ROOM_TIME_ZONE } from '../shared/format.js';
import type { Language } from '../../messages/label.js';
import { known, say } from './words.js';

/** 1,5 GB / 1.5 GB: decimal units, as drives are sold. */
export function bytes(count: number, language: Language): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = count;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toLocaleString(language === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${units[unit]}`;
}

/** 1:02:03 or 2:03: a recording's length. */
export function clockDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(whole % 60)}` : `${m}:${two(whole % 60)}`;
}

/** "3 ngày 4 giờ 5 phút" / "4 giờ 5 phút" / "5 phút 9 giây": the daemon's uptime, a UPS runtime. */
export function longDuration(seconds: number, language: Language): string {
  const whole = Math.max(0, Math.floor(seconds));
  const days = Math.floor(whole / 86400);
  const hours = Math.floor((whole % 86400) / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  if (days > 0) return say('daysHours', language, { days, hours, minutes });
  // Under an hour the seconds tell a technician whether the daemon just restarted.
  return hours > 0
    ? say('hoursMinutes', language, { hours, minutes })
    : say('minutesSeconds', language, { minutes, seconds: whole % 60 });
}

/** An audit action in words; an action the catalogue does not know yet is shown as "Khác (code)". */
export function auditAction(action: string, language: Language): string {
  const key = `action_${action}`;
  return known(key) ? say(key, language) : say('otherAction', language, { code: action });
}

/** A word from the catalogue for `prefix_value`, or "Không rõ". */
export function word(prefix: string, value: string | number | null | undefined, language: Language): string {
  const key = `${prefix}_${value}`;
  return known(key) ? say(key, language) : say('unknown', language);
}

/** Duration of a recording from its start to its end (or to now while it records). */
export function recordingSeconds(recording: { startedAt: string; endedAt: string | null }, now = Date.now()): number {
  return Math.max(
    0,
    ((recording.endedAt ? Date.parse(recording.endedAt) : now) - Date.parse(recording.startedAt)) / 1000,
  );
}

/** 14:05:09 02/12/2026: a timeline needs the second, in the room's time zone. */
export function preciseDateTime(instant: string | number | Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
      timeZone: ROOM_TIME_ZONE,
    })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.hour === '24' ? '00' : parts.hour}:${parts.minute}:${parts.second} ${parts.day}/${parts.month}/${parts.year}`;
}

/** A decimal figure as the language writes it (6,7 in Vietnamese). */
export function decimal(value: number, language: Language, digits = 1): string {
  return value.toLocaleString(language === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: digits });
}
