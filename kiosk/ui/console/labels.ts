/** Pure formatting for the console: sizes, durations, and words for codes that come from the API. */
import { roomTimeZone } from '../shared/format.js';
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
      timeZone: roomTimeZone(),
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

/**
 * An audit entry's detail in words. The daemon writes codes and figures as JSON
 * (kiosk/evidence/audit-detail.ts); entries from before, and details that are names (a file, a
 * config path, a session id), are shown as written.
 */
export function auditDetailText(detail: string | null, language: Language): string {
  if (!detail?.startsWith('{')) return detail ?? '';
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(detail) as Record<string, unknown>;
  } catch {
    return detail;
  }
  const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? value : '');
  const size = typeof data.bytes === 'number' ? bytes(data.bytes, language) : '';
  const key =
    data.code === 'export'
      ? `auditDetail_export_${text(data.encryption)}`
      : data.code === 'delete'
        ? `auditDetail_delete_${text(data.reason)}`
        : `auditDetail_${text(data.code)}`;
  if (!known(key)) return detail;
  const refusal = `err_export_refused_${String(text(data.refusal)).replaceAll('-', '_')}`;
  return say(key, language, {
    segments: text(data.segments),
    problems: text(data.problems),
    dir: text(data.dir),
    drive: text(data.drive),
    size,
    recipients: Array.isArray(data.recipients) ? data.recipients.map(text).join(', ') : '',
    reason: known(refusal) ? say(refusal, language) : text(data.refusal),
  });
}
