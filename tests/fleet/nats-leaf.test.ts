import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { NoRespondersError } from '@nats-io/nats-core';
import { jetstreamManager } from '@nats-io/jetstream';
import { parseTelemetry } from '../../kiosk/fleet/nats/telemetry.js';
import { EVENTS_STREAM, subjects } from '../../kiosk/fleet/nats/subjects.js';
import { RoomPublisher } from '../../kiosk/fleet/nats/publish.js';
import { RoomOffline, sendCommand } from '../../scripts/central/commands.js';
import { EVENTS_ALL_STREAM, nationalServerConfig, provinceOutboundStream } from '../../scripts/central/leaf.js';
import { provinceLeafFiles } from '../../scripts/central/national-dir.js';
import { startCentralLeaf, type CentralLeaf, type LeafStoredEvent } from '../support/central-leaf.js';
import { daemonsPerTest, writeTestConfig } from '../support/daemon.js';
import { waitFor } from '../support/wait.js';

const run = promisify(execFile);
const json = { 'content-type': 'application/json' };
const post = (url: string, body: unknown = {}) =>
  fetch(url, { method: 'POST', headers: json, body: JSON.stringify(body) });
const decoder = new TextDecoder();

/** Every msg id of a stream, checking none is there twice. */
const msgIds = (events: LeafStoredEvent[]) => {
  const ids = events.map((e) => e.msgId);
  expect(new Set(ids).size).toBe(ids.length);
  return ids;
};

/**
 * The nation over leaf nodes (README "The nation"; scripts/central/leaf.ts): two provinces, each its
 * own nats-server with JetStream domain and a leaf link to the national server; the real daemon in
 * simulation reports to province tinh-a as sim-room, province tinh-b has room-b.
 */
