import { describe, expect, it } from 'vitest';
import { endSummaryOf } from '../../kiosk/session/end-summary.js';
import type { SessionEvent } from '../../kiosk/session/types.js';

let nextId = 1;
const event = (type: SessionEvent['type'], at: string, data: Record<string, unknown> = {}): SessionEvent => ({
  id: nextId++,
  sessionId: 's1',
  at,
  type,
  actor: 'kiosk',
  data,
});

const recorded = [
  event('scheduled', '2026-12-01T06:00:00.000Z'),
  event('started', '2026-12-01T07:00:00.000Z', { recordingId: 's1' }),
  event('gap', '2026-12-01T07:10:00.000Z', { seconds: 12.5 }),
  event('resumed', '2026-12-01T07:10:00.000Z'),
  event('gap', '2026-12-01T07:20:00.000Z', { seconds: 3 }),
  event('ended', '2026-12-01T07:59:00.000Z'),
  event('closed', '2026-12-01T08:00:00.000Z', { segments: 4, durationSeconds: 3600 }),
];

describe('end summary (pure)', () => {
  it('measures from the first start to the closing event, gaps included, and sums the gaps', () => {
    expect(endSummaryOf('closed', recorded, { sealed: true, ok: true, segments: 5 })).toEqual({
      state: 'closed',
      startedAt: '2026-12-01T07:00:00.000Z',
      endedAt: '2026-12-01T08:00:00.000Z',
      durationSeconds: 3600,
      segments: 5,
      gapSeconds: 15.5,
      sealed: true,
      verified: true,
    });
  });

  it.each([
    ['verified and sealed', { sealed: true, ok: true, segments: 5 }, { segments: 5, sealed: true, verified: true }],
    ['sealed but altered', { sealed: true, ok: false, segments: 5 }, { segments: 5, sealed: true, verified: false }],
    // Not checked: the count the recorder gave when it stopped, and nothing claimed about the seal.
    ['not checked', null, { segments: 4, sealed: false, verified: null }],
  ] as const)('recording %s', (_name, check, expected) => {
    expect(endSummaryOf('closed', recorded, check)).toMatchObject(expected);
  });

  it('takes the last closing event, a failure included', () => {
    const failed = [
      ...recorded.slice(0, 2),
      event('failed', '2026-12-01T07:30:00.000Z', { segments: 2, reason: 'recording did not finalize' }),
    ];
    expect(endSummaryOf('failed', failed, null)).toMatchObject({
      state: 'failed',
      endedAt: '2026-12-01T07:30:00.000Z',
      durationSeconds: 1800,
      segments: 2,
      gapSeconds: 0,
    });
  });

  it('has no duration for a session that never started (cancelled)', () => {
    const cancelled = [event('scheduled', '2026-12-01T06:00:00.000Z'), event('aborted', '2026-12-01T06:30:00.000Z')];
    expect(endSummaryOf('aborted', cancelled, null)).toEqual({
      state: 'aborted',
      startedAt: null,
      endedAt: null,
      durationSeconds: null,
      segments: null,
      gapSeconds: 0,
      sealed: false,
      verified: null,
    });
  });

  it('ignores a gap whose length is not a number', () => {
    const odd = [...recorded.slice(0, 2), event('gap', '2026-12-01T07:05:00.000Z', { seconds: '9' })];
    expect(endSummaryOf('live', odd, null).gapSeconds).toBe(0);
  });
});
