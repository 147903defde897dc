import { execFile } from 'node:child_process';
import { access, readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENTS_STREAM } from '../../kiosk/fleet/nats/subjects.js';
import { initCentral } from '../../scripts/central/central-dir.js';
import { loopbackCluster } from '../../scripts/central/cluster.js';
import { startCentralCluster, type CentralCluster } from '../support/central-cluster.js';
import { addConsoleUser, consoleClient } from '../support/console-client.js';
import { daemonsPerTest, writeTestConfig } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait.js';

const run = promisify(execFile);
const json = { 'content-type': 'application/json' };
const post = (url: string, body: unknown = {}) =>
  fetch(url, { method: 'POST', headers: json, body: JSON.stringify(body) });

/**
 * Central monitoring as a three-node JetStream cluster (scripts/central/cluster.ts), the real daemon in
 * simulation reporting to it: the node the room is on dies (SIGKILL) while sessions change state.
 */
describe('central NATS cluster', () => {
  const daemons = daemonsPerTest();
  let central: CentralCluster | undefined;
  afterEach(async () => {
    await central?.close();
    central = undefined;
  });

  it('a room whose node is killed moves to another node; every event is stored once, in order; KV is current; the node catches up when back', async () => {
    central = await startCentralCluster();
    const c = central;
    const dir = await daemons.folder('fleet-cluster');
    const config = writeTestConfig(dir, (cfg) => (cfg.fleet = c.fleetConfig()));
    await addConsoleUser(config, 'lanhdao', 'leader', 'mật khẩu lãnh đạo 1');
    const daemon = await daemons.start(config);
    const leader = await consoleClient(daemon.consoleUrl, 'lanhdao', 'mật khẩu lãnh đạo 1');
    await waitFor('the room state in KV', () => c.state());
    const first = await waitFor('the room on a node', () => c.nodeOf());

    const sessions: string[] = [];
    const session = async (i: number) => {
      const now = Date.now();
      const { session } = await leader
        .post('/schedule', {
          kind: 'ad-hoc',
          title: `Buổi tiếp ${i}`,
          chairSite: { name: 'UBND tỉnh' },
          startsAt: new Date(now + 60_000).toISOString(),
          endsAt: new Date(now + 1_800_000).toISOString(),
        })
        .then((r: any) => ('session' in r ? r : { session: r }));
      sessions.push(session.id);
      return session.id as string;
    };
    // One session live before the kill, its end and two more sessions after: events queued while the room has no node.
    const live = await session(1);
    expect((await post(`${daemon.kioskUrl}/api/session/${live}/start`)).status).toBe(200);
    await waitFor('live at central', async () => (await c.state())?.live?.sessionId === live);
    await c.cluster.kill(first);
    expect((await post(`${daemon.kioskUrl}/api/session/${live}/end`)).status).toBe(200);
    for (let i = 2; i <= 3; i++) {
      const id = await session(i);
      expect((await post(`${daemon.kioskUrl}/api/session/${id}/start`)).status).toBe(200);
      expect((await post(`${daemon.kioskUrl}/api/session/${id}/end`)).status).toBe(200);
    }
    expect((await post(`${daemon.kioskUrl}/api/readiness/run`)).status).toBeLessThan(300);

    const second = await waitFor(
      'the room on another node',
      async () => {
        const node = await c.nodeOf();
        return node !== undefined && node !== first ? node : undefined;
      },
      60_000,
    );
    expect(second).not.toBe(first);
    const [readiness] = await waitFor(
      'the readiness event',
      async () => {
        const runs = await c.events('readiness').catch(() => []);
        return runs.length ? runs : undefined;
      },
      90_000,
    );

    const events = await c.events();
    const changes = events
      .filter((e) => e.topic === 'session')
      .map((e) => [(e.data as any).change.sessionId, (e.data as any).change.to]);
    expect(changes).toEqual(
      sessions.flatMap((id) => [
        [id, 'live'],
        [id, 'ending'],
        [id, 'closed'],
      ]),
    );
    const seqs = events.map((e) => e.seq);
    expect(new Set(events.map((e) => e.msgId)).size).toBe(events.length);
    expect(events.every((e) => e.msgId === `sim-room:${e.seq}`)).toBe(true);
    // Contiguous and in order: nothing lost, nothing stored twice, across the node's death.
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));

    const state = await waitFor(
      'KV current after the failover',
      async () => {
        const s = await c.state();
        return s && s.lastReadiness?.runId === readiness!.data.id && s.live === null ? s : undefined;
      },
      30_000,
    );
    expect(state).toMatchObject({ live: null, lastReadiness: { kind: 'on-demand' } });

    // The killed node comes back on its own store and catches up from the two that kept going.
    await c.cluster.start(first);
    const lastSeq = events.at(-1)!.streamSeq;
    const replica = await waitFor(
      'the restarted node caught up',
      async () => {
        const r = await c.replica(first, EVENTS_STREAM);
        return r && r.lastSeq >= lastSeq ? r : undefined;
      },
      60_000,
    );
    expect(replica).toMatchObject({ lastSeq, messages: events.length });
    const kv = await waitFor(
      'the bucket on the restarted node',
      async () => {
        const r = await c.replica(first, 'KV_diemcau-rooms');
        return r && r.messages >= 1 ? r : undefined;
      },
      60_000,
    );
    expect(kv.messages).toBe(1);
  }, 240_000);
});

