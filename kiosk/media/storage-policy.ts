import { gigabytesLabel } from '../core/units.js';
import { fillLabel } from '../messages/label.js';
import { storageMessages } from '../messages/storage.js';

/**
 * The one storage policy for recordings: the readiness test, a session's start, the media worker's
 * disk watch and the console all decide with these functions, so a readiness run cannot pass while
 * the start it prepares is refused. Pure: no I/O, no clock.
 */

export interface DiskSpace {
  freeBytes: number;
  totalBytes: number;
}

export interface StoragePolicy {
  /** Warn (console, fleet) below this share of the disk free. */
  warnFreePercent: number;
  /** Below this share, or below `reserveBytes`, a session that would not fit is refused. */
  criticalFreePercent: number;
  /** Never plan to fill the disk beyond this many free bytes (database, logs, the OS). */
  reserveBytes: number;
  /** A running recording is finalized before free space falls below this (the last resort). */
  recorderFloorBytes: number;
}

export type StorageLevel = 'ok' | 'warn' | 'critical';

export interface PolicyConfig {
  evidence: { disk: { warnFreePercent: number; criticalFreePercent: number; reserveBytes: number } };
  media: { recording: { minFreeMegabytes: number } };
}

export function storagePolicyFrom(config: PolicyConfig): StoragePolicy {
  const { warnFreePercent, criticalFreePercent, reserveBytes } = config.evidence.disk;
  return {
    warnFreePercent,
    criticalFreePercent,
    reserveBytes,
    recorderFloorBytes: config.media.recording.minFreeMegabytes * 1024 * 1024,
  };
}

export const freePercent = (space: DiskSpace): number =>
  space.totalBytes === 0 ? 0 : (100 * space.freeBytes) / space.totalBytes;

/** Warn well before full: by share of the disk, and never later than the reserve. */
export function storageLevel(space: DiskSpace, policy: StoragePolicy): StorageLevel {
  const percent = freePercent(space);
  if (percent < policy.criticalFreePercent || space.freeBytes < policy.reserveBytes) return 'critical';
  if (percent < policy.warnFreePercent) return 'warn';
  return 'ok';
}

export interface Admission {
  /** `fits`: the recording fits and leaves the disk above the warning level; `tight`: it fits, but the disk ends low. */
  verdict: 'fits' | 'tight' | 'refused';
  ok: boolean;
  freeBytes: number;
  /** Free bytes the recording needs: its expected size plus what must stay free afterwards. */
  neededBytes: number;
}

/**
 * Whether a recording expected to write `expectedBytes` may start: afterwards the disk must still
 * keep the reserve and the critical share free.
 */
export function admission(space: DiskSpace, expectedBytes: number, policy: StoragePolicy): Admission {
  const mustStayFree = Math.max(policy.reserveBytes, Math.ceil((space.totalBytes * policy.criticalFreePercent) / 100));
  const expected = Math.max(0, Math.ceil(expectedBytes));
  const neededBytes = expected + mustStayFree;
  if (space.freeBytes < neededBytes) return { verdict: 'refused', ok: false, freeBytes: space.freeBytes, neededBytes };
  const after = { freeBytes: space.freeBytes - expected, totalBytes: space.totalBytes };
  return {
    verdict: storageLevel(after, policy) === 'ok' ? 'fits' : 'tight',
    ok: true,
    freeBytes: space.freeBytes,
    neededBytes,
  };
}

export type RecorderVerdict = 'record' | 'low' | 'stop';

/**
 * For a running recording, sampled often: stop (finalize) while the writes expected during the
 * look-ahead still fit above the floor, so a fast writer cannot fill the disk between two samples.
 */
export function recorderVerdict(
  freeBytes: number,
  bytesPerSecond: number,
  policy: Pick<StoragePolicy, 'recorderFloorBytes'>,
  lookaheadSeconds = 3,
): RecorderVerdict {
  const expectedFree = freeBytes - Math.max(0, bytesPerSecond) * lookaheadSeconds;
  if (expectedFree < policy.recorderFloorBytes) return 'stop';
  if (expectedFree < policy.recorderFloorBytes * 2) return 'low';
  return 'record';
}

/** What the officer and the technician read when a start is refused or allowed: "Vietnamese / English". */
export function admissionMessage(decision: Admission): string {
  const words = fillLabel(decision.ok ? storageMessages.admitted : storageMessages.refused, {
    needed: gigabytesLabel(decision.neededBytes),
    free: gigabytesLabel(decision.freeBytes),
  });
  return `${words.vi} / ${words.en}`;
}
