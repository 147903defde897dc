import { defaultConfigPath, loadConfigFile } from '../../config/load.js';
import { describe, expect, it } from 'vitest';
import { parseRoomOption } from '../../scripts/central/central-dir.js';
import { alertStep } from '../../scripts/central/monitoring/domain/alerts.js';
import {
  filterRooms,
  readinessStatus,
  roomView,
  sortRooms,
  STALE_AFTER_MS,
  type RoomInputs,
} from '../../scripts/central/monitoring/domain/room-view.js';
import {
  addToBucket,
  bucketPoint,
  bucketStart,
  emptyBucket,
  figuresOf,
  mergeTelemetry,
} from '../../scripts/central/monitoring/domain/telemetry-figures.js';
import type { RoomState } from '../../kiosk/fleet/nats/state.js';
import type { Telemetry } from '../../kiosk/fleet/nats/telemetry.js';

describe('alert bookkeeping (one open alert per key)', () => {
  const raised = (seq: number) => ({ seq, alert: { key: 'power', state: 'raised' as const } });
  const cleared = (seq: number) => ({ seq, alert: { key: 'power', state: 'cleared' as const } });
  it.each([
    ['no alert field', undefined, { seq: 5 }, 'none'],
    ['first raise opens', undefined, raised(1), 'open'],
    ['raised again while open stays one alert', { raisedSeq: 1, clearedSeq: null }, raised(2), 'refresh'],
    ['clear closes the open one', { raisedSeq: 1, clearedSeq: null }, cleared(3), 'close'],
    ['clear without an open alert changes nothing', { raisedSeq: 1, clearedSeq: 3 }, cleared(4), 'none'],
    ['clear with no history changes nothing', undefined, cleared(4), 'none'],
    ['raise after a clear opens a new one', { raisedSeq: 1, clearedSeq: 3 }, raised(4), 'open'],
    ['an older raise replayed after the clear is ignored', { raisedSeq: 1, clearedSeq: 3 }, raised(2), 'stale'],
    ['an older clear replayed while reopened is ignored', { raisedSeq: 4, clearedSeq: null }, cleared(3), 'stale'],
  ] as const)('%s', (_name, latest, event, expected) => {
    expect(alertStep(latest, event).kind).toBe(expected);
  });
});

describe('telemetry merging and downsampling', () => {
  const full: Telemetry = {
    v: 1,
    at: '2026-12-01T10:02:00+07:00',
    seq: 1,
    full: true,
    version: '0.1.0',
    system: { uptimeS: 10, load1: 0.5, cpuPct: 20, cpuTempC: 50, memUsedPct: 40, memTotalMB: 4096 },
    disks: [
      { mount: '/', sizeBytes: 1000, usedBytes: 250 },
      { mount: '/var/lib/diemcau', sizeBytes: 2000, usedBytes: 1800 },
    ],
  };
  it('lays a partial sample over the previous picture, and starts afresh on a full sample or a restart', () => {
    const first = mergeTelemetry(undefined, full);
    const partial = mergeTelemetry(first, {
      v: 1,
      at: '2026-12-01T10:03:00+07:00',
      seq: 2,
      full: false,
      system: { ...full.system!, cpuPct: 70 },
    });
    expect(partial.picture.disks).toEqual(full.disks);
    expect(partial.picture.system?.cpuPct).toBe(70);
    const restarted = mergeTelemetry(partial, {
      v: 1,
      at: '2026-12-01T10:04:00+07:00',
      seq: 1,
      full: false,
      system: full.system,
    });
    expect(restarted.picture.disks).toBeUndefined();
    const fresh = mergeTelemetry(partial, { v: 1, at: '2026-12-01T10:05:00+07:00', seq: 3, full: true });
    expect(fresh.picture.system).toBeUndefined();
  });
  it('takes the fullest disk, and null for what is unknown', () => {
    expect(figuresOf(mergeTelemetry(undefined, full).picture)).toEqual({
      cpuPct: 20,
      cpuTempC: 50,
      memUsedPct: 40,
      diskUsedPct: 90,
    });
    expect(figuresOf({ at: full.at })).toEqual({ cpuPct: null, cpuTempC: null, memUsedPct: null, diskUsedPct: null });
  });
  it('puts samples in 5-minute buckets on UTC boundaries, whatever the offset', () => {
    expect(new Date(bucketStart('2026-12-01T10:04:59.999+07:00')).toISOString()).toBe('2026-12-01T03:00:00.000Z');
    expect(new Date(bucketStart('2026-12-01T10:05:00+07:00')).toISOString()).toBe('2026-12-01T03:05:00.000Z');
  });
  it('averages CPU and keeps the maxima of the others', () => {
    const figures = [
      { cpuPct: 10, cpuTempC: 40, memUsedPct: 30, diskUsedPct: 50 },
      { cpuPct: 30, cpuTempC: 70, memUsedPct: 20, diskUsedPct: 51 },
      { cpuPct: null, cpuTempC: null, memUsedPct: null, diskUsedPct: null },
    ];
    const bucket = figures.reduce(addToBucket, emptyBucket());
    expect(bucket.samples).toBe(3);
    expect(bucketPoint(0, bucket)).toEqual({
      at: '1970-01-01T00:00:00.000Z',
      cpuPct: 20,
      cpuMaxPct: 30,
      cpuTempC: 70,
      memUsedPct: 30,
      diskUsedPct: 51,
    });
  });
});

