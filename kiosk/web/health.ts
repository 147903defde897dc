import type { DeviceSnapshot } from '../../hal/core/driver.js';
import type { ServiceStatus } from '../core/service.js';

export interface HealthSource {
  services(): ServiceStatus[];
  devices(): DeviceSnapshot[];
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  version: string;
  uptimeSeconds: number;
  room: { id: string; name: string; role: string };
  services: ServiceStatus[];
  devices: DeviceSnapshot[];
}

export function healthReport(source: HealthSource, meta: { version: string; startedAt: number; room: HealthReport['room'] }, now = Date.now()): HealthReport {
  const services = source.services();
  const devices = source.devices();
  const healthy = services.every((s) => s.state === 'running') && devices.every((d) => d.status === 'ok');
  return {
    status: healthy ? 'ok' : 'degraded',
    version: meta.version,
    uptimeSeconds: Math.round((now - meta.startedAt) / 1000),
    room: meta.room,
    services,
    devices,
  };
}
