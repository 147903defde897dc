/**
 * Dates typed by the officer, always dd/mm/yyyy and 24 h in the room's time zone (Asia/Ho_Chi_Minh,
 * UTC+7 all year: Việt Nam keeps no summer time). Not <input type=datetime-local>: Chromium shows it
 * in the browser's locale (mm/dd/yyyy, AM/PM), the very fault issue 11 found. Pure.
 */
import { calendarDate, clockTime } from '../shared/format.js';

const ROOM_OFFSET = '+07:00';

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
  return `${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:00${ROOM_OFFSET}`;
}

/** An instant back into the two fields. */
export function roomFields(instant: string): { date: string; time: string } {
  return { date: calendarDate(instant), time: clockTime(instant) };
}
