import { describe, expect, it } from 'vitest';
import { buildRoomEvent } from '../../kiosk/fleet/nats/events.js';
import { buildRoomState } from '../../kiosk/fleet/nats/state.js';
import { buildTelemetry } from '../../kiosk/fleet/nats/telemetry.js';
import {
  nextDelay,
  nextEventDelay,
  roomEvent,
  roomState,
  seededRandom,
  summarise,
  telemetrySample,
} from '../../scripts/central/loadgen-mix.js';

/** The load generator's traffic (scripts/central/loadgen-mix.ts): valid under the schema, at a real room's sizes and rates. */
describe('load generator mix', () => {
  const at = new Date('2026-12-01T08:00:00+07:00');

  it('telemetry: a full sample carries every section, a delta only the system figures; both pass the schema and stay small', () => {
    const random = seededRandom(1);
    const full = buildTelemetry(telemetrySample(1, at, true, random));
    const delta = buildTelemetry(telemetrySample(2, at, false, seededRandom(3)));
    expect(JSON.parse(new TextDecoder().decode(full))).toHaveProperty('disks');
    expect(JSON.parse(new TextDecoder().decode(delta))).not.toHaveProperty('disks');
    expect(full.byteLength).toBeGreaterThan(delta.byteLength * 2);
    expect(full.byteLength).toBeLessThan(1024);
    expect(delta.byteLength).toBeLessThan(300);
  });

  it('every event topic of the mix and the state pass the schema', () => {
    const random = seededRandom(2);
    const topics = new Set<string>();
    for (let seq = 1; seq <= 200; seq++) {
      const event = roomEvent(seq, at, random);
      topics.add(event.topic);
      expect(buildRoomEvent(event).byteLength).toBeLessThan(4096);
    }
    expect([...topics].sort()).toEqual(['disk', 'power', 'readiness', 'session']);
    expect(() => buildRoomState(roomState(at))).not.toThrow();
  });

  it('the same seed gives the same room; delays stay within the jitter; events average the daily rate', () => {
    expect(Array.from({ length: 5 }, seededRandom(9))).toEqual(Array.from({ length: 5 }, seededRandom(9)));
    const random = seededRandom(4);
    const delays = Array.from({ length: 1000 }, () => nextDelay(30_000, 0.1, random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(27_000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(33_000);
    const gaps = Array.from({ length: 20_000 }, () => nextEventDelay(6, random));
    const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
    expect(mean / (86_400_000 / 6)).toBeGreaterThan(0.95);
    expect(mean / (86_400_000 / 6)).toBeLessThan(1.05);
    expect(nextEventDelay(0, random)).toBe(Number.POSITIVE_INFINITY);
  });

  it.each<[number[], { n: number; p50: number; p99: number; max: number }]>([
    [[5], { n: 1, p50: 5, p99: 5, max: 5 }],
    [Array.from({ length: 100 }, (_, i) => 100 - i), { n: 100, p50: 50, p99: 99, max: 100 }],
    [Array.from({ length: 1000 }, (_, i) => i + 1), { n: 1000, p50: 500, p99: 990, max: 1000 }],
  ])('percentiles by nearest rank', (values, expected) => {
    expect(summarise(values)).toEqual(expected);
  });

  it('no latency: NaN, not zero', () => {
    expect(summarise([]).p99).toBeNaN();
  });
});
