import { describe, expect, it } from 'vitest';
import { startWindowRefusal } from '../../kiosk/messages/session.js';
import { startWindowVerdict } from '../../kiosk/session/start-window.js';

const session = { startsAt: '2026-12-01T07:00:00.000Z', endsAt: '2026-12-01T09:00:00.000Z' };
const window = { beforeMinutes: 30, afterMinutes: 60 };

describe('start window', () => {
  it.each([
    ['2026-12-01T06:29:59.000Z', { ok: false, code: 'too_early' }],
    ['2026-12-01T06:30:00.000Z', { ok: true }],
    ['2026-12-01T07:00:00.000Z', { ok: true }],
    ['2026-12-01T08:00:00.000Z', { ok: true }],
    ['2026-12-01T08:00:00.001Z', { ok: false, code: 'too_late' }],
  ])('at %s: %o', (now, expected) => {
    expect(startWindowVerdict(session, window, new Date(now))).toMatchObject({
      ...expected,
      opensAt: '2026-12-01T06:30:00.000Z',
      closesAt: '2026-12-01T08:00:00.000Z',
    });
  });

  it('never lets a session start after its end, whatever afterMinutes says', () => {
    expect(
      startWindowVerdict(
        { ...session, endsAt: '2026-12-01T07:20:00.000Z' },
        window,
        new Date('2026-12-01T07:21:00.000Z'),
      ),
    ).toMatchObject({ ok: false, code: 'too_late', closesAt: '2026-12-01T07:20:00.000Z' });
  });

  it("says why in Vietnamese, in the room's time, 24 h and dd/mm/yyyy", () => {
    const times = {
      startsAt: session.startsAt,
      opensAt: '2026-12-01T06:30:00.000Z',
      closesAt: '2026-12-01T08:00:00.000Z',
    };
    expect(startWindowRefusal('too_early', times, 'Asia/Ho_Chi_Minh').vi).toBe(
      'Buổi tiếp bắt đầu lúc 14:00 01/12/2026 — chỉ có thể bắt đầu từ 13:30 01/12/2026.',
    );
    expect(startWindowRefusal('too_late', times, 'Asia/Ho_Chi_Minh').vi).toBe(
      'Buổi tiếp lúc 14:00 01/12/2026 đã quá giờ bắt đầu (hạn chót 15:00 01/12/2026): đề nghị xếp lại lịch.',
    );
  });
});
