import type { DeviceStatus } from '../../../hal/core/driver.js';
import type { UpsReading } from '../../../hal/ups/types.js';
import type { EncodeFigures } from '../../media/encode-meter.js';
import type { TelemetryReading } from './delta.js';

/** Pure pieces of a reading: what the sampler's raw figures become in the schema's terms (nats/telemetry.ts). */

export type StreamState = 'off' | 'connecting' | 'live' | 'retrying';

export function devicesSection(devices: readonly { id: string; status: DeviceStatus }[]): TelemetryReading['devices'] {
  return Object.fromEntries(devices.slice(0, 32).map((d) => [d.id.slice(0, 40), d.status]));
}

/** null: the room has no UPS. A UPS not read yet (or not answering) says nothing of its battery. */
export function upsSection(
  ups: { reading: UpsReading | null; communicating?: boolean } | undefined,
): TelemetryReading['ups'] {
  if (!ups) return null;
  const reading = ups.communicating === false ? null : ups.reading;
  return {
    onBattery: reading?.flags.includes('OB') ?? false,
    chargePct:
      reading?.batteryCharge === null || reading?.batteryCharge === undefined
        ? null
        : clamp(Math.round(reading.batteryCharge), 0, 100),
    runtimeS:
      reading?.batteryRuntime === null || reading?.batteryRuntime === undefined
        ? null
        : Math.max(0, Math.round(reading.batteryRuntime)),
  };
}

/** The encoder's measured output, as the media worker reports it while the program runs, and when. */
export type EncodeReport = Pick<EncodeFigures, 'fps' | 'bitrateKbps' | 'droppedFrames'> & { at: string };

/** Figures older than this come from a worker that stopped reporting (it died or hangs): not current. */
const ENCODE_STALE_MS = 10_000;

/**
 * The outgoing stream's state and the encoder's figures. No program running (no session) or
 * figures gone stale: 0 frames per second is the truth, not the configured rate.
 */
export function mediaSection(
  stream: StreamState | undefined,
  encode?: EncodeReport,
  nowMs = Date.now(),
): TelemetryReading['media'] {
  const state =
    stream === 'live' ? 'live' : stream === 'connecting' ? 'connecting' : stream === 'retrying' ? 'failed' : 'idle';
  const current = encode && nowMs - Date.parse(encode.at) <= ENCODE_STALE_MS ? encode : undefined;
  return {
    stream: state,
    fps: current ? clamp(current.fps, 0, 240) : 0,
    bitrateKbps: current ? Math.max(0, Math.round(current.bitrateKbps)) : 0,
    droppedFrames: current ? Math.max(0, Math.round(current.droppedFrames)) : 0,
  };
}

/** Links that say something about the room's connectivity: not loopback, nor the kernel's and containers' virtual plumbing. */
export function isRoomLink(iface: string): boolean {
  return !/^(lo|ifb\d|veth|docker|br-|virbr|dummy|sit\d|ip6tnl|tunl)/.test(iface);
}

/** The mount point holding `path`: the longest mount that is a prefix of it. */
export function mountOf(path: string, mounts: readonly string[]): string {
  let best = '/';
  for (const mount of mounts) {
    const prefix = mount.endsWith('/') ? mount : `${mount}/`;
    if ((path === mount || path.startsWith(prefix)) && mount.length > best.length) best = mount;
  }
  return best;
}

/** `/proc/mounts` escapes spaces and tabs in octal. */
export function mountPointsOf(procMounts: string): string[] {
  return procMounts.split('\n').flatMap((line) => {
    const field = line.split(' ')[1];
    return field
      ? [field.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)))]
      : [];
  });
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** One decimal: enough for a dashboard, fewer bytes on the wire. */
export const tenth = (value: number): number => Math.round(value * 10) / 10;
