import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connectVerified, readUserCredential } from '../../kiosk/fleet/nats/connection.js';
import { EVENTS_CONSUMER } from '../../scripts/central/monitoring/nats/event-consumer.js';
import type { NatsConnection } from '@nats-io/nats-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveCommands, CommandRefused } from '../../kiosk/fleet/nats/responder.js';
import { Kvm } from '@nats-io/kv';
import { EVENTS_STREAM, ROOMS_BUCKET, subjects } from '../../kiosk/fleet/nats/subjects.js';
import type { RunningMonitoring } from '../../scripts/central/monitoring/service.js';
import { startCentral, type Central } from '../support/central.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait.js';
import {
  event,
  memoryLogger,
  metric,
  operatorSession,
  roomLink,
  scrape,
  startService,
  state,
  withOperator,
  OPERATOR,
} from './monitoring-support.js';

/** The monitoring service against a real nats-server (scripts/central), rooms publishing with their own credentials. */
describe('central monitoring service', () => {
  let central: Central;
  let dataDir: string;
  let services: RunningMonitoring[];
  let links: NatsConnection[];

  beforeEach(async () => {
    central = await startCentral({ rooms: ['sim-room', 'phong-b'] });
    dataDir = await makeTempDir('monitoring');
    await withOperator(dataDir);
    services = [];
    links = [];
  });
  afterEach(async () => {
    for (const service of services) await service.close();
    for (const nc of links) await nc.close();
    await central.close();
    await removeTempDir(dataDir);
  });

  async function service(logger = memoryLogger().logger): Promise<RunningMonitoring> {
    const s = await startService(central, dataDir, logger);
    services.push(s);
    return s;
  }
  async function room(roomId = 'sim-room') {
    const link = await roomLink(central, roomId);
    links.push(link.nc);
    return link;
  }
  const storedKeys = (s: RunningMonitoring) => s.store.eventKeys();

  it('stores each event once, even replayed under another message id; alerts open and close under one key', async () => {
    const s = await service();
    const { publisher } = await room();
    await publisher.event(
      event(1, {
        topic: 'power',
        severity: 'critical',
        alert: { key: 'power', state: 'raised' },
        data: { kind: 'on-battery' },
      }),
    );
    await publisher.event(
      event(2, {
        topic: 'power',
        severity: 'critical',
        alert: { key: 'power', state: 'raised' },
        data: { kind: 'on-battery' },
      }),
    );
    // The same id within the stream's window: the stream itself drops it.
    expect((await publisher.event(event(2))).duplicate).toBe(true);
    // A replay older than the window reaches the stream as new (another message id): the service drops it.
    const js = jetstream((await room()).nc);
    const replay = event(1, {
      topic: 'power',
      severity: 'critical',
      alert: { key: 'power', state: 'raised' },
      data: { kind: 'on-battery' },
    });
    await js.publish(subjects.event('sim-room', 'power'), JSON.stringify(replay), { msgID: 'sim-room:1:replayed' });
    await waitFor(
      'three deliveries',
      async () => metric(await scrape(s), 'diemcau_monitoring_events_received_total') === 3,
    );
    expect(await storedKeys(s)).toEqual([
      { room: 'sim-room', seq: 1 },
      { room: 'sim-room', seq: 2 },
    ]);
    expect(metric(await scrape(s), 'diemcau_monitoring_event_duplicates_dropped_total')).toBe(1);

    const api = await operatorSession(s.url);
    const open = await api.get('/api/rooms/sim-room');
    expect(open.body.room.openAlerts).toEqual([
      expect.objectContaining({ key: 'power', topic: 'power', severity: 'critical' }),
    ]);
    await publisher.event(
      event(3, {
        topic: 'power',
        severity: 'info',
        alert: { key: 'power', state: 'cleared' },
        data: { kind: 'power-restored' },
      }),
    );
    const closed = await waitFor('alert cleared', async () => {
      const { body } = await api.get('/api/rooms/sim-room');
      return body.room.openAlerts.length === 0 && body;
    });
    expect(closed.alerts).toEqual([expect.objectContaining({ key: 'power', clearedAt: expect.any(String) })]);
    expect(closed.events.map((e: any) => e.seq)).toEqual([3, 2, 1]);
  });

  it('counts, logs and skips malformed, unknown-version and wrongly addressed messages, and goes on', async () => {
    const { logger, lines } = memoryLogger();
    const s = await service(logger);
    const { nc, publisher } = await room();
    const js = jetstream(nc);
    await js.publish(subjects.event('sim-room', 'disk'), 'not json at all', { msgID: 'sim-room:bad-1' });
    await js.publish(subjects.event('sim-room', 'disk'), JSON.stringify({ ...event(7), v: 2 }), {
      msgID: 'sim-room:bad-2',
    });
    await js.publish(subjects.event('sim-room', 'power'), JSON.stringify(event(8)), { msgID: 'sim-room:bad-3' }); // topic disk on the power subject
    await js.publish(
      subjects.event('sim-room', 'disk'),
      `${JSON.stringify({ ...event(9), data: { blob: 'x'.repeat(33_000) } }).slice(0, 32_900)}"}}`,
      { msgID: 'sim-room:bad-4' },
    );
    await publisher.event(event(10));
    await waitFor('the good event after the bad ones', async () => (await storedKeys(s)).length === 1);
    const text = await scrape(s);
    expect(metric(text, 'diemcau_monitoring_invalid_messages_total', { kind: 'event', code: 'malformed' })).toBe(2);
    expect(
      metric(text, 'diemcau_monitoring_invalid_messages_total', { kind: 'event', code: 'unsupported-version' }),
    ).toBe(1);
    expect(metric(text, 'diemcau_monitoring_invalid_messages_total', { kind: 'event', code: 'too-large' })).toBe(1);
    expect(lines.filter((l) => l.msg === 'invalid event skipped')).toHaveLength(4);
    // Acknowledged: nothing is left on the consumer to be redelivered.
    const monitoring = await connectVerified({
      servers: central.servers,
      user: await readUserCredential(central.layout.monitoringSeedFile),
      caFile: central.caFile,
    });
    links.push(monitoring);
    const info = await (await jetstreamManager(monitoring)).consumers.info(EVENTS_STREAM, EVENTS_CONSUMER);
    expect([info.num_pending, info.num_ack_pending]).toEqual([0, 0]);
    // Bad state and telemetry too.
    nc.publish(subjects.telemetry('sim-room'), '{"v":1,"at":"yesterday"}');
    await waitFor(
      'bad telemetry counted',
      async () =>
        metric(await scrape(s), 'diemcau_monitoring_invalid_messages_total', {
          kind: 'telemetry',
          code: 'malformed',
        }) === 1,
    );
    await (await new Kvm(nc).open(ROOMS_BUCKET)).put('sim-room', JSON.stringify({ ...state(), v: 3 }));
    await waitFor(
      'bad state counted',
      async () =>
        metric(await scrape(s), 'diemcau_monitoring_invalid_messages_total', {
          kind: 'state',
          code: 'unsupported-version',
        }) === 1,
    );
    // And it still serves.
    await publisher.event(event(11));
    await waitFor('the next good event', async () => (await storedKeys(s)).length === 2);
  });

  it('resumes from its durable consumer after a restart, without loss or duplicates', async () => {
    let s = await service();
    const { publisher } = await room();
    for (let seq = 1; seq <= 5; seq++) await publisher.event(event(seq));
    await waitFor('first five stored', async () => (await storedKeys(s)).length === 5);
    await s.close();
    services = [];
    for (let seq = 6; seq <= 12; seq++) await publisher.event(event(seq));
    s = await service();
    await waitFor('all twelve stored', async () => (await storedKeys(s)).length === 12);
    expect((await storedKeys(s)).map((k) => k.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // The restarted instance was handed only what the first had not acknowledged.
    const text = await scrape(s);
    expect(metric(text, 'diemcau_monitoring_events_received_total')).toBe(7);
    expect(metric(text, 'diemcau_monitoring_event_duplicates_dropped_total')).toBe(0);
  });

  it('carries on across a nats-server restart', async () => {
    const s = await service();
    const { publisher } = await room();
    await publisher.event(event(1));
    await waitFor('first stored', async () => (await storedKeys(s)).length === 1);
    await central.stopServer();
    await central.startServer();
    await waitFor(
      'the room reconnected and published',
      async () =>
        publisher.event(event(2)).then(
          () => true,
          () => false,
        ),
      20_000,
    );
    await publisher.state(state({ health: 'failed' }));
    await waitFor('second stored', async () => (await storedKeys(s)).length === 2, 20_000);
    const api = await operatorSession(s.url);
    await waitFor(
      'the state after the restart',
      async () => (await api.get('/api/rooms')).body.rooms.find((r: any) => r.id === 'sim-room')?.health === 'failed',
      20_000,
    );
  }, 60_000);

  it('two instances sharing the consumer and the store: each event delivered to one of them and stored once', async () => {
    const a = await service();
    const b = await service();
    const one = await room('sim-room');
    const two = await room('phong-b');
    const count = 40;
    for (let seq = 1; seq <= count; seq++)
      await Promise.all([one.publisher.event(event(seq)), two.publisher.event(event(seq))]);
    await waitFor('every event stored', async () => (await storedKeys(a)).length === 2 * count, 30_000);
    const received = await Promise.all(
      [a, b].map(async (s) => metric(await scrape(s), 'diemcau_monitoring_events_received_total') ?? 0),
    );
    expect(received[0]! + received[1]!).toBe(2 * count);
    const dropped = await Promise.all(
      [a, b].map(async (s) => metric(await scrape(s), 'diemcau_monitoring_event_duplicates_dropped_total') ?? 0),
    );
    expect(dropped).toEqual([0, 0]);
    expect(await storedKeys(b)).toHaveLength(2 * count);
  });

  it('requires a login; the API and /metrics show the room; a command gets the room’s reply and is audited', async () => {
    const s = await service();
    expect((await fetch(`${s.url}/api/rooms`)).status).toBe(401);
    expect((await fetch(`${s.url}/api/rooms/sim-room`)).status).toBe(401);
    expect(
      (
        await fetch(`${s.url}/api/rooms/sim-room/commands/ping`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(401);
    expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${s.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    await expect(operatorSession(s.url, { username: OPERATOR.username, password: 'sai mật khẩu rồi' })).rejects.toThrow(
      /401/,
    );
    // A page on another site cannot log in or send commands, even with a right password.
    expect(
      (
        await fetch(`${s.url}/api/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
          body: JSON.stringify(OPERATOR),
        })
      ).status,
    ).toBe(403);

    const { nc, publisher } = await room();
    await publisher.state(
      state({ health: 'degraded', live: { sessionId: 'phien-1', since: new Date().toISOString() } }),
    );
    publisher.telemetry({
      v: 1,
      at: new Date().toISOString(),
      seq: 1,
      full: true,
      system: { uptimeS: 60, load1: 0.2, cpuPct: 37.5, cpuTempC: 61, memUsedPct: 42, memTotalMB: 4096 },
      disks: [{ mount: '/', sizeBytes: 100, usedBytes: 55 }],
    });
    const api = await operatorSession(s.url);
    const listed = await waitFor('the room with its state and telemetry', async () => {
      const { body } = await api.get('/api/rooms');
      const sim = body.rooms.find((r: any) => r.id === 'sim-room');
      return sim?.health === 'degraded' && sim.figures && body;
    });
    expect(listed.rooms.map((r: any) => r.id).sort()).toEqual(['phong-b', 'sim-room']);
    expect(listed.rooms.find((r: any) => r.id === 'sim-room')).toMatchObject({
      stale: false,
      live: { sessionId: 'phien-1' },
      figures: { cpuPct: 37.5, cpuTempC: 61, diskUsedPct: 55 },
      attention: ['health'],
    });
    expect(listed.rooms.find((r: any) => r.id === 'phong-b')).toMatchObject({
      health: 'unknown',
      attention: ['never-seen'],
    });
    const detail = await api.get('/api/rooms/sim-room');
    expect(detail.body.telemetry).toEqual([expect.objectContaining({ cpuPct: 37.5, cpuTempC: 61, diskUsedPct: 55 })]);

    const text = await scrape(s);
    expect(metric(text, 'diemcau_room_up', { room: 'sim-room' })).toBe(1);
    expect(metric(text, 'diemcau_room_up', { room: 'phong-b' })).toBe(0);
    expect(metric(text, 'diemcau_room_health', { room: 'sim-room' })).toBe(1);
    expect(metric(text, 'diemcau_room_live', { room: 'sim-room' })).toBe(1);
    expect(metric(text, 'diemcau_room_cpu_percent', { room: 'sim-room' })).toBe(37.5);
    expect(metric(text, 'diemcau_room_last_seen_age_seconds', { room: 'sim-room' })).toBeGreaterThanOrEqual(0);

    serveCommands(nc, 'sim-room', {
      ping: async () => ({ at: new Date().toISOString(), uptimeS: 60, version: '0.1.0' }),
      'run-readiness': async () => {
        throw new CommandRefused('busy', 'a test is running');
      },
      'push-schedule': async () => ({ created: 0, updated: 0, cancelled: 0, ignored: 0 }),
      'recent-logs': async () => ({ lines: [], truncated: false }),
      reboot: async () => {
        throw new CommandRefused('refused', 'a session is live');
      },
      update: async () => {
        throw new CommandRefused('refused', 'a session is live');
      },
    });
    await nc.flush();
    expect((await api.post('/api/rooms/sim-room/commands/ping')).body).toMatchObject({
      outcome: 'ok',
      result: { uptimeS: 60, version: '0.1.0' },
    });
    expect((await api.post('/api/rooms/sim-room/commands/reboot', { args: { reason: 'thử' } })).body).toMatchObject({
      outcome: 'error',
      code: 'refused',
    });
    expect((await api.post('/api/rooms/sim-room/commands/reboot', { args: {} })).status).toBe(400);
    expect((await api.post('/api/rooms/sim-room/commands/format-disk')).status).toBe(404);
    expect((await api.post('/api/rooms/khong-co/commands/ping')).status).toBe(404);
    const audit = (await api.get('/api/rooms/sim-room')).body.audit;
    expect(audit.map((a: any) => [a.operator, a.command, a.outcome])).toEqual([
      [OPERATOR.username, 'reboot', 'invalid'],
      [OPERATOR.username, 'reboot', 'error'],
      [OPERATOR.username, 'ping', 'ok'],
    ]);
  });
});
