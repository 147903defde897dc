import type { Telemetry } from '../../../../kiosk/fleet/nats/telemetry.js';

/**
 * A room's telemetry as the dashboard charts it. Samples carry only the sections that changed since
 * the last full one, so the room's picture is the previous one with the new sections laid over it.
 */
export type TelemetryPicture = Omit<Telemetry, 'v' | 'seq' | 'full'>;

/** The previous picture with the sample's sections over it; a full sample (or a restart: seq went down) starts afresh. Pure. */
export function mergeTelemetry(
  previous: { picture: TelemetryPicture; seq: number } | undefined,
  sample: Telemetry,
): { picture: TelemetryPicture; seq: number } {
  const { v: _v, seq, full, ...sections } = sample;
  const fresh = full || previous === undefined || seq <= previous.seq;
  return { picture: fresh ? sections : { ...previous.picture, ...sections }, seq };
}

/** The figures kept per sample. */
export interface TelemetryFigures {
  cpuPct: number | null;
  cpuTempC: number | null;
  memUsedPct: number | null;
  /** The fullest disk's used share. */
  diskUsedPct: number | null;
}

export function figuresOf(picture: TelemetryPicture): TelemetryFigures {
  const disks = (picture.disks ?? []).filter((d) => d.sizeBytes > 0);
  return {
    cpuPct: picture.system?.cpuPct ?? null,
    cpuTempC: picture.system?.cpuTempC ?? null,
    memUsedPct: picture.system?.memUsedPct ?? null,
    diskUsedPct: disks.length ? round(Math.max(...disks.map((d) => (100 * d.usedBytes) / d.sizeBytes))) : null,
  };
}

/** Downsampling: one row per room per bucket (5 minutes), kept 30 days. */
export const BUCKET_MS = 5 * 60_000;
export const TELEMETRY_KEEP_MS = 30 * 24 * 3_600_000;

export function bucketStart(at: Date | string | number): number {
  const ms = new Date(at).getTime();
  return ms - (((ms % BUCKET_MS) + BUCKET_MS) % BUCKET_MS);
}

/** One bucket: sums and maxima, so that a sample is added to it without reading its others. */
export interface Bucket {
  samples: number;
  cpuSum: number;
  cpuN: number;
  cpuMax: number | null;
  tempMax: number | null;
  memMax: number | null;
  diskMax: number | null;
}

export const emptyBucket = (): Bucket => ({
  samples: 0,
  cpuSum: 0,
  cpuN: 0,
  cpuMax: null,
  tempMax: null,
  memMax: null,
  diskMax: null,
});

/** Pure; the store does the same in one UPSERT (sums add, maxima take the larger), see monitoring-db.ts. */
export function addToBucket(bucket: Bucket, figures: TelemetryFigures): Bucket {
  return {
    samples: bucket.samples + 1,
    cpuSum: bucket.cpuSum + (figures.cpuPct ?? 0),
    cpuN: bucket.cpuN + (figures.cpuPct === null ? 0 : 1),
    cpuMax: larger(bucket.cpuMax, figures.cpuPct),
    tempMax: larger(bucket.tempMax, figures.cpuTempC),
    memMax: larger(bucket.memMax, figures.memUsedPct),
    diskMax: larger(bucket.diskMax, figures.diskUsedPct),
  };
}

/** A chart point: the bucket's mean CPU, and the maxima of the others (a hot minute must not be averaged away). */
export function bucketPoint(start: number, bucket: Bucket) {
  return {
    at: new Date(start).toISOString(),
    cpuPct: bucket.cpuN ? round(bucket.cpuSum / bucket.cpuN) : null,
    cpuMaxPct: bucket.cpuMax,
    cpuTempC: bucket.tempMax,
    memUsedPct: bucket.memMax,
    diskUsedPct: bucket.diskMax,
  };
}
export type TelemetryPoint = ReturnType<typeof bucketPoint>;

function larger(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

const round = (n: number) => Math.round(n * 10) / 10;
