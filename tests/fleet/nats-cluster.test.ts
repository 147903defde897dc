import { afterEach, describe, expect, it } from 'vitest';
import { EVENTS_STREAM } from '../../kiosk/fleet/nats/subjects.js';
import { startCentralCluster, type CentralCluster } from '../support/central-cluster.js';
import { addConsoleUser, consoleClient } from '../support/console-client.js';
import { daemonsPerTest, writeTestConfig } from '../support/daemon.js';
import { waitFor } from '../support/wait.js';

const json = { 'content-type': 'application/json' };
const post = (url: string, body: unknown = {}) => fetch(url, { method: 'POST', headers: json, body: JSON.stringify(body) });

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
        .post('/schedule', { kind: 'ad-hoc', title: `Buổi tiếp ${i}`, chairSite: { name: 'UBND tỉnh' }, startsAt: new Date(now + 60_000).toISOString(), endsAt: new Date(now + 1_800_000).toISOString() })
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

    const second = await waitFor('the room on another node', async () => {
      const node = await c.nodeOf();
      return node !== undefined && node !== first ? node : undefined;
    }, 60_000);
    expect(second).not.toBe(first);
    const [readiness] = await waitFor('the readiness event', async () => {
      const runs = await c.events('readiness').catch(() => []);
      return runs.length ? runs : undefined;
    }, 90_000);

    const events = await c.events();
    const changes = events.filter((e) => e.topic === 'session').map((e) => [(e.data as any).change.sessionId, (e.data as any).change.to]);
    expect(changes).toEqual(sessions.flatMap((id) => [[id, 'live'], [id, 'ending'], [id, 'closed']]));
    const seqs = events.map((e) => e.seq);
    expect(new Set(events.map((e) => e.msgId)).size).toBe(events.length);
    expect(events.every((e) => e.msgId === `sim-room:${e.seq}`)).toBe(true);
    // Contiguous and in order: nothing lost, nothing stored twice, across the node's death.
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));

    const state = await waitFor('KV current after the failover', async () => {
      const s = await c.state();
      return s && s.lastReadiness?.runId === readiness!.data.id && s.live === null ? s : undefined;
    }, 30_000);
    expect(state).toMatchObject({ live: null, lastReadiness: { kind: 'on-demand' } });

    // The killed node comes back on its own store and catches up from the two that kept going.
    await c.cluster.start(first);
    const lastSeq = events.at(-1)!.streamSeq;
    const replica = await waitFor('the restarted node caught up', async () => {
      const r = await c.replica(first, EVENTS_STREAM);
      return r && r.lastSeq >= lastSeq ? r : undefined;
    }, 60_000);
    expect(replica).toMatchObject({ lastSeq, messages: events.length });
    const kv = await waitFor('the bucket on the restarted node', async () => {
      const r = await c.replica(first, 'KV_diemcau-rooms');
      return r && r.messages >= 1 ? r : undefined;
    }, 60_000);
    expect(kv.messages).toBe(1);
  }, 240_000);
});
