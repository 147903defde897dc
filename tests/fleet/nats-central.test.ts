import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsConnection, Status } from '@nats-io/nats-core';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connectRoom, connectVerified, readUserCredential } from '../../kiosk/fleet/nats/connection.js';
import { generateUser, userFromSeed } from '../../kiosk/fleet/keys/nkey.js';
import { parseRoomEventMessage, type RoomEvent } from '../../kiosk/fleet/nats/events.js';
import { RoomPublisher } from '../../kiosk/fleet/nats/publish.js';
import { CommandRefused, serveCommands, type CommandHandlers } from '../../kiosk/fleet/nats/responder.js';
import { parseRoomState, type RoomState } from '../../kiosk/fleet/nats/state.js';
import { parseTelemetry } from '../../kiosk/fleet/nats/telemetry.js';
import { EVENTS_STREAM, ROOMS_BUCKET, subjects } from '../../kiosk/fleet/nats/subjects.js';
import { initCentral } from '../../scripts/central/central-dir.js';
import type { CentralLayout } from '../../config/central-layout.js';
import { sendCommand, RoomOffline } from '../../scripts/central/commands.js';
import { startNatsServer, type RunningNatsServer } from '../../scripts/central/nats-process.js';
import { ensureCentralStreams } from '../../scripts/central/streams.js';
import { createCa, createServerCertificate } from '../../scripts/central/tls.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait.js';
import { roomState } from '../../scripts/central/loadgen-mix.js';

const run = promisify(execFile);

/**
 * Central monitoring's foundation against the real nats-server (Debian 2.9), on 127.0.0.1 with
 * random ports: the generated config, the per-room permissions the server enforces, JetStream's
 * duplicate window, commands by request/reply, and wss certificate verification.
 */
