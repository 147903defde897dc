import { describe, expect, it } from 'vitest';
import { roomEventOf } from '../../kiosk/fleet/event-map.js';
import { callEvent, callToShow, type TechnicianCall } from '../../kiosk/room/technician-call.js';

const call = (over: Partial<TechnicianCall>): TechnicianCall => ({
  id: 'c1',
  source: 'kiosk',
  sessionId: null,
  raisedAt: '2026-12-01T07:00:00.000Z',
  state: 'waiting',
  acknowledgedAt: null,
  acknowledgedBy: null,
  ...over,
});
const at = (iso: string) => Date.parse(iso);

describe('technician call', () => {
  it('shows the waiting call, else a recent acknowledgement, else nothing', () => {
    const acknowledged = call({
      id: 'c0',
      state: 'acknowledged',
      acknowledgedAt: '2026-12-01T07:05:00.000Z',
      acknowledgedBy: 'kythuat',
    });
    expect(callToShow([acknowledged, call({})], at('2026-12-01T07:06:00.000Z'), 600_000)?.id).toBe('c1');
    expect(callToShow([acknowledged], at('2026-12-01T07:15:00.000Z'), 600_000)?.id).toBe('c0');
    expect(callToShow([acknowledged], at('2026-12-01T07:15:00.001Z'), 600_000)).toBeNull();
    expect(callToShow([], 0, 600_000)).toBeNull();
  });

  it('keeps the console user off the bus and central monitoring', () => {
    expect(
      callEvent(call({ state: 'acknowledged', acknowledgedAt: '2026-12-01T07:05:00.000Z', acknowledgedBy: 'kythuat' })),
    ).not.toHaveProperty('acknowledgedBy');
  });

  it('is one alert at central monitoring: raised while waiting, cleared when acknowledged', () => {
    const entry = (data: unknown) => ({
      seq: 7,
      at: '2026-12-01T07:00:00.000Z',
      topic: 'technician-call' as const,
      data,
    });
    expect(roomEventOf(entry(callEvent(call({}))))).toMatchObject({
      topic: 'technician-call',
      severity: 'warning',
      alert: { key: 'technician-call:c1', state: 'raised' },
    });
    expect(
      roomEventOf(entry(callEvent(call({ state: 'acknowledged', acknowledgedAt: '2026-12-01T07:05:00.000Z' })))),
    ).toMatchObject({ severity: 'info', alert: { key: 'technician-call:c1', state: 'cleared' } });
  });
});
