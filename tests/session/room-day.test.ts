import { describe, expect, it } from 'vitest';
import { startOfDay } from '../../kiosk/session/room-day.js';

describe("the room's day (pure)", () => {
  it.each([
    // Hà Nội is UTC+7 all year: its midnight is 17:00 UTC the day before.
    ['2026-12-01T10:15:30.250Z', 'Asia/Ho_Chi_Minh', '2026-11-30T17:00:00.000Z'],
    ['2026-12-01T16:59:59.999Z', 'Asia/Ho_Chi_Minh', '2026-11-30T17:00:00.000Z'],
    ['2026-12-01T17:00:00.000Z', 'Asia/Ho_Chi_Minh', '2026-12-01T17:00:00.000Z'],
    ['2026-12-01T00:00:00.000Z', 'UTC', '2026-12-01T00:00:00.000Z'],
    ['2026-12-01T23:59:59.000Z', 'UTC', '2026-12-01T00:00:00.000Z'],
  ])('at %s in %s the day began at %s', (now, timeZone, midnight) => {
    expect(startOfDay(new Date(now), timeZone).toISOString()).toBe(midnight);
  });
});
