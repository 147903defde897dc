import { afterEach, describe, expect, it } from 'vitest';
import {
  calendarDate,
  clockTime,
  dateTime,
  dayKey,
  roomTimeZone,
  setRoomTimeZone,
  weekday,
  zoneOffsetMinutes,
} from '../../kiosk/ui/shared/format.js';
import { formatClock } from '../../kiosk/messages/pages.js';
import { preciseDateTime } from '../../kiosk/ui/console/labels.js';
import { roomFields, roomInstant } from '../../kiosk/ui/console/room-time.js';

/** Every date on the pages is in the room's zone (config `room.timezone`, from the daemon), not the browser's or Hà Nội's. */
describe('dates in the room’s time zone', () => {
  afterEach(() => setRoomTimeZone('Asia/Ho_Chi_Minh'));

  // 17:30 UTC on 1 December is 00:30 on the 2nd in Hà Nội, 00:30 too in Bangkok (UTC+7), 17:30 in UTC,
  // 12:30 in New York (UTC−5 in winter).
  const instant = '2026-12-01T17:30:00Z';

  it.each([
    ['Asia/Ho_Chi_Minh', '00:30', '02/12/2026', 'Thứ Tư', 420],
    ['UTC', '17:30', '01/12/2026', 'Thứ Ba', 0],
    ['America/New_York', '12:30', '01/12/2026', 'Thứ Ba', -300],
    ['Asia/Kolkata', '23:00', '01/12/2026', 'Thứ Ba', 330],
  ])('%s', (zone, time, date, day, offset) => {
    expect(setRoomTimeZone(zone)).toBe(true);
    expect(roomTimeZone()).toBe(zone);
    expect(clockTime(instant)).toBe(time);
    expect(calendarDate(instant)).toBe(date);
    expect(dateTime(instant)).toBe(`${time} ${date}`);
    expect(dayKey(instant)).toBe(date.split('/').reverse().join('-'));
    expect(weekday(instant, 'vi')).toBe(day);
    expect(preciseDateTime(instant)).toBe(`${time}:00 ${date}`);
    expect(formatClock(new Date(instant), 'vi', roomTimeZone())).toContain(`${time}:00 · ${day}`);
    expect(zoneOffsetMinutes(instant)).toBe(offset);
    // What the officer types is read in the room's zone, and written back the same.
    const typed = roomInstant(date, time);
    expect(typed && new Date(typed).toISOString()).toBe('2026-12-01T17:30:00.000Z');
    expect(roomFields(instant)).toEqual({ date, time });
  });

  it('reads a typed time on either side of a summer-time change in the zone’s offset of that day', () => {
    setRoomTimeZone('Europe/Berlin');
    expect(roomInstant('28/03/2027', '01:30')).toBe('2027-03-28T01:30:00+01:00');
    expect(roomInstant('28/03/2027', '04:00')).toBe('2027-03-28T04:00:00+02:00');
  });

  it('keeps the zone it has when the daemon names one that does not exist', () => {
    setRoomTimeZone('UTC');
    expect(setRoomTimeZone('Asia/Nowhere')).toBe(false);
    expect(roomTimeZone()).toBe('UTC');
  });
});
