import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** What a segment file's own timestamps say about the time it holds. */
export interface SegmentTiming {
  /** The container's duration when it agrees with the packets, else the packets' span. */
  durationSeconds: number;
  /** Earliest packet timestamp and latest packet end (pts + duration), over all streams, in seconds. */
  firstPts: number;
  lastEnd: number;
  /**
   * Wall-clock time the muxer opened the file (Matroska DateUTC), when the container has one. It trails
   * the first frame's capture by the encoder's latency and the GOP splitmuxsink holds before opening.
   */
  createdAt?: string;
}

/**
 * A container duration further than this from the packets' span does not describe these packets (a
 * finished file cut afterwards keeps its header's full duration). Muxers and packets differ by a frame at most.
 */
const CONTAINER_TOLERANCE_SECONDS = 0.5;

/**
 * One pass over the packets, no decoding. Compact output names every field, so a section ffprobe adds
 * (TS packets carry a `side_data` child, printed as a blank line) cannot shift a value into the wrong place.
 */
const timingArgs = (path: string): string[] => [
  '-v',
  'error',
  '-show_entries',
  'packet=pts_time,duration_time:format=duration:format_tags=creation_time',
  '-of',
  'compact',
  path,
];

/** Running state while ffprobe's lines stream past: a few numbers, however many packets the file holds. */
export interface TimingScan {
  packets: number;
  firstPts: number;
  lastEnd: number;
  containerDuration?: number;
  createdAt?: string;
}

export const emptyScan = (): TimingScan => ({
  packets: 0,
  firstPts: Number.POSITIVE_INFINITY,
  lastEnd: Number.NEGATIVE_INFINITY,
});

/** Folds one line of `timingArgs` output (`packet|pts_time=5.006000|duration_time=0.033000`, `format|duration=N/A|tag:creation_time=…`). */
export function scanLine(scan: TimingScan, line: string): TimingScan {
  const [section, ...fields] = line.split('|');
  const value = (key: string) => fields.find((f) => f.startsWith(`${key}=`))?.slice(key.length + 1);
  if (section === 'packet') {
    const pts = seconds(value('pts_time'));
    if (pts === undefined) return scan;
    // Decode order is not presentation order (B-frames): the span is the extremes, not the first and last lines.
    const end = micro(pts + (seconds(value('duration_time')) ?? 0));
    return {
      ...scan,
      packets: scan.packets + 1,
      firstPts: Math.min(scan.firstPts, pts),
      lastEnd: Math.max(scan.lastEnd, end),
    };
  }
  if (section === 'format') {
    const duration = seconds(value('duration'));
    const created = Date.parse(value('tag:creation_time') ?? '');
    return {
      ...scan,
      ...(duration !== undefined ? { containerDuration: duration } : {}),
      ...(Number.isFinite(created) ? { createdAt: new Date(created).toISOString() } : {}),
    };
  }
  return scan;
}

/** The timing a finished scan shows; null when no packet had a timestamp (an empty or unreadable file). */
export function finishScan(scan: TimingScan): SegmentTiming | null {
  if (scan.packets === 0) return null;
  const span = Math.max(0, micro(scan.lastEnd - scan.firstPts));
  const container = scan.containerDuration;
  const durationSeconds =
    container !== undefined && Math.abs(container - span) <= CONTAINER_TOLERANCE_SECONDS ? container : span;
  return {
    durationSeconds,
    firstPts: scan.firstPts,
    lastEnd: scan.lastEnd,
    ...(scan.createdAt ? { createdAt: scan.createdAt } : {}),
  };
}

/** ffprobe prints microseconds: sums and differences keep no more digits than that. */
const micro = (value: number): number => Math.round(value * 1e6) / 1e6;

function seconds(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  return Number(text);
}

/**
 * Timing of a segment from its packets, so a file a crash cut short (Matroska then has no duration
 * in its header) is still measured. Streams ffprobe's output: a 10-minute segment is ~30k lines.
 * Null when no packet could be read, including when ffprobe could not run or ran out of time.
 */
export function probeSegmentTiming(path: string, timeoutMs = 30_000): Promise<SegmentTiming | null> {
  return new Promise((resolve) => {
    const child = spawn('ffprobe', timingArgs(path), { stdio: ['ignore', 'pipe', 'ignore'], timeout: timeoutMs });
    let scan = emptyScan();
    createInterface({ input: child.stdout }).on('line', (line) => {
      scan = scanLine(scan, line);
    });
    child.once('error', () => resolve(null));
    // A non-zero exit after packets is normal for a cut file (the torn tail); a kill means a partial scan.
    child.once('close', (_code, signal) => resolve(signal ? null : finishScan(scan)));
  });
}

export interface SegmentTimeRange {
  startedAt: string;
  endedAt: string;
  /** Which evidence placed the range: the file's creation time, a known start, or the end counted back. */
  basis: 'creation-time' | 'start' | 'end';
}

/**
 * Wall-clock range of a segment. The duration always comes from the file; the range is placed by, in order:
 * the file's own creation time (the muxer wrote it when it opened the file); else `start`, a start known from
 * outside the file (the end of the segment before it: splitmuxsink leaves no gap); else `end`, counted back
 * by the duration. A file with packets never gets an empty range.
 */
export function segmentTimeRange(
  timing: SegmentTiming,
  anchors: { start?: string | undefined; end: string },
): SegmentTimeRange {
  const ms = Math.max(1, Math.round(timing.durationSeconds * 1000));
  const from = (startMs: number, basis: SegmentTimeRange['basis']): SegmentTimeRange => ({
    startedAt: new Date(startMs).toISOString(),
    endedAt: new Date(startMs + ms).toISOString(),
    basis,
  });
  if (timing.createdAt) return from(Date.parse(timing.createdAt), 'creation-time');
  if (anchors.start) return from(Date.parse(anchors.start), 'start');
  return from(Date.parse(anchors.end) - ms, 'end');
}
