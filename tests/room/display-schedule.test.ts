import { describe, expect, it } from 'vitest';
import { displayScheduleConfig } from '../../config/room-automation.js';
import { decideDisplay, localTime, type SessionWindow } from '../../kiosk/room/display-schedule.js';

const tz = 'Asia/Ho_Chi_Minh';
const defaults = displayScheduleConfig.parse({});
// Local wall-clock times in Việt Nam (UTC+7, no daylight saving).
const at = (local: string) => new Date(`${local}:00+07:00`);
// 2025-11-03 is a Monday, 2025-11-08 a Saturday.
const session: SessionWindow = { startsAt: at('2025-11-03T18:00'), endsAt: at('2025-11-03T19:30') };

describe('localTime', () => {
  it.each([
    ['2025-11-03T00:30:00Z', { date: '2025-11-03', isoWeekday: 1, minutes: 7 * 60 + 30 }],
    ['2025-11-08T17:00:00Z', { date: '2025-11-09', isoWeekday: 7, minutes: 0 }],
    ['2025-11-02T23:59:00Z', { date: '2025-11-03', isoWeekday: 1, minutes: 6 * 60 + 59 }],
  ])('%s', (utc, expected) => {
    expect(localTime(new Date(utc), tz)).toEqual(expected);
  });
});

describe('decideDisplay', () => {
  it.each([
    ['Monday 07:29, before opening', '2025-11-03T07:29', [], { on: false, reason: 'outside-hours' }],
    ['Monday 07:30, opening', '2025-11-03T07:30', [], { on: true, reason: 'reception-hours' }],
    ['Monday 11:59', '2025-11-03T11:59', [], { on: true, reason: 'reception-hours' }],
    ['Monday 12:00, lunch break', '2025-11-03T12:00', [], { on: false, reason: 'outside-hours' }],
    ['Monday 13:00, afternoon', '2025-11-03T13:00', [], { on: true, reason: 'reception-hours' }],
    ['Monday 16:29', '2025-11-03T16:29', [], { on: true, reason: 'reception-hours' }],
    ['Monday 16:30, closing', '2025-11-03T16:30', [], { on: false, reason: 'outside-hours' }],
    ['Saturday 09:00, not a reception day', '2025-11-08T09:00', [], { on: false, reason: 'closed-day' }],
    [
      'Monday 17:29, 31 min before an evening session',
      '2025-11-03T17:29',
      [session],
      { on: false, reason: 'outside-hours' },
    ],
    ['Monday 17:30, 30 min before it: wake', '2025-11-03T17:30', [session], { on: true, reason: 'before-session' }],
    ['Monday 18:45, during it', '2025-11-03T18:45', [session], { on: true, reason: 'session' }],
    ['Monday 19:30, after it', '2025-11-03T19:30', [session], { on: false, reason: 'outside-hours' }],
  ] as const)('%s', (_name, local, sessions, expected) => {
    expect(decideDisplay(at(local), defaults, tz, sessions)).toEqual(expected);
  });

  it('honours configured days, exceptions and a disabled schedule', () => {
    const weekend = displayScheduleConfig.parse({
      days: [1, 2, 3, 4, 5, 6, 7],
      exceptions: [
        { date: '2025-11-04', periods: [] },
        { date: '2025-11-05', periods: [{ from: '08:00', to: '10:00' }] },
      ],
    });
    expect(decideDisplay(at('2025-11-08T09:00'), weekend, tz, [])).toEqual({ on: true, reason: 'reception-hours' });
    expect(decideDisplay(at('2025-11-04T09:00'), weekend, tz, [])).toEqual({ on: false, reason: 'closed-day' });
    expect(decideDisplay(at('2025-11-05T09:59'), weekend, tz, [])).toEqual({ on: true, reason: 'reception-hours' });
    expect(decideDisplay(at('2025-11-05T10:00'), weekend, tz, [])).toEqual({ on: false, reason: 'outside-hours' });
    expect(
      decideDisplay(at('2025-11-04T09:00'), weekend, tz, [
        { startsAt: at('2025-11-04T09:15'), endsAt: at('2025-11-04T10:00') },
      ]),
    ).toEqual({ on: true, reason: 'before-session' });
    expect(decideDisplay(at('2025-11-08T03:00'), displayScheduleConfig.parse({ enabled: false }), tz, [])).toEqual({
      on: true,
      reason: 'schedule-off',
    });
  });

  it('rejects a period that ends before it starts', () => {
    expect(displayScheduleConfig.safeParse({ periods: [{ from: '12:00', to: '07:30' }] }).success).toBe(false);
    expect(displayScheduleConfig.safeParse({ periods: [{ from: '7:30', to: '12:00' }] }).success).toBe(false);
  });
});
