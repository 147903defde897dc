import type { DeviceSnapshot } from '../../hal/core/driver.js';
import type { ServiceStatus } from '../core/service.js';
import type { MediaHealth } from '../media/supervisor.js';
import type { RecordingHealth } from '../recording/recording-service.js';

export interface HealthSource {
  services(): ServiceStatus[];
  devices(): DeviceSnapshot[];
  /** The media engine: worker state, recording, sources, stream. */
  media?(): MediaHealth;
  /** The session's recording: idle, recording, or stopped by itself (not recorded: degraded). */
  recording?(): RecordingHealth;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  version: string;
  uptimeSeconds: number;
  room: { id: string; name: string; role: string };
  services: ServiceStatus[];
  devices: DeviceSnapshot[];
  media?: MediaHealth;
  recording?: RecordingHealth;
}

export function healthReport(source: HealthSource, meta: { version: string; startedAt: number; room: HealthReport['room'] }, now = Date.now()): HealthReport {
  const services = source.services();
  const devices = source.devices();
  const media = source.media?.();
  const mediaHealthy = !media || (media.worker === 'running' && Object.values(media.sources).every((s) => s !== 'lost'));
  const recording = source.recording?.();
  const healthy = services.every((s) => s.state === 'running') && devices.every((d) => d.status === 'ok') && mediaHealthy && recording?.state !== 'stopped';
  return {
    status: healthy ? 'ok' : 'degraded',
    version: meta.version,
    uptimeSeconds: Math.round((now - meta.startedAt) / 1000),
    room: meta.room,
    services,
    devices,
    ...(media ? { media } : {}),
    ...(recording ? { recording } : {}),
  };
}
