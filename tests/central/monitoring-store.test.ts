import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addToBucket,
  bucketPoint,
  emptyBucket,
  figuresOf,
  type TelemetryPicture,
} from '../../scripts/central/monitoring/domain/telemetry-figures.js';
import { addOperator, checkOperator, ensureFirstOperator } from '../../scripts/central/monitoring/http/operators.js';
import { MonitoringStore } from '../../scripts/central/monitoring/store/monitoring-db.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { event, state } from './monitoring-support.js';

/** The store on a real SQLite file: de-duplication, alert bookkeeping, buckets, states, sessions. */
describe('monitoring store', () => {
  let dir: string;
  let store: MonitoringStore;
  beforeEach(async () => {
    dir = await makeTempDir('monitoring-store');
    store = await MonitoringStore.open(join(dir, 'monitoring.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    await removeTempDir(dir);
  });

  const raised = (seq: number, key = 'disk') =>
    event(seq, { topic: 'disk', severity: 'warning', alert: { key, state: 'raised' } });
  const cleared = (seq: number, key = 'disk') =>
    event(seq, { topic: 'disk', severity: 'info', alert: { key, state: 'cleared' } });

  it('stores an event once per (room, seq); the same seq of another room is another event', async () => {
    expect(await store.recordEvent('phong-a', event(1), 10, 1000)).toBe('stored');
    expect(await store.recordEvent('phong-a', event(1), 11, 1001)).toBe('duplicate');
    expect(await store.recordEvent('phong-b', event(1), 12, 1002)).toBe('stored');
    expect(await store.eventKeys()).toEqual([
      { room: 'phong-a', seq: 1 },
      { room: 'phong-b', seq: 1 },
    ]);
  });

  it('keeps one open alert per key, closes it, and a duplicate raise does not reopen it', async () => {
    await store.recordEvent('phong-a', raised(1), 1, 1);
    await store.recordEvent('phong-a', raised(2), 2, 2);
    await store.recordEvent('phong-a', raised(3, 'power'), 3, 3);
    let records = await store.allRoomRecords();
    expect(records.get('phong-a')!.openAlerts.map((a) => a.key)).toEqual(['disk', 'power']);
    await store.recordEvent('phong-a', cleared(4), 4, 4);
    await store.recordEvent('phong-a', raised(2), 5, 5); // replayed: a duplicate, changes nothing
    records = await store.allRoomRecords();
    expect(records.get('phong-a')!.openAlerts.map((a) => a.key)).toEqual(['power']);
    expect((await store.alerts('phong-a')).map((a) => [a.key, a.clearedAt !== null])).toEqual([
      ['power', false],
      ['disk', true],
    ]);
    // Raised again after the clear: a new alert (listed in the order they were opened).
    await store.recordEvent('phong-a', raised(6), 6, 6);
    expect((await store.allRoomRecords()).get('phong-a')!.openAlerts.map((a) => a.key)).toEqual(['power', 'disk']);
  });

  it('adds telemetry into 5-minute buckets exactly as the pure function does', async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 3, minute, 0)).toISOString();
    const pictures: TelemetryPicture[] = [
      {
        at: at(0),
        system: { uptimeS: 1, load1: 0, cpuPct: 10, cpuTempC: 40, memUsedPct: 30, memTotalMB: 1 },
        disks: [{ mount: '/', sizeBytes: 100, usedBytes: 50 }],
      },
      { at: at(2), system: { uptimeS: 2, load1: 0, cpuPct: 30, cpuTempC: null, memUsedPct: 35, memTotalMB: 1 } },
      { at: at(4), disks: [{ mount: '/', sizeBytes: 100, usedBytes: 52 }] },
      { at: at(5), system: { uptimeS: 3, load1: 0, cpuPct: 90, cpuTempC: 70, memUsedPct: 40, memTotalMB: 1 } },
    ];
    for (const [i, picture] of pictures.entries()) await store.addTelemetry('phong-a', picture, i + 1, Date.now());
    const expected = [pictures.slice(0, 3), pictures.slice(3)].map((group) =>
      bucketPoint(Date.parse(group[0]!.at), group.map(figuresOf).reduce(addToBucket, emptyBucket())),
    );
    expect(await store.telemetry('phong-a', 0)).toEqual(expected);
    expect(expected[0]).toMatchObject({ cpuPct: 20, cpuMaxPct: 30, cpuTempC: 40, diskUsedPct: 52 });
    expect(await store.pruneTelemetry(Date.parse(at(5)))).toBe(1);
    expect(await store.telemetry('phong-a', 0)).toHaveLength(1);
  });

  it('never lets an older state revision replace a newer one; last seen only moves forward', async () => {
    await store.putState('phong-a', state({ health: 'failed' }), 5, 5000);
    await store.putState('phong-a', state({ health: 'ok' }), 4, 4000);
    const records = (await store.allRoomRecords()).get('phong-a')!;
    expect(records.state?.health).toBe('failed');
    expect(records.lastSeenAt).toBe(new Date(5000).toISOString());
  });

  it('generates a first operator once, whose password checks and is stored only as a hash', async () => {
    const first = await ensureFirstOperator(store);
    expect(first?.username).toBe('giamsat');
    expect(first!.password.length).toBeGreaterThanOrEqual(16);
    expect(await store.passwordHash('giamsat')).toMatch(/^scrypt\$/);
    expect(await checkOperator(store, 'giamsat', first!.password)).toBe(true);
    expect(await checkOperator(store, 'giamsat', 'sai mật khẩu rồi')).toBe(false);
    expect(await checkOperator(store, 'khong-co', first!.password)).toBe(false);
    expect(await ensureFirstOperator(store)).toBeUndefined();
    await expect(addOperator(store, 'Có Dấu', 'mật khẩu đủ dài')).rejects.toThrow(/lower-case/);
    await expect(addOperator(store, 'ngan', 'ngắn')).rejects.toThrow(/at least 10/);
  });

  it('keeps only a hash of session tokens, and a new password ends the sessions', async () => {
    await store.addOperator('giamsat', 'scrypt$hash');
    await store.createSession('token-1', 'giamsat', Date.now() + 60_000);
    expect(await store.sessionUser('token-1', Date.now())).toBe('giamsat');
    expect(await store.sessionUser('token-1', Date.now() + 120_000)).toBeUndefined();
    await store.addOperator('giamsat', 'scrypt$other');
    expect(await store.sessionUser('token-1', Date.now())).toBeUndefined();
  });
});
