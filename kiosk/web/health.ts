import type { DeviceSnapshot } from '../../hal/core/driver.js';
import type { UpsDevice } from '../../hal/ups/types.js';
import type { ServiceStatus } from '../core/service.js';
import type { MediaHealth } from '../media/media-service.js';
import type { RecordingHealth } from '../recording/recording-service.js';

export interface HealthSource {
  services(): ServiceStatus[];
  devices(): DeviceSnapshot[];
  /** The media engine: worker state, recording, sources, stream. */
  media?(): MediaHealth;
  /** The session's recording: idle, recording, or stopped by itself (not recorded: degraded). */
  recording?(): RecordingHealth;
  /** Mains or battery, from the UPS's latest reading (the touchscreen's power indicator). */
  power?(): PowerHealth | undefined;
}

export interface PowerHealth {
  onBattery: boolean;
  chargePercent: number | null;
  runtimeSeconds: number | null;
  at: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  version: string;
  uptimeSeconds: number;
  /** timeZone: config `room.timezone` (IANA), in which the pages show every date. */
  room: { id: string; name: string; role: string; timeZone: string };
  services: ServiceStatus[];
  devices: DeviceSnapshot[];
  media?: MediaHealth;
  recording?: RecordingHealth;
  power?: PowerHealth;
}

export function healthReport(
  source: HealthSource,
  meta: { version: string; startedAt: number; room: HealthReport['room'] },
  now = Date.now(),
): HealthReport {
  const services = source.services();
  const devices = source.devices();
  const media = source.media?.();
  const mediaHealthy =
    !media || (media.worker === 'running' && Object.values(media.sources).every((s) => s !== 'lost'));
  const recording = source.recording?.();
  const power = source.power?.();
  const healthy =
    services.every((s) => s.state === 'running') &&
    devices.every((d) => d.status === 'ok') &&
    mediaHealthy &&
    recording?.state !== 'stopped';
  return {
    status: healthy ? 'ok' : 'degraded',
    version: meta.version,
    uptimeSeconds: Math.round((now - meta.startedAt) / 1000),
    room: meta.room,
    services,
    devices,
    ...(media ? { media } : {}),
    ...(recording ? { recording } : {}),
    ...(power ? { power } : {}),
  };
}

/** The UPS's latest reading as the screens show it; nothing when there is no UPS or no reading yet. */
export function powerHealthOf(ups: UpsDevice | undefined): PowerHealth | undefined {
  const reading = ups?.status === 'ok' ? ups.reading : undefined;
  if (!reading) return undefined;
  return {
    onBattery: reading.flags.includes('OB') || !reading.flags.includes('OL'),
    chargePercent: reading.batteryCharge,
    runtimeSeconds: reading.batteryRuntime,
    at: reading.at,
  };
}
