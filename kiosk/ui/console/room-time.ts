/**
 * Dates typed by the officer, always dd/mm/yyyy and 24 h in the room's time zone (config
 * `room.timezone`; Asia/Ho_Chi_Minh is UTC+7 all year). Not <input type=datetime-local>: Chromium shows
 * it in the browser's locale (mm/dd/yyyy, AM/PM), the very fault issue 11 found. Pure.
 */
import { calendarDate, clockTime, zoneOffsetMinutes } from '../shared/format.js';

/** +07:00 for 420 minutes. */
function offsetText(minutes: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const whole = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${two(Math.floor(whole / 60))}:${two(whole % 60)}`;
}

/** '02/01/2030', '08:00' → '2030-01-02T08:00:00+07:00'; undefined when either is not a real date or time. */
export function roomInstant(date: string, time: string): string | undefined {
  const d = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(date);
  const t = /^\s*(\d{1,2})[:h](\d{2})\s*$/.exec(time);
  if (!d || !t) return undefined;
  const [day, month, year, hour, minute] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59) return undefined;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > last) return undefined;
  const two = (n: number) => String(n).padStart(2, '0');
  const wall = `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:00`;
  // The zone's offset at that wall time: taken at the instant the wall time would be in UTC, then
  // once more at the instant found, which settles it on either side of a summer-time change.
  const first = zoneOffsetMinutes(`${wall}Z`);
  const offset = zoneOffsetMinutes(Date.parse(`${wall}Z`) - first * 60_000);
  return `${wall}${offsetText(offset)}`;
}

/** An instant back into the two fields. */
export function roomFields(instant: string): { date: string; time: string } {
  return { date: calendarDate(instant), time: clockTime(instant) };
}
