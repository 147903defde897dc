import { describe, expect, it } from 'vitest';
import { retentionDecision, type RetentionRecording } from '../../kiosk/evidence/retention.js';

const GB = 1e9;
const retention = { enabled: true, keepDays: 180, minKeepDays: 30 };
const now = new Date('2026-06-01T00:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
const rec = (
  id: string,
  ageDays: number,
  verifiedExport: boolean,
  bytes = 10 * GB,
  state: RetentionRecording['state'] = 'closed',
): RetentionRecording => ({
  id,
  state,
  startedAt: daysAgo(ageDays + 1),
  endedAt: state === 'recording' ? null : daysAgo(ageDays),
  bytes,
  verifiedExport,
});

describe('retentionDecision', () => {
  it.each<[string, RetentionRecording[], { free: number; total: number }, string[], string[]]>([
    ['keeps everything young', [rec('a', 10, true), rec('b', 20, false)], { free: 500 * GB, total: 1000 * GB }, [], []],
    [
      'deletes an exported recording past keepDays',
      [rec('a', 200, true), rec('b', 10, true)],
      { free: 500 * GB, total: 1000 * GB },
      ['a:expired'],
      [],
    ],
    [
      'never deletes an unexported recording past keepDays, and asks for its export',
      [rec('a', 400, false), rec('b', 200, true)],
      { free: 500 * GB, total: 1000 * GB },
      ['b:expired'],
      ['a'],
    ],
    [
      'disk low: deletes exported ones older than minKeepDays, oldest first, until the warn level',
      [rec('young', 40, true), rec('old', 90, true), rec('older', 120, true)],
      { free: 185 * GB, total: 1000 * GB },
      ['older:disk-low', 'old:disk-low'],
      [],
    ],
    [
      'disk low: never an unexported one, never one younger than minKeepDays',
      [rec('unexported', 170, false), rec('fresh', 5, true)],
      { free: 10 * GB, total: 1000 * GB },
      [],
      [],
    ],
    [
      'disk full of unexported recordings: deletes nothing',
      [rec('a', 300, false), rec('b', 250, false), rec('c', 200, false)],
      { free: 1 * GB, total: 1000 * GB },
      [],
      ['a', 'b', 'c'],
    ],
    [
      'never a recording in progress',
      [rec('live', 400, true, GB, 'recording')],
      { free: 1 * GB, total: 1000 * GB },
      [],
      [],
    ],
  ])('%s', (_name, recordings, space, expectedDelete, expectedAwaiting) => {
    const decision = retentionDecision({
      recordings,
      now,
      disk: { freeBytes: space.free, totalBytes: space.total },
      retention,
      targetFreePercent: 20,
    });
    expect(decision.delete.map((d) => `${d.id}:${d.reason}`)).toEqual(expectedDelete);
    expect(decision.awaitingExport).toEqual(expectedAwaiting);
    const unexported = new Set(recordings.filter((r) => !r.verifiedExport).map((r) => r.id));
    expect(decision.delete.filter((d) => unexported.has(d.id))).toEqual([]);
  });

  it('deletes nothing when disabled', () => {
    expect(
      retentionDecision({
        recordings: [rec('a', 999, true)],
        now,
        disk: { freeBytes: 0, totalBytes: GB },
        retention: { ...retention, enabled: false },
        targetFreePercent: 20,
      }).delete,
    ).toEqual([]);
  });

  it('never selects an unexported recording, over many random inputs', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 500; round++) {
      const recordings = Array.from({ length: 1 + Math.floor(random() * 8) }, (_, i) =>
        rec(`r${i}`, Math.floor(random() * 500), random() < 0.5, Math.floor(random() * 50 * GB)),
      );
      const decision = retentionDecision({
        recordings,
        now,
        disk: { freeBytes: Math.floor(random() * 100 * GB), totalBytes: 1000 * GB },
        retention,
        targetFreePercent: 20,
      });
      for (const d of decision.delete) expect(recordings.find((r) => r.id === d.id)?.verifiedExport).toBe(true);
    }
  });
});