describe('room view model', () => {
  const now = Date.parse('2026-12-01T08:00:00Z');
  const state = (over: Partial<RoomState> = {}): RoomState => ({
    v: 1,
    at: new Date(now - 5000).toISOString(),
    version: '0.1.0',
    health: 'ok',
    live: null,
    nextSession: {
      sessionId: 's-1',
      startsAt: new Date(now + 3 * 3_600_000).toISOString(),
      readiness: { dayBefore: 'pass', twoHours: null },
    },
    lastReadiness: null,
    openAlerts: 0,
    ...over,
  });
  const input = (over: Partial<RoomInputs> = {}): RoomInputs => ({
    id: 'phong-a',
    province: 'Hà Nội',
    district: 'Ba Đình',
    state: state(),
    lastSeenAt: new Date(now - 5000).toISOString(),
    openAlerts: [],
    figures: null,
    ...over,
  });

  it.each([
    ['run and passed', 'pass', 0, 'pass'],
    ['run with warnings', 'warn', 0, 'warn'],
    ['run and failed', 'fail', 0, 'fail'],
    ['not run, inside its window', null, 3_600_000, 'due'],
    ['not run, before its window', null, 3 * 3_600_000, 'not-yet'],
    ['not run, the session already started', null, -60_000, 'due'],
  ] as const)('readiness: %s', (_name, outcome, startsIn, expected) => {
    expect(readinessStatus(outcome, new Date(now + startsIn).toISOString(), 2 * 3_600_000, now)).toBe(expected);
  });

  it('a healthy room reporting now needs no attention', () => {
    const view = roomView(input(), now);
    expect(view).toMatchObject({
      stale: false,
      health: 'ok',
      lastSeenAgeS: 5,
      readiness: { dayBefore: 'pass', twoHours: 'not-yet' },
      attention: [],
    });
  });
  it('waits longer than an idle room’s full-sample interval before calling it lost (a quiet room sends nothing between)', () => {
    const { fleet } = loadConfigFile(defaultConfigPath());
    expect(STALE_AFTER_MS).toBeGreaterThan(fleet.telemetry.fullEveryMinutes * 60_000);
  });

  it('marks a silent room stale, drops its live flag, and says why it needs attention', () => {
    const view = roomView(
      input({
        lastSeenAt: new Date(now - STALE_AFTER_MS - 1000).toISOString(),
        state: state({ live: { sessionId: 's-1', since: new Date(now - 600_000).toISOString() } }),
      }),
      now,
    );
    expect(view.stale).toBe(true);
    expect(view.live).toBeNull();
    expect(view.attention).toEqual(['stale']);
  });
  it('lists every reason', () => {
    const view = roomView(
      input({
        state: state({
          health: 'degraded',
          nextSession: {
            sessionId: 's-2',
            startsAt: new Date(now + 3_600_000).toISOString(),
            readiness: { dayBefore: 'fail', twoHours: null },
          },
        }),
        openAlerts: [{ key: 'power', topic: 'power', severity: 'critical', raisedAt: new Date(now).toISOString() }],
      }),
      now,
    );
    expect(view.attention).toEqual(['health', 'alerts', 'readiness-failed', 'readiness-due']);
  });
  it('a registered room never heard from', () => {
    const view = roomView(input({ state: undefined, lastSeenAt: null }), now);
    expect(view).toMatchObject({
      health: 'unknown',
      stale: true,
      lastSeenAgeS: null,
      attention: ['never-seen'],
      readiness: { dayBefore: 'unknown', twoHours: 'unknown' },
    });
  });
  it('filters by province, district and attention, and sorts attention first', () => {
    const rooms = [
      roomView(input({ id: 'phong-b', district: 'Hoàn Kiếm' }), now),
      roomView(input({ id: 'phong-c', province: 'Huế', district: 'Phú Xuân', lastSeenAt: null }), now),
      roomView(input({ id: 'phong-a' }), now),
    ];
    expect(sortRooms(rooms).map((r) => r.id)).toEqual(['phong-c', 'phong-a', 'phong-b']);
    expect(filterRooms(rooms, { province: 'Hà Nội' }).map((r) => r.id)).toEqual(['phong-b', 'phong-a']);
    expect(filterRooms(rooms, { province: 'Hà Nội', district: 'Ba Đình' }).map((r) => r.id)).toEqual(['phong-a']);
    expect(filterRooms(rooms, { attention: true }).map((r) => r.id)).toEqual(['phong-c']);
  });
});

describe('init --room ID[:PROVINCE[:DISTRICT]]', () => {
  it.each([
    ['sim-room', { id: 'sim-room' }],
    ['phong-a:Hà Nội', { id: 'phong-a', province: 'Hà Nội' }],
    ['phong-a: Hà Nội : Ba Đình ', { id: 'phong-a', province: 'Hà Nội', district: 'Ba Đình' }],
    ['phong-a::Ba Đình', { id: 'phong-a', district: 'Ba Đình' }],
  ])('%s', (value, expected) => expect(parseRoomOption(value)).toEqual(expected));
  it('refuses more parts', () => expect(() => parseRoomOption('a:b:c:d')).toThrow(/ID\[:PROVINCE/));
});