describe('central folder for a cluster', () => {
  let dir: string | undefined;
  afterEach(async () => {
    await removeTempDir(dir);
    dir = undefined;
  });

  it('writes one config per node (no single-server config), a route certificate that may dial, a route secret kept across runs', async () => {
    dir = await makeTempDir('central-cluster-dir');
    const spec = loopbackCluster(3, { websocket: 18443, cluster: 16222 });
    const { layout } = await initCentral({ dir, rooms: ['room-a'], cluster: spec });
    await expect(access(layout.configFile)).rejects.toThrow();
    const n2 = await readFile(layout.nodeConfigFile('n2'), 'utf8');
    expect(n2).toContain('server_name: "n2"');
    expect(n2).toContain(`store_dir: "${layout.nodeStoreDir('n2')}"`);
    expect(n2).toContain('advertise: "127.0.0.1:18444"');
    expect(n2).toMatch(/nats-route:\/\/route:[A-Za-z0-9_-]+@127\.0\.0\.1:16222/);
    expect(n2).not.toContain('127.0.0.1:16223"');
    expect((await stat(layout.routePasswordFile)).mode & 0o777).toBe(0o600);
    const usage = (await run('openssl', ['x509', '-in', layout.routeCertFile, '-noout', '-ext', 'extendedKeyUsage']))
      .stdout;
    expect(usage).toMatch(/TLS Web Server Authentication, TLS Web Client Authentication/);
    const secret = await readFile(layout.routePasswordFile, 'utf8');

    // Run again with another room: the registry remembers the cluster, the secret stays, every node admits the room.
    const again = await initCentral({ dir, rooms: ['room-b'] });
    expect(again.registry.cluster?.nodes.map((n) => n.name)).toEqual(['n1', 'n2', 'n3']);
    expect(await readFile(layout.routePasswordFile, 'utf8')).toBe(secret);
    const roomB = again.registry.rooms.find((r) => r.id === 'room-b')!.publicKey;
    for (const node of ['n1', 'n2', 'n3']) expect(await readFile(layout.nodeConfigFile(node), 'utf8')).toContain(roomB);
  });

  it('refuses a node whose host is not on the certificate (rooms could not verify it)', async () => {
    dir = await makeTempDir('central-cluster-dir');
    const spec = {
      name: 'tinh',
      nodes: ['a', 'b', 'c'].map((name, i) => ({
        name,
        host: `central-${i}.tinh.gov.vn`,
        websocketPort: 443,
        clusterPort: 6222,
      })),
    };
    await expect(
      initCentral({ dir, rooms: [], cluster: spec, tlsHosts: ['central-0.tinh.gov.vn', 'central-1.tinh.gov.vn'] }),
    ).rejects.toThrow(/c \(central-2\.tinh\.gov\.vn\).*--tls-host/);
  });
});
