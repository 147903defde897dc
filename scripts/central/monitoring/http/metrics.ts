import { Counter, Gauge, Registry } from 'prom-client';
import type { RoomView } from '../domain/room-view.js';

/**
 * `/metrics` for Prometheus and Grafana: one series per room for what the dashboard shows, and this
 * instance's counters. The room gauges are computed at scrape time from the store (shared by every
 * instance), the counters are this process's own.
 */
export function createMonitoringMetrics(rooms: () => Promise<RoomView[]>) {
  const registry = new Registry();
  const labelNames = ['room', 'province', 'district'] as const;
  const labels = (room: RoomView) => ({ room: room.id, province: room.province ?? '', district: room.district ?? '' });

  const eventsReceived = new Counter({
    name: 'diemcau_monitoring_events_received_total',
    help: 'Events delivered by the durable consumer to this instance',
    registers: [registry],
  });
  const duplicatesDropped = new Counter({
    name: 'diemcau_monitoring_event_duplicates_dropped_total',
    help: 'Events already stored under their (room, seq), dropped',
    registers: [registry],
  });
  const invalidMessages = new Counter({
    name: 'diemcau_monitoring_invalid_messages_total',
    help: 'Messages that failed validation, skipped',
    labelNames: ['kind', 'code'],
    registers: [registry],
  });
  const telemetrySamples = new Counter({
    name: 'diemcau_monitoring_telemetry_samples_total',
    help: 'Telemetry samples stored by this instance',
    registers: [registry],
  });
  const commandsSent = new Counter({
    name: 'diemcau_monitoring_commands_total',
    help: 'Commands sent from the dashboard, by outcome',
    labelNames: ['command', 'outcome'],
    registers: [registry],
  });

  // One scrape reads the store once, and every room gauge is filled from that one read.
  let snapshot: Promise<RoomView[]> | undefined;
  const current = () => (snapshot ??= rooms().finally(() => setImmediate(() => (snapshot = undefined))));
  const roomGauge = (name: string, help: string, value: (room: RoomView) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        for (const room of await current()) {
          const v = value(room);
          if (v !== null) this.set(labels(room), v);
        }
      },
    });
  const healthValue = { ok: 2, degraded: 1, failed: 0 } as const;
  roomGauge(
    'diemcau_room_last_seen_age_seconds',
    'Seconds since central last heard from the room',
    (r) => r.lastSeenAgeS,
  );
  roomGauge('diemcau_room_up', '1 when the room was heard from recently (not stale)', (r) => (r.stale ? 0 : 1));
  roomGauge('diemcau_room_health', 'Room health: 2 ok, 1 degraded, 0 failed', (r) =>
    r.health === 'unknown' ? null : healthValue[r.health],
  );
  roomGauge('diemcau_room_live', '1 while the room records a session', (r) => (r.live ? 1 : 0));
  roomGauge('diemcau_room_open_alerts', 'Open alerts of the room', (r) => r.openAlerts.length);
  roomGauge('diemcau_room_needs_attention', '1 when the dashboard marks the room as needing attention', (r) =>
    r.attention.length ? 1 : 0,
  );
  roomGauge('diemcau_room_cpu_percent', 'Latest CPU use', (r) => r.figures?.cpuPct ?? null);
  roomGauge('diemcau_room_cpu_temperature_celsius', 'Latest CPU temperature', (r) => r.figures?.cpuTempC ?? null);
  roomGauge('diemcau_room_memory_used_percent', 'Latest memory use', (r) => r.figures?.memUsedPct ?? null);
  roomGauge('diemcau_room_disk_used_percent', 'Latest use of the fullest disk', (r) => r.figures?.diskUsedPct ?? null);

  return { registry, eventsReceived, duplicatesDropped, invalidMessages, telemetrySamples, commandsSent };
}
export type MonitoringMetrics = ReturnType<typeof createMonitoringMetrics>;
