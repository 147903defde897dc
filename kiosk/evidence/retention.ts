import type { DeviceConfig } from '../../config/schema.js';
import type { RecordingState } from './catalog.js';
import type { DiskSpace } from '../media/storage-policy.js';

/**
 * Which recordings may be deleted. Pure. The one rule that must never bend: a recording without a
 * verified export is never selected, whatever the age or the disk says (they are legal records).
 */
export interface RetentionRecording {
  id: string;
  state: RecordingState;
  startedAt: string;
  endedAt: string | null;
  bytes: number;
  verifiedExport: boolean;
}

export interface RetentionInput {
  recordings: readonly RetentionRecording[];
  now: Date;
  disk: DiskSpace;
  retention: DeviceConfig['evidence']['retention'];
  /** Free share of the disk that early deletions try to get back to. */
  targetFreePercent: number;
}

export interface RetentionDecision {
  delete: { id: string; reason: 'expired' | 'disk-low'; bytes: number }[];
  /** Past keepDays but kept because no verified export exists: the console asks for an export. */
  awaitingExport: string[];
  freeBytesAfter: number;
}

const DAY_MS = 86_400_000;

export function retentionDecision(input: RetentionInput): RetentionDecision {
  const { now, disk, retention } = input;
  const ageDays = (r: RetentionRecording) => (now.getTime() - Date.parse(r.endedAt ?? r.startedAt)) / DAY_MS;
  const decision: RetentionDecision = { delete: [], awaitingExport: [], freeBytesAfter: disk.freeBytes };
  if (!retention.enabled) return decision;

  const finished = input.recordings.filter((r) => r.state !== 'recording' && Number.isFinite(ageDays(r)));
  const deletable = finished.filter((r) => r.verifiedExport).sort((a, b) => ageDays(b) - ageDays(a));
  decision.awaitingExport = finished
    .filter((r) => !r.verifiedExport && ageDays(r) >= retention.keepDays)
    .map((r) => r.id);

  const chosen = new Set<string>();
  const take = (r: RetentionRecording, reason: 'expired' | 'disk-low') => {
    chosen.add(r.id);
    decision.delete.push({ id: r.id, reason, bytes: r.bytes });
    decision.freeBytesAfter += r.bytes;
  };
  for (const r of deletable) if (ageDays(r) >= retention.keepDays) take(r, 'expired');
  const targetFree = (disk.totalBytes * input.targetFreePercent) / 100;
  for (const r of deletable) {
    if (decision.freeBytesAfter >= targetFree) break;
    if (!chosen.has(r.id) && ageDays(r) >= retention.minKeepDays) take(r, 'disk-low');
  }
  return decision;
}
