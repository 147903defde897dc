import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { SimDisplay } from '../../hal/display/sim.js';
import { displayScheduleConfig } from '../../config/room-automation.js';
import { DisplayScheduleService } from '../../kiosk/room/display-schedule-service.js';
import type { SessionWindow } from '../../kiosk/room/display-schedule.js';

const logger = pino({ level: 'silent' });
const at = (local: string) => new Date(`${local}:00+07:00`);

describe('DisplayScheduleService (fake timers, simulated display)', () => {
  let display: SimDisplay;
  let service: DisplayScheduleService;
  let sessions: SessionWindow[];

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(at('2025-11-03T06:00'));
    display = new SimDisplay({ id: 'display', backoff: { initialMs: 100, maxMs: 100, factor: 1, jitter: 0 } });
    await display.start();
    sessions = [];
    service = new DisplayScheduleService({
      config: displayScheduleConfig.parse({ checkSeconds: 30, wakeBeforeSessionMinutes: 20 }),
      timeZone: 'Asia/Ho_Chi_Minh',
      display: () => display,
      calendar: { windows: async (from, to) => sessions.filter((s) => s.endsAt > from && s.startsAt < to) },
      logger,
    });
  });
  afterEach(async () => {
    await service.stop();
    await display.stop();
    vi.useRealTimers();
  });

  const on = async () => (await display.state()).on;

  it('sleeps before opening, wakes at 07:30, sleeps over lunch', async () => {
    await service.start();
    expect(await on()).toBe(false);
    expect(service.decision).toEqual({ on: false, reason: 'outside-hours' });
    await vi.advanceTimersByTimeAsync(90 * 60_000);
    expect(await on()).toBe(true);
    await vi.advanceTimersByTimeAsync(4.5 * 60 * 60_000 + 30_000);
    expect(await on()).toBe(false);
    expect(service.decision?.reason).toBe('outside-hours');
  });

  it('wakes the configured minutes before an evening session and sleeps after it', async () => {
    vi.setSystemTime(at('2025-11-03T17:00'));
    sessions.push({ startsAt: at('2025-11-03T18:00'), endsAt: at('2025-11-03T19:00') });
    await service.start();
    expect(await on()).toBe(false);
    await vi.advanceTimersByTimeAsync(39 * 60_000);
    expect(await on()).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await on()).toBe(true);
    expect(service.decision?.reason).toBe('before-session');
    await vi.advanceTimersByTimeAsync(80 * 60_000);
    expect(await on()).toBe(false);
  });

  it('does not overrule a manual switch-on until the next transition', async () => {
    await service.start();
    await display.setPower(true);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(await on()).toBe(true);
  });

  it('re-applies the decision when the display comes back', async () => {
    await service.start();
    // Someone switched it on by hand; then the TV loses power and comes back.
    await display.setPower(true);
    display.breakDevice('unplugged');
    display.mend();
    await vi.advanceTimersByTimeAsync(200);
    expect(display.status).toBe('ok');
    expect(await on()).toBe(false);
  });
});
