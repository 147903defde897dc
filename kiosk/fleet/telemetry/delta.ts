import type { Telemetry } from '../nats/telemetry.js';

/** Everything a sample can carry, every section present: what the sampler reads. */
export type TelemetryReading = Required<
  Pick<Telemetry, 'version' | 'system' | 'disks' | 'network' | 'devices' | 'ups' | 'media'>
>;
export type SectionName = keyof TelemetryReading;
export const sectionNames: readonly SectionName[] = [
  'version',
  'system',
  'disks',
  'network',
  'devices',
  'ups',
  'media',
];

/**
 * How far a figure may move from the value last sent before its section is sent again. States
 * (device status, UPS on battery, link up, stream state) have no band: any change is sent.
 */
export const deadBands = {
  cpuPct: 15,
  load1: 1,
  cpuTempC: 3,
  memUsedPct: 5,
  /** Points of the disk's size. */
  diskUsedPct: 1,
  upsChargePct: 5,
  /** Seconds, or this share of the last value sent when larger. */
  upsRuntimeS: 60,
  upsRuntimeShare: 0.1,
  fps: 5,
  /** Share of the last value sent. */
  bitrateShare: 0.2,
  droppedFrames: 100,
} as const;

/** What was last sent of each section, when the last full sample went, and the reading before this one (sent or not). */
export interface TelemetryBaseline {
  sent: TelemetryReading;
  fullAt: number;
  previous?: TelemetryReading;
}

export interface TelemetryDecision {
  /** undefined: nothing moved, send nothing. */
  sample?: { full: boolean; sections: Partial<TelemetryReading> };
  baseline: TelemetryBaseline | undefined;
}

/**
 * Pure: what to send for this reading. Everything when there is no baseline (first sample, after a
 * (re)connection: `forceFull`) or the last full sample is `fullEveryMs` old; otherwise only the
 * sections that moved past their dead-band, compared with what was last *sent* (so a slow drift is
 * sent once it adds up); nothing when none did. CPU and load, which jump from one interval to the
 * next, must stay past their band for two samples in a row: a lone spike waits for a full sample.
 */
export function decideTelemetry(input: {
  reading: TelemetryReading;
  baseline: TelemetryBaseline | undefined;
  now: number;
  fullEveryMs: number;
  forceFull?: boolean;
}): TelemetryDecision {
  const { reading, baseline, now } = input;
  if (!baseline || input.forceFull || now - baseline.fullAt >= input.fullEveryMs) {
    return { sample: { full: true, sections: reading }, baseline: { sent: reading, fullAt: now, previous: reading } };
  }
  const sections: Partial<TelemetryReading> = {};
  const sent: TelemetryReading = { ...baseline.sent };
  for (const name of sectionNames) {
    if (name === 'version' || !sectionMoved(name, baseline.sent, reading, baseline.previous ?? baseline.sent)) continue;
    (sections as Record<SectionName, unknown>)[name] = reading[name];
    (sent as Record<SectionName, unknown>)[name] = reading[name];
  }
  if (Object.keys(sections).length === 0) return { baseline: { ...baseline, previous: reading } };
  return { sample: { full: false, sections }, baseline: { sent, fullAt: baseline.fullAt, previous: reading } };
}

function sectionMoved(
  name: SectionName,
  before: TelemetryReading,
  now: TelemetryReading,
  previous: TelemetryReading,
): boolean {
  switch (name) {
    case 'version':
      return before.version !== now.version;
    case 'system': {
      const a = before.system;
      const b = now.system;
      const busy = (r: TelemetryReading) =>
        beyond(a.cpuPct, r.system.cpuPct, deadBands.cpuPct) || beyond(a.load1, r.system.load1, deadBands.load1);
      return (
        (busy(now) && busy(previous)) ||
        nullableBeyond(a.cpuTempC, b.cpuTempC, deadBands.cpuTempC) ||
        beyond(a.memUsedPct, b.memUsedPct, deadBands.memUsedPct) ||
        a.memTotalMB !== b.memTotalMB
      );
    }
    case 'disks':
      return (
        before.disks.length !== now.disks.length ||
        now.disks.some((disk, i) => {
          const old = before.disks[i]!;
          return (
            old.mount !== disk.mount ||
            old.sizeBytes !== disk.sizeBytes ||
            beyond(usedPct(old), usedPct(disk), deadBands.diskUsedPct)
          );
        })
      );
    case 'network':
      return (
        before.network.length !== now.network.length ||
        now.network.some((link, i) => {
          const old = before.network[i]!;
          return old.iface !== link.iface || old.up !== link.up || old.speedMbps !== link.speedMbps;
        })
      );
    case 'devices': {
      const ids = Object.keys(now.devices);
      return (
        ids.length !== Object.keys(before.devices).length || ids.some((id) => before.devices[id] !== now.devices[id])
      );
    }
    case 'ups': {
      const a = before.ups;
      const b = now.ups;
      if (!a || !b) return a !== b;
      const runtimeBand = Math.max(deadBands.upsRuntimeS, (a.runtimeS ?? 0) * deadBands.upsRuntimeShare);
      return (
        a.onBattery !== b.onBattery ||
        nullableBeyond(a.chargePct, b.chargePct, deadBands.upsChargePct) ||
        nullableBeyond(a.runtimeS, b.runtimeS, runtimeBand)
      );
    }
    case 'media': {
      const a = before.media;
      const b = now.media;
      return (
        a.stream !== b.stream ||
        beyond(a.fps, b.fps, deadBands.fps) ||
        beyond(a.bitrateKbps, b.bitrateKbps, a.bitrateKbps * deadBands.bitrateShare) ||
        beyond(a.droppedFrames, b.droppedFrames, deadBands.droppedFrames)
      );
    }
  }
}

/** A move of exactly the band counts ("±15 points" is where it starts to matter); a band of 0 means any change. */
function beyond(a: number, b: number, band: number): boolean {
  return band > 0 ? Math.abs(b - a) >= band : a !== b;
}

function nullableBeyond(a: number | null, b: number | null, band: number): boolean {
  if (a === null || b === null) return a !== b;
  return beyond(a, b, band);
}

function usedPct(disk: { sizeBytes: number; usedBytes: number }): number {
  return disk.sizeBytes > 0 ? (disk.usedBytes / disk.sizeBytes) * 100 : 0;
}