describe('central NATS: provinces as leaf nodes of the nation', () => {
  const daemons = daemonsPerTest();
  let leaf: CentralLeaf | undefined;
  afterEach(async () => {
    await leaf?.close();
    leaf = undefined;
  });

  it('events reach the national stream once with their msg id, commands and telemetry cross the leaf, a province is confined, an outage of the nation is caught up', async () => {
    leaf = await startCentralLeaf([
      { name: 'tinh-a', rooms: ['sim-room', 'room-a2'] },
      { name: 'tinh-b', rooms: ['room-b'] },
    ]);
    const l = leaf;
    const a = l.provinces.get('tinh-a')!;
    const b = l.provinces.get('tinh-b')!;
    const national = l.national.monitoring;
    // Every generated config passes nats-server 2.9's own check.
    for (const file of [
      l.national.layout.configFile,
      provinceLeafFiles(a.layout).configFile,
      provinceLeafFiles(b.layout).configFile,
    ]) {
      await expect(run('nats-server', ['-t', '-c', file])).resolves.toBeDefined();
    }
    await waitFor('both provinces linked', async () => (await l.national.leafs()) === 2, 30_000);

    const dir = await daemons.folder('fleet-leaf');
    const config = writeTestConfig(
      dir,
      (c) => (c.fleet = { ...a.fleetConfig('sim-room'), telemetry: { intervalSeconds: 1, fullEveryMinutes: 60 } }),
    );
    const telemetry: { room: string; data: string }[] = [];
    national.subscribe(subjects.allTelemetry, {
      callback: (_e, msg) => void telemetry.push({ room: msg.subject.split('.')[3]!, data: decoder.decode(msg.data) }),
    });
    await national.flush();
    const daemon = await daemons.start(config);
    await waitFor('the room state in the province KV', () => a.state('sim-room'));

    // A command from the nation reaches the room through its province (interest crosses the leaf a moment after the room subscribes).
    const ping = await waitFor(
      'a national ping answered',
      () =>
        sendCommand(national, 'sim-room', 'ping', {}, 5000).catch((error) =>
          error instanceof RoomOffline ? undefined : Promise.reject(error),
        ),
      30_000,
    );
    expect(ping).toMatchObject({ ok: true, result: { version: expect.any(String) } });
    const sample = await waitFor(
      'the room’s telemetry at the nation',
      () => telemetry.find((t) => t.room === 'sim-room'),
      30_000,
    );
    expect(parseTelemetry(sample.data).ok).toBe(true);

    // A readiness run: stored in the province's stream, then copied to the national stream with the same msg id.
    expect((await post(`${daemon.kioskUrl}/api/readiness/run`)).status).toBeLessThan(300);
    const [inProvince] = await waitFor(
      'the readiness event in tinh-a',
      async () =>
        (await a.events()).filter((e) => e.topic === 'readiness').length
          ? (await a.events()).filter((e) => e.topic === 'readiness')
          : undefined,
      60_000,
    );
    const [atNation] = await waitFor(
      'the readiness event at the nation',
      async () =>
        (await l.national.events()).filter((e) => e.topic === 'readiness').length
          ? (await l.national.events()).filter((e) => e.topic === 'readiness')
          : undefined,
      30_000,
    );
    expect(inProvince!.msgId).toBe(`sim-room:${inProvince!.seq}`);
    expect(atNation).toMatchObject({
      msgId: inProvince!.msgId,
      seq: inProvince!.seq,
      roomId: 'sim-room',
      data: { id: inProvince!.data.id },
    });
    // The copy names its origin: the national service can check a room against the province it came from.
    expect(atNation!.source).toMatch(/^DIEMCAU_EVENTS_TINH_A[: ]/);
    console.log(`Nats-Stream-Source at the nation: ${atNation!.source}`);
    console.log(
      `readiness event: stored in tinh-a → stored in ${EVENTS_ALL_STREAM} ${atNation!.storedAt.getTime() - inProvince!.storedAt.getTime()} ms`,
    );
    const provinceIds = msgIds(await a.events());
    await waitFor(
      'every province event at the nation',
      async () => (await l.national.events()).length >= provinceIds.length,
    );
    expect(msgIds(await l.national.events())).toEqual(provinceIds);

    // Confinement. tinh-b's admin (every permission in its own account) speaks for tinh-a's room: the nation never
    // hears it, while room-b's sample on the same connection, sent after it, arrives. (Sent until one arrives:
    // the national subscription's interest reaches tinh-b a moment after the link.)
    const genuine = await waitFor(
      'room-b’s telemetry at the nation',
      async () => {
        b.admin.publish(subjects.telemetry('sim-room'), 'forged by tinh-b');
        b.admin.publish(subjects.telemetry('room-b'), 'room-b from tinh-b');
        await b.admin.flush();
        return telemetry.find((t) => t.room === 'room-b');
      },
      30_000,
    );
    expect(genuine.data).toBe('room-b from tinh-b');
    expect(telemetry.filter((t) => t.data === 'forged by tinh-b')).toEqual([]);
    // tinh-b cannot reach tinh-a's room either: nobody in tinh-b's account answers its commands.
    const fromB = await b.admin.request(subjects.command('sim-room', 'ping'), '{}', { timeout: 5000 }).then(
      () => 'answered',
      (error: unknown) =>
        error instanceof NoRespondersError || (error as { cause?: unknown }).cause instanceof NoRespondersError
          ? 'no responders'
          : String(error),
    );
    expect(fromB).toBe('no responders');
    // Nor hear what tinh-a's rooms send the nation. tinh-b listens to everything; the nation's commands to room-b
    // reach it (so the path to it is live), then a sample of sim-room reaches the nation, and tinh-b heard none of sim-room's.
    const heardByB: string[] = [];
    b.admin.subscribe('diemcau.v1.>', { callback: (_e, msg) => void heardByB.push(msg.subject) });
    await b.admin.flush();
    await waitFor(
      'a national command heard in tinh-b',
      async () => {
        national.publish(subjects.command('room-b', 'ping'), '{}');
        await national.flush();
        return heardByB.includes(subjects.command('room-b', 'ping'));
      },
      30_000,
    );
    const seen = telemetry.filter((t) => t.room === 'sim-room').length;
    await waitFor(
      'a sample of sim-room at the nation',
      async () => {
        a.admin.publish(subjects.telemetry('sim-room'), 'from tinh-a');
        await a.admin.flush();
        return telemetry.filter((t) => t.room === 'sim-room').length > seen;
      },
      30_000,
    );
    expect(heardByB.filter((subject) => subject.includes('sim-room'))).toEqual([]);

    // The nation goes away: the room keeps reporting to its province; when the nation is back, the source catches up.
    await l.national.stop();
    await waitFor('tinh-a without its leaf link', async () => (await a.leafs()) === 0, 30_000);
    const before = (await a.events()).length;
    expect((await post(`${daemon.kioskUrl}/api/readiness/run`)).status).toBeLessThan(300);
    await waitFor(
      'the readiness run finished',
      () => daemon.logs.filter((line) => line.msg === 'readiness run finished').length >= 2,
      60_000,
    );
    const during = await waitFor(
      'the second run stored in tinh-a',
      async () => {
        const events = await a.events();
        return events.filter((e) => e.topic === 'readiness').length >= 2 ? events : undefined;
      },
      60_000,
    );
    expect(during.length).toBeGreaterThan(before);
    const secondRun = during.filter((e) => e.topic === 'readiness')[1]!.data.id;
    await waitFor(
      'the province KV current without the nation',
      async () => (await a.state('sim-room'))?.lastReadiness?.runId === secondRun,
      30_000,
    );

    // And a backlog bigger than the source's flow-control window (without the $JS.FC import it stalled at 3,550 of
    // 50,000 events here): a second room of tinh-a publishes 4,000 events of about 1 KB through the room's own publisher.
    const BACKLOG = 4000;
    const roomA2 = new RoomPublisher(a.admin, 'room-a2');
    for (let seq = 1; seq <= BACKLOG; seq++) {
      await roomA2.event({
        v: 1,
        seq,
        at: new Date().toISOString(),
        topic: 'disk',
        severity: 'info',
        data: { note: 'đĩa '.repeat(200) },
      });
    }

    await l.national.start();
    const backAt = Date.now();
    const all = msgIds(await a.events());
    // Counted from the stream's info (reading 4,000 messages one by one would be in the figure otherwise).
    await waitFor(
      'the national stream caught up',
      async () => {
        const info = await (await jetstreamManager(national)).streams.info(EVENTS_ALL_STREAM).catch(() => undefined);
        return info !== undefined && info.state.messages >= all.length;
      },
      60_000,
    );
    console.log(
      `national back: ${all.length - provinceIds.length} events of the outage (${BACKLOG} of them room-a2's backlog) in ${EVENTS_ALL_STREAM} ${Date.now() - backAt} ms after the restart`,
    );
    const caughtUp = await l.national.events();
    expect(msgIds(caughtUp)).toEqual(all);
    expect(caughtUp.map((e) => e.msgId)).toEqual(caughtUp.map((e) => `${e.roomId}:${e.seq}`));
    expect(caughtUp.filter((e) => e.roomId === 'room-a2')).toHaveLength(BACKLOG);

    // Events carry no Nats-Expected-Stream any more: the room refuses an ack from any stream but DIEMCAU_EVENTS
    // (a misconfigured province, here tinh-b with its events captured by another stream), so its outbox keeps the event.
    const bj = await jetstreamManager(b.admin);
    await bj.streams.delete(provinceOutboundStream('tinh-b'));
    await bj.streams.delete(EVENTS_STREAM);
    await bj.streams.add({ name: 'NOT_THE_EVENTS', subjects: [subjects.allEvents] });
    await expect(
      new RoomPublisher(b.admin, 'room-b').event({
        v: 1,
        seq: 1,
        at: new Date().toISOString(),
        topic: 'disk',
        severity: 'info',
        data: {},
      }),
    ).rejects.toThrow(/stored by stream NOT_THE_EVENTS, not DIEMCAU_EVENTS/);
  }, 240_000);

  it('refuses a room in two provinces, and a leaf password that could not travel in the remote URL', () => {
    const base = {
      serverName: 'quocgia',
      client: { host: '127.0.0.1', port: -1 },
      websocket: { host: '127.0.0.1', port: 8443, certFile: 'c', keyFile: 'k' },
      leafnodes: { host: '0.0.0.0', port: 7422, certFile: 'c', keyFile: 'k' },
      jetstream: { storeDir: '/tmp/js', maxFileBytes: 1, maxMemoryBytes: 1 },
      monitoring: [],
      admin: [],
    };
    const password = 'a'.repeat(32);
    expect(() =>
      nationalServerConfig({
        ...base,
        provinces: [
          { name: 'tinh-a', password, rooms: ['r1'] },
          { name: 'tinh-b', password, rooms: ['r1'] },
        ],
      }),
    ).toThrow(/r1 is in both tinh-a and tinh-b/);
    expect(() =>
      nationalServerConfig({ ...base, provinces: [{ name: 'tinh-a', password: 'p@ss/word', rooms: [] }] }),
    ).toThrow(/leaf password/);
    const text = nationalServerConfig({ ...base, provinces: [{ name: 'tinh-a', password, rooms: ['r1'] }] });
    // Only the province's own rooms and the one JetStream call the source needs are exported from its account.
    expect(text).toContain('stream: "diemcau.v1.room.r1.>"');
    expect(text).toContain('service: "$JS.tinh-a.API.CONSUMER.CREATE.DIEMCAU_EVENTS_TINH_A"');
    expect(text).toContain('service: "$JS.FC.DIEMCAU_EVENTS_TINH_A.>"');
    expect(text).not.toContain('diemcau.v1.room.>"');
    expect(text).not.toContain('$JS.tinh-a.API.>');
  });
});
