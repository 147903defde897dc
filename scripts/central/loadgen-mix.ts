import type { Telemetry } from '../../kiosk/fleet/nats/telemetry.js';
import type { RoomEvent } from '../../kiosk/fleet/nats/events.js';
import type { RoomState } from '../../kiosk/fleet/nats/state.js';
import type { EventTopic } from '../../kiosk/fleet/nats/subjects.js';

/**
 * What a simulated room sends, and when: pure, driven by a seeded random source, so the mix is the
 * same from run to run. Sizes and rates follow a real room: a telemetry sample every 30 s, a full one
 * every 15 minutes and small deltas between; a few events a day; the state rewritten every 3 minutes.
 */

export interface TrafficMix {
  telemetryIntervalMs: number;
  /** ± this fraction of the interval, so thousands of rooms do not sample in step. */
  jitter: number;
  fullSampleEveryMs: number;
  stateHeartbeatMs: number;
  /** Events per room per day (session states, readiness runs, alerts). */
  eventsPerRoomPerDay: number;
}

export const realisticMix: TrafficMix = {
  telemetryIntervalMs: 30_000,
  jitter: 0.1,
  fullSampleEveryMs: 15 * 60_000,
  stateHeartbeatMs: 3 * 60_000,
  eventsPerRoomPerDay: 6,
};

/** A small deterministic generator (mulberry32): the same seed, the same room behaviour. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The delay to the next sample: the interval ± jitter. */
export function nextDelay(intervalMs: number, jitter: number, random: () => number): number {
  return Math.round(intervalMs * (1 + jitter * (2 * random() - 1)));
}

/** The delay to a room's next event at `perDay` events a day (exponential: events arrive at random). */
export function nextEventDelay(perDay: number, random: () => number): number {
  if (perDay <= 0) return Number.POSITIVE_INFINITY;
  return Math.round((-Math.log(1 - random()) * 86_400_000) / perDay);
}

/** A room's sample number `seq` at `at`: every section when full, else only what changed (the system figures, sometimes the media). */
export function telemetrySample(seq: number, at: Date, full: boolean, random: () => number): Telemetry {
  const system = {
    uptimeS: Math.round(seq * 30),
    load1: round(0.2 + random() * 0.8),
    cpuPct: round(3 + random() * 20),
    cpuTempC: round(45 + random() * 10),
    memUsedPct: round(30 + random() * 10),
    memTotalMB: 3906,
  };
  const sample: Telemetry = { v: 1, at: at.toISOString(), seq, full, system };
  if (full) {
    return {
      ...sample,
      version: '0.1.0',
      disks: [
        { mount: '/', sizeBytes: 64e9, usedBytes: Math.round(12e9 + random() * 1e9) },
        { mount: '/var/lib/diemcau', sizeBytes: 1e12, usedBytes: Math.round(3e11 + random() * 1e10) },
      ],
      network: [{ iface: 'eth0', up: true, speedMbps: 1000 }],
      devices: { camera: 'ok', microphone: 'ok', ptz: 'ok', ups: 'ok', display: 'ok', gpio: 'ok' },
      ups: { onBattery: false, chargePct: 100, runtimeS: 1800 },
      media: { stream: 'idle', fps: 0, bitrateKbps: 0, droppedFrames: 0 },
    };
  }
  return random() < 0.1 ? { ...sample, media: { stream: 'idle', fps: 0, bitrateKbps: 0, droppedFrames: 0 } } : sample;
}

const topics: readonly { topic: EventTopic; weight: number }[] = [
  { topic: 'session', weight: 6 },
  { topic: 'readiness', weight: 2 },
  { topic: 'disk', weight: 1 },
  { topic: 'power', weight: 1 },
];

/** A room's event number `seq`: mostly session state changes, then readiness runs and alerts, at their real sizes. */
export function roomEvent(seq: number, at: Date, random: () => number): RoomEvent {
  const total = topics.reduce((sum, t) => sum + t.weight, 0);
  let pick = random() * total;
  const topic =
    topics.find((t) => {
      pick -= t.weight;
      return pick < 0;
    })?.topic ?? 'session';
  const iso = at.toISOString();
  switch (topic) {
    case 'session':
      return {
        v: 1,
        seq,
        at: iso,
        topic,
        severity: 'info',
        data: {
          change: { sessionId: `s-${seq}`, from: 'scheduled', to: 'live', at: iso },
          session: { id: `s-${seq}`, kind: 'periodic', startsAt: iso, endsAt: iso, state: 'live' },
        },
      };
    case 'readiness':
      return {
        v: 1,
        seq,
        at: iso,
        topic,
        severity: 'info',
        data: {
          id: `r-${seq}`,
          kind: 'day-before',
          overall: 'pass',
          startedAt: iso,
          finishedAt: iso,
          results: [
            'camera',
            'microphone',
            'ptz',
            'display',
            'ups',
            'disk',
            'network',
            'clock',
            'chair-link',
            'test-recording',
          ].map((id) => ({ id, status: 'pass', detail: `${id} ok`, ms: Math.round(random() * 5000) })),
        },
      };
    case 'disk':
      return {
        v: 1,
        seq,
        at: iso,
        topic,
        severity: 'warning',
        alert: { key: 'disk', state: 'raised' },
        data: { level: 'low', freeBytes: 2e10 },
      };
    default:
      return {
        v: 1,
        seq,
        at: iso,
        topic: 'power',
        severity: 'warning',
        alert: { key: 'power', state: 'raised' },
        data: { onBattery: true, chargePct: 96, runtimeS: 1700 },
      };
  }
}

export function roomState(at: Date): RoomState {
  return {
    v: 1,
    at: at.toISOString(),
    version: '0.1.0',
    health: 'ok',
    live: null,
    nextSession: null,
    lastReadiness: null,
    openAlerts: 0,
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export interface LatencySummary {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

/** Percentiles of latencies in ms (nearest rank). Pure. */
export function summarise(ms: readonly number[]): LatencySummary {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
  return { n: sorted.length, p50: at(50), p99: at(99), max: sorted.at(-1) ?? Number.NaN };
}
