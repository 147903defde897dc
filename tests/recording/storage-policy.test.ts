import { describe, expect, it } from 'vitest';
import {
  admission,
  admissionMessage,
  recorderVerdict,
  storageLevel,
  storagePolicyFrom,
} from '../../kiosk/media/storage-policy.js';
import { FreeSpaceRate } from '../../kiosk/media/worker/disk-watch.js';

const GB = 1e9;
const MiB = 1024 * 1024;
const policy = storagePolicyFrom({
  evidence: { disk: { warnFreePercent: 20, criticalFreePercent: 10, reserveBytes: 2 * GB } },
  media: { recording: { minFreeMegabytes: 1024 } },
});

describe('storage policy: levels', () => {
  it.each([
    ['plenty free', 500 * GB, 1000 * GB, 'ok'],
    ['below the warn share', 150 * GB, 1000 * GB, 'warn'],
    ['below the critical share', 90 * GB, 1000 * GB, 'critical'],
    ['a small disk under the reserve', 1.5 * GB, 8 * GB, 'critical'],
  ])('%s', (_name, free, total, level) => {
    expect(storageLevel({ freeBytes: free, totalBytes: total }, policy)).toBe(level);
  });
});

describe('storage policy: admission (readiness and start decide alike)', () => {
  it.each([
    ['fits with the disk left above the warn level', 500 * GB, 1000 * GB, 50 * GB, 'fits', 150 * GB],
    ['fits, but leaves the disk below the warn level', 200 * GB, 1000 * GB, 50 * GB, 'tight', 150 * GB],
    ['refused when the critical share would be eaten', 120 * GB, 1000 * GB, 30 * GB, 'refused', 130 * GB],
    ['refused on a small disk by the reserve', 5 * GB, 16 * GB, 4 * GB, 'refused', 6 * GB],
  ])('%s', (_name, free, total, expected, verdict, needed) => {
    const decision = admission({ freeBytes: free, totalBytes: total }, expected, policy);
    expect(decision.verdict).toBe(verdict);
    expect(decision.ok).toBe(verdict !== 'refused');
    expect(decision.neededBytes).toBe(needed);
    expect(admissionMessage(decision)).toMatch(
      decision.ok ? /^Đủ dung lượng .* \/ Enough storage/ : /^Không đủ dung lượng .* \/ Not enough storage/,
    );
  });
});

describe('storage policy: a running recording', () => {
  it.each([
    ['plenty of room, slow writer', 10 * GB, 1 * MiB, 'record'],
    ['close to the floor', 1.5 * 1024 * MiB, 1 * MiB, 'low'],
    ['below the floor', 900 * MiB, 0, 'stop'],
    // 1.1 GiB free is above the floor, but a writer at 100 MiB/s reaches it before the next decision.
    ['a fast writer is stopped before it reaches the floor', 1.1 * 1024 * MiB, 100 * MiB, 'stop'],
  ])('%s', (_name, free, rate, verdict) => {
    expect(recorderVerdict(free, rate, policy)).toBe(verdict);
  });

  it('reads the rate of falling free space from samples; a burst counts at once', () => {
    const rate = new FreeSpaceRate();
    expect(rate.sample(1000 * MiB, 0)).toBe(0);
    expect(rate.sample(999 * MiB, 1000)).toBeCloseTo(1 * MiB);
    // 500 MiB gone in a quarter second: another writer filling the disk.
    expect(rate.sample(499 * MiB, 1250)).toBeCloseTo(2000 * MiB);
    // Space coming back is not a negative rate; the smoothed rate still remembers the burst.
    expect(rate.sample(800 * MiB, 1500)).toBeGreaterThan(300 * MiB);
  });
});