describe('central monitoring over NATS (real nats-server)', () => {
  let dir: string;
  let layout: CentralLayout;
  let server: RunningNatsServer;
  let url: string;
  let monitoring: NatsConnection;
  const open: NatsConnection[] = [];

  const room = async (roomId: string) => {
    const nc = await connectRoom({
      servers: url,
      credential: { roomId, user: await readUserCredential(layout.roomSeedFile(roomId)) },
      caFile: layout.caFile,
      options: { reconnect: false },
    });
    open.push(nc);
    return nc;
  };
  /** Every error status the server sent this connection (permission violations among them). */
  const errorsOf = (nc: NatsConnection) => {
    const errors: Extract<Status, { type: 'error' }>['error'][] = [];
    void (async () => {
      for await (const status of nc.status()) if (status.type === 'error') errors.push(status.error);
    })();
    return errors;
  };

  beforeAll(async () => {
    dir = await makeTempDir('nats');
    ({ layout } = await initCentral({
      dir,
      rooms: ['room-a', 'room-b'],
      websocket: { host: '127.0.0.1', port: -1 },
      client: { host: '127.0.0.1', port: -1 },
    }));
    server = await startNatsServer({ configFile: layout.configFile });
    url = `wss://127.0.0.1:${server.websocketPort}`;
    const admin = await connectVerified({
      servers: url,
      user: await readUserCredential(layout.adminSeedFile),
      caFile: layout.caFile,
    });
    await ensureCentralStreams(admin);
    await admin.close();
    monitoring = await connectVerified({
      servers: url,
      user: await readUserCredential(layout.monitoringSeedFile),
      caFile: layout.caFile,
    });
    open.push(monitoring);
  });
  afterAll(async () => {
    for (const nc of open) await nc.close().catch(() => undefined);
    await server?.stop();
    await removeTempDir(dir);
  });

  it('writes a config nats-server accepts, with a TLS websocket and JetStream on a file store', async () => {
    await expect(run('nats-server', ['-t', '-c', layout.configFile])).resolves.toBeDefined();
    expect(server.output()).toMatch(/Listening for websocket clients on wss:\/\/127\.0\.0\.1:\d+/);
    expect(server.output()).toContain(`Store Directory: "${join(layout.storeDir, 'jetstream')}"`);
  });

  it('refuses a credential the server does not know, and a room’s key used under another room’s name', async () => {
    const stranger = userFromSeed(generateUser().seed);
    await expect(
      connectRoom({ servers: url, credential: { roomId: 'room-a', user: stranger }, caFile: layout.caFile }),
    ).rejects.toThrow(/authorization violation/i);
    // room-b's key claiming room-a's inbox: connected, but its inbox (so every request) is refused.
    const b = await readUserCredential(layout.roomSeedFile('room-b'));
    const impostor = await connectRoom({
      servers: url,
      credential: { roomId: 'room-a', user: b },
      caFile: layout.caFile,
      options: { reconnect: false },
    });
    open.push(impostor);
    await expect(impostor.request(subjects.command('room-a', 'ping'), '{}', { timeout: 2000 })).rejects.toThrow(
      /Permissions Violation for Subscription to "_INBOX\.room-a\./,
    );
  });

  it('lets a room publish only as itself: the server refuses another room’s subjects and KV key', async () => {
    const a = await room('room-a');
    const errors = errorsOf(a);
    const seen: string[] = [];
    const watch = monitoring.subscribe('diemcau.v1.room.>', { callback: (_e, msg) => void seen.push(msg.subject) });
    await monitoring.flush();

    a.publish(subjects.telemetry('room-b'), '{"v":1}');
    a.publish(subjects.telemetry('room-a'), '{"v":1}');
    a.publish(subjects.stateKey('room-b'), '{"v":1}');
    await a.flush();
    await waitFor('the permission violations', () => errors.length >= 2);
    await waitFor('room-a’s own telemetry', () => seen.includes(subjects.telemetry('room-a')));
    expect(
      errors.map((e) => [e.name, (e as { operation?: string }).operation, (e as { subject?: string }).subject]),
    ).toEqual([
      ['PermissionViolationError', 'publish', subjects.telemetry('room-b')],
      ['PermissionViolationError', 'publish', subjects.stateKey('room-b')],
    ]);
    expect(seen).not.toContain(subjects.telemetry('room-b'));
    watch.unsubscribe();
  });

  it('lets a room receive only its own commands and its own inbox, and read no stream', async () => {
    const a = await room('room-a');
    const errors = errorsOf(a);
    const denied = (subject: string) =>
      new Promise<Error>((resolve) => {
        a.subscribe(subject, { callback: (error) => void (error && resolve(error)) });
      });
    const violations = await Promise.all([
      denied(subjects.commands('room-b')),
      denied('diemcau.v1.cmd.>'),
      denied('_INBOX.>'),
      denied(subjects.inbox('room-b')),
      denied(subjects.allTelemetry),
    ]);
    expect(violations.map((v) => v.message)).toEqual([
      `Permissions Violation for Subscription to "${subjects.commands('room-b')}"`,
      'Permissions Violation for Subscription to "diemcau.v1.cmd.>"',
      'Permissions Violation for Subscription to "_INBOX.>"',
      `Permissions Violation for Subscription to "${subjects.inbox('room-b')}"`,
      `Permissions Violation for Subscription to "${subjects.allTelemetry}"`,
    ]);
    // No JetStream API: another room's state cannot be read, nor a consumer made on the events.
    const kv = await new Kvm(a).open(ROOMS_BUCKET);
    await expect(kv.get('room-b')).rejects.toThrow(
      /Permissions Violation for Publish to "\$JS\.API\.STREAM\.MSG\.GET\./,
    );
    await expect(jetstreamManager(a, { checkAPI: true })).rejects.toThrow(
      /Permissions Violation for Publish to "\$JS\.API\.INFO"/,
    );
    await waitFor('violations reported as status', () => errors.some((e) => /Publish to "\$JS\.API/.test(e.message)));
  });

  it('lets monitoring read everything and command rooms, but neither speak as a room nor change a stream', async () => {
    const errors = errorsOf(monitoring);
    monitoring.publish(subjects.telemetry('room-a'), '{"v":1}');
    monitoring.publish(subjects.stateKey('room-a'), '{"v":1}');
    await monitoring.flush();
    const jsm = await jetstreamManager(monitoring);
    await expect(jsm.streams.delete(EVENTS_STREAM)).rejects.toThrow(
      /Permissions Violation for Publish to "\$JS\.API\.STREAM\.DELETE/,
    );
    await expect(jsm.streams.purge(EVENTS_STREAM)).rejects.toThrow(/Permissions Violation/);
    expect((await jsm.streams.info(EVENTS_STREAM)).config.subjects).toEqual([subjects.allEvents]);
    await waitFor(
      'the two publish violations',
      () => errors.filter((e) => /Publish to "(diemcau|\$KV)/.test(e.message)).length === 2,
    );
  });

  it('stores a room’s event once: a replay with the same room:seq is dropped by the duplicate window', async () => {
    const a = await room('room-a');
    const publisher = new RoomPublisher(a, 'room-a');
    const event: RoomEvent = {
      v: 1,
      seq: 7,
      at: new Date().toISOString(),
      topic: 'power',
      severity: 'warning',
      alert: { key: 'on-battery', state: 'raised' },
      data: { onBattery: true, chargePct: 91 },
    };
    const first = await publisher.event(event);
    const replay = await publisher.event(event);
    expect(first).toMatchObject({ stream: EVENTS_STREAM, duplicate: false });
    expect(replay).toMatchObject({ stream: EVENTS_STREAM, duplicate: true, seq: first.seq });
    const next = await publisher.event({
      ...event,
      seq: 8,
      alert: { key: 'on-battery', state: 'cleared' },
      severity: 'info',
      data: { onBattery: false },
    });
    expect(next.seq).toBe(first.seq + 1);

    const jsm = await jetstreamManager(monitoring);
    const stored = await jsm.streams.getMessage(EVENTS_STREAM, { seq: first.seq });
    expect(stored?.header?.get('Nats-Msg-Id')).toBe('room-a:7');
    const parsed = parseRoomEventMessage(stored!.subject, stored!.data);
    expect(parsed).toMatchObject({ ok: true, value: { roomId: 'room-a', event: { seq: 7, topic: 'power' } } });
    expect((await jsm.streams.info(EVENTS_STREAM)).state.messages).toBe(2);
  });

  it('keeps each room’s latest state in the KV bucket, and its telemetry reaches monitoring', async () => {
    const a = await room('room-a');
    const publisher = new RoomPublisher(a, 'room-a');
    const samples: unknown[] = [];
    const sub = monitoring.subscribe(subjects.allTelemetry, {
      callback: (_e, msg) => void samples.push(parseTelemetry(msg.data)),
    });
    await monitoring.flush();
    const state: RoomState = roomState(new Date());
    await publisher.state(state);
    const revision = await publisher.state({ ...state, health: 'degraded', openAlerts: 1 });
    publisher.telemetry({ v: 1, at: new Date().toISOString(), seq: 1, full: false, ups: null });
    const kv = await new Kvm(monitoring).open(ROOMS_BUCKET);
    const entry = await kv.get('room-a');
    expect(entry?.revision).toBe(revision);
    expect(parseRoomState(entry!.value)).toMatchObject({ ok: true, value: { health: 'degraded', openAlerts: 1 } });
    await waitFor('the telemetry sample', () => samples.length === 1);
    expect(samples[0]).toMatchObject({ ok: true, value: { seq: 1, ups: null } });
    sub.unsubscribe();
  });

  it('answers monitoring’s commands: results, refusals and malformed requests each get a reply', async () => {
    const b = await room('room-b');
    const refused: string[] = [];
    const handlers: CommandHandlers = {
      ping: async () => ({ at: new Date().toISOString(), uptimeS: 12, version: '0.1.0' }),
      'run-readiness': async () => {
        throw new CommandRefused('busy', 'a readiness test is already running');
      },
      'push-schedule': async (args) => ({ created: args.sessions.length, updated: 0, cancelled: 0, ignored: 0 }),
      'recent-logs': async (args) => ({
        lines: Array.from({ length: args.lines }, (_, i) => `line ${i}`),
        truncated: false,
      }),
      reboot: async () => {
        throw new CommandRefused('refused', 'a session is live');
      },
      update: async () => {
        throw new CommandRefused('refused', 'a session is live');
      },
    };
    const sub = serveCommands(b, 'room-b', handlers, { onError: (e) => refused.push(e.code) });
    await b.flush();

    expect(await sendCommand(monitoring, 'room-b', 'ping', {})).toMatchObject({ ok: true, result: { uptimeS: 12 } });
    const startsAt = new Date(Date.now() + 86_400_000);
    const schedule = {
      sessions: [
        {
          fleetId: 'tinh-1',
          revision: 1,
          kind: 'periodic' as const,
          title: 'Tiếp công dân định kỳ',
          chairSite: { name: 'UBND tỉnh' },
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
        },
      ],
    };
    expect(await sendCommand(monitoring, 'room-b', 'push-schedule', schedule)).toMatchObject({
      ok: true,
      result: { created: 1 },
    });
    expect(await sendCommand(monitoring, 'room-b', 'recent-logs', { lines: 3 })).toMatchObject({
      ok: true,
      result: { lines: ['line 0', 'line 1', 'line 2'] },
    });
    expect(await sendCommand(monitoring, 'room-b', 'reboot', { reason: 'cập nhật' })).toMatchObject({
      ok: false,
      error: { code: 'refused', message: 'a session is live' },
    });
    expect(await sendCommand(monitoring, 'room-b', 'run-readiness', {})).toMatchObject({
      ok: false,
      error: { code: 'busy' },
    });

    // Straight on the wire, past the typed sender: garbage, an unknown field, a future version, an unknown command.
    const raw = async (subject: string, payload: string) =>
      JSON.parse(new TextDecoder().decode((await monitoring.request(subject, payload, { timeout: 5000 })).data));
    expect(await raw(subjects.command('room-b', 'ping'), 'not json')).toMatchObject({
      v: 1,
      id: null,
      ok: false,
      error: { code: 'malformed' },
    });
    expect(await raw(subjects.command('room-b', 'ping'), '{"v":1,"id":"r1","args":{"force":true}}')).toMatchObject({
      id: 'r1',
      ok: false,
      error: { code: 'malformed', message: expect.stringContaining('force') },
    });
    expect(await raw(subjects.command('room-b', 'ping'), '{"v":2,"id":"r2","args":{}}')).toMatchObject({
      id: 'r2',
      ok: false,
      error: { code: 'unsupported-version', message: expect.stringContaining('version 2 is not supported') },
    });
    expect(await raw('diemcau.v1.cmd.room-b.format-disk', '{"v":1,"id":"r3","args":{}}')).toMatchObject({
      id: 'r3',
      ok: false,
      error: { code: 'unknown-command' },
    });
    expect(
      await raw(
        subjects.command('room-b', 'push-schedule'),
        JSON.stringify({ v: 1, id: 'r4', args: { sessions: [], pad: 'x'.repeat(70_000) } }),
      ),
    ).toMatchObject({ id: null, ok: false, error: { code: 'too-large' } });
    expect(refused).toEqual([
      'refused',
      'busy',
      'malformed',
      'malformed',
      'unsupported-version',
      'unknown-command',
      'too-large',
    ]);

    // A room that is not connected: told at once, not after a timeout.
    await expect(sendCommand(monitoring, 'room-a', 'ping', {}, 2000)).rejects.toBeInstanceOf(RoomOffline);
    sub.unsubscribe();
  });

  it('refuses a server whose certificate another CA signed, and one whose certificate names another host', async () => {
    const user = await readUserCredential(layout.roomSeedFile('room-a'));
    /** A second server with the same config but another certificate. */
    const serverWith = async (name: string, cert: { certFile: string; keyFile: string }) => {
      const config = (await readFile(layout.configFile, 'utf8'))
        .replace(layout.certFile, cert.certFile)
        .replace(layout.keyFile, cert.keyFile)
        .replace(/store_dir: "[^"]+"/, `store_dir: "${join(dir, name, 'js')}"`);
      await writeFile(join(dir, name, 'nats-server.conf'), config);
      return startNatsServer({ configFile: join(dir, name, 'nats-server.conf') });
    };
    const otherCa = await createCa(join(dir, 'impostor'), 'Impostor CA');
    const impostor = await serverWith(
      'impostor',
      await createServerCertificate(join(dir, 'impostor'), otherCa, ['localhost', '127.0.0.1']),
    );
    const misnamed = await serverWith(
      'misnamed',
      await createServerCertificate(join(dir, 'misnamed'), { certFile: layout.caFile, keyFile: layout.caKeyFile }, [
        'central.example.vn',
      ]),
    );
    try {
      const at = (s: RunningNatsServer) => `wss://127.0.0.1:${s.websocketPort}`;
      await expect(
        connectRoom({ servers: at(impostor), credential: { roomId: 'room-a', user }, caFile: layout.caFile }),
      ).rejects.toThrow(/certificate/i);
      // Without a CA file the system's CAs apply, and they do not know a private CA either.
      await expect(connectRoom({ servers: at(impostor), credential: { roomId: 'room-a', user } })).rejects.toThrow(
        /certificate/i,
      );
      await expect(
        connectRoom({ servers: at(misnamed), credential: { roomId: 'room-a', user }, caFile: layout.caFile }),
      ).rejects.toThrow(/altnames|does not match/i);
      // The genuine server, for contrast.
      const nc = await connectRoom({ servers: url, credential: { roomId: 'room-a', user }, caFile: layout.caFile });
      await nc.close();
    } finally {
      await impostor.stop();
      await misnamed.stop();
    }
  });

  it('refuses ws:// to a host that is not this machine, before dialling', async () => {
    const user = await readUserCredential(layout.roomSeedFile('room-a'));
    await expect(
      connectRoom({ servers: 'ws://central.example.vn:8080', credential: { roomId: 'room-a', user } }),
    ).rejects.toThrow(/not encrypted/);
    await expect(
      connectRoom({ servers: 'nats://central.example.vn:4222', credential: { roomId: 'room-a', user } }),
    ).rejects.toThrow(/only wss/);
  });
});
