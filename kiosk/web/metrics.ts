import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { AuthenticatedRequest } from '../auth/middleware.js';
import { can } from '../auth/roles.js';
import type { HealthReport } from './health.js';
import { DomainError } from '../core/domain-error.js';

/** What the room's `/metrics` reads at every scrape: the same health report the console and the fleet link show. */
export interface RoomMetricsSource {
  health(): HealthReport;
  /** The recordings disk as last checked (kiosk/evidence). */
  disk(): { path: string; freeBytes: number; totalBytes: number } | undefined;
  /** Central monitoring's link and the events not yet acknowledged by it. */
  fleet(): Promise<{ state: string; pendingEvents: number | null }>;
}

const deviceStatuses = ['ok', 'connecting', 'failed', 'bad-config'] as const;
const fleetStates = ['disabled', 'bad-config', 'connecting', 'connected', 'refused', 'disconnected'] as const;

/**
 * Prometheus metrics of this room (prom-client), for rooms already watched by Prometheus or Zabbix:
 * the process (CPU, memory, event loop), health, devices, the recording, the stream, the disk and
 * the fleet link. Every value is read at scrape time: nothing here keeps a second copy of state.
 */
export function createRoomMetrics(source: RoomMetricsSource): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'diemcau_' });
  const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => void | Promise<void>) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        await collect(this);
      },
    });

  gauge('diemcau_info', 'Always 1; the labels say which software runs in which room.', ['version', 'room'], (g) => {
    const h = source.health();
    g.set({ version: h.version, room: h.room.id }, 1);
  });
  gauge('diemcau_up_seconds', 'Seconds since the daemon started.', [], (g) => g.set(source.health().uptimeSeconds));
  gauge('diemcau_health_ok', '1 when every service, device and the media engine are ok; 0 when degraded.', [], (g) =>
    g.set(source.health().status === 'ok' ? 1 : 0),
  );
  gauge('diemcau_service_running', '1 when the daemon service is running.', ['service'], (g) => {
    for (const s of source.health().services) g.set({ service: s.name }, s.state === 'running' ? 1 : 0);
  });
  gauge(
    'diemcau_device_status',
    "One series per device and status; 1 for the device's current status.",
    ['device', 'kind', 'status'],
    (g) => {
      for (const d of source.health().devices)
        for (const status of deviceStatuses) g.set({ device: d.id, kind: d.kind, status }, d.status === status ? 1 : 0);
    },
  );
  // Networked devices (ONVIF cameras) read their clock: a drifting camera puts wrong times on evidence.
  gauge(
    'diemcau_device_clock_drift_seconds',
    "A networked device's clock minus the room's, as last read.",
    ['device'],
    (g) => {
      for (const d of source.health().devices) if (d.clock) g.set({ device: d.id }, d.clock.driftSeconds);
    },
  );
  gauge('diemcau_recording_active', '1 while a session is being recorded.', [], (g) =>
    g.set(source.health().recording?.state === 'recording' ? 1 : 0),
  );
  gauge(
    'diemcau_recording_stopped',
    "1 when a live session's recorder stopped by itself (nothing is being recorded).",
    [],
    (g) => g.set(source.health().recording?.state === 'stopped' ? 1 : 0),
  );
  gauge('diemcau_media_worker_restarts', 'Media worker restarts since the daemon started.', [], (g) =>
    g.set(source.health().media?.restarts ?? 0),
  );
  gauge('diemcau_media_source_ok', '1 per media source delivering; 0 when lost or stopped.', ['source'], (g) => {
    for (const [name, state] of Object.entries(source.health().media?.sources ?? {}))
      g.set({ source: name }, state === 'ok' ? 1 : 0);
  });
  // Measured after the encoder while a session records (media/encode-meter.ts); 0 when nothing is encoded.
  gauge('diemcau_media_encode_fps', 'Frames per second the encoder produced over the last 2 s.', [], (g) =>
    g.set(source.health().media?.encode?.fps ?? 0),
  );
  gauge('diemcau_media_encode_bitrate_kbps', 'Encoded video, kilobits per second over the last 2 s.', [], (g) =>
    g.set(source.health().media?.encode?.bitrateKbps ?? 0),
  );
  gauge(
    'diemcau_media_dropped_frames',
    'The most frames the program has fallen short of real time in this recording.',
    [],
    (g) => g.set(source.health().media?.encode?.droppedFrames ?? 0),
  );
  gauge('diemcau_disk_free_bytes', 'Free bytes on the recordings disk.', ['path'], (g) => {
    const d = source.disk();
    if (d) g.set({ path: d.path }, d.freeBytes);
  });
  gauge('diemcau_disk_size_bytes', 'Size of the recordings disk.', ['path'], (g) => {
    const d = source.disk();
    if (d) g.set({ path: d.path }, d.totalBytes);
  });
  gauge(
    'diemcau_fleet_link_state',
    'One series per state of the link to central monitoring; 1 for the current one.',
    ['state'],
    async (g) => {
      const { state } = await source.fleet();
      for (const s of fleetStates) g.set({ state: s }, state === s ? 1 : 0);
    },
  );
  gauge(
    'diemcau_fleet_pending_events',
    'Events queued for central monitoring and not yet acknowledged.',
    [],
    async (g) => {
      const { pendingEvents } = await source.fleet();
      if (pendingEvents !== null) g.set(pendingEvents);
    },
  );
  return registry;
}

/**
 * GET /metrics on the console port: a logged-in console user who may read health, or a scraper with
 * `Authorization: Bearer <token>` where the token is the content of `web.console.metricsTokenFile`.
 * Without that file only logged-in users can read it (security by default).
 */
export function metricsHandler(registry: Registry, tokenFile: string | undefined): RequestHandler {
  const expected = tokenFile ? digest(readFileSync(tokenFile, 'utf8').trim()) : undefined;
  if (expected?.equals(digest(''))) throw new Error(`web.console.metricsTokenFile ${tokenFile} is empty`);
  return async (req, res) => {
    const actor = (req as AuthenticatedRequest).auth;
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const tokenOk = expected !== undefined && bearer !== undefined && timingSafeEqual(digest(bearer), expected);
    if (!tokenOk && !actor) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="diemcau"');
      throw new DomainError(
        'unauthenticated',
        'login_required',
        'đăng nhập hoặc dùng mã truy cập (web.console.metricsTokenFile) / log in or send the metrics token',
      );
    }
    if (!tokenOk && actor && !can(actor.role, 'health.read'))
      throw new DomainError('forbidden', 'forbidden', `role ${actor.role} may not health.read`);
    res.setHeader('Content-Type', registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(await registry.metrics());
  };
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
