import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FleetHub } from '../../scripts/fleet-hub.js';
import { addConsoleUser, consoleClient } from '../support/console-client.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait.js';

const DENOUNCER = 'Nguyễn Thị Tố Giác';

/** The device's fleet link against the reference hub (scripts/fleet-hub.ts), both real, on 127.0.0.1. */
describe('fleet link', () => {
  let dir: string;
  let hub: FleetHub;
  let daemon: DaemonHandle | undefined;
  let config: string;

  beforeEach(async () => {
    dir = await makeTempDir('fleet');
    hub = await FleetHub.start({ devices: { 'sim-room': 'device-credential-1' } });
    writeFileSync(join(dir, 'credential'), 'device-credential-1\n', { mode: 0o600 });
    config = writeTestConfig(dir, (c) => (c.fleet = { enabled: true, url: hub.url, credentialFile: join(dir, 'credential') }));
  });
  afterEach(async () => {
    await daemon?.stop();
    daemon = undefined;
    await hub.close();
    await removeTempDir(dir);
  });

  const events = (topic: string) => hub.received.filter((r) => r.message.type === 'event' && r.message.topic === topic).map((r) => r.message);

  it('says hello, reports health and readiness, and takes a schedule pushed by the hub', async () => {
    daemon = await startDaemon(config);
    const hello = await waitFor('hello', () => hub.received.find((r) => r.message.type === 'hello'));
    expect(hello).toMatchObject({ device: 'sim-room', message: { protocol: 1, room: { id: 'sim-room', role: 'local' }, publicKey: { fingerprint: expect.stringMatching(/^sha256:/) } } });
    await waitFor('health', () => hub.received.find((r) => r.message.type === 'health' && r.message.data.devices.length === 6));

    const now = Date.now();
    const result = await hub.pushSchedule('sim-room', {
      sessions: [{ fleetId: 'tinh-2026-11', revision: 1, kind: 'periodic', title: 'Tiếp công dân định kỳ (lịch từ tỉnh)', chairSite: { name: 'UBND tỉnh' }, startsAt: new Date(now + 3_600_000).toISOString(), endsAt: new Date(now + 7_200_000).toISOString() }],
    });
    expect(result).toMatchObject({ ok: true, result: { created: 1 } });
    const current = (await (await fetch(`${daemon.kioskUrl}/api/session/current`)).json()) as any;
    expect(current.session.title).toBe('Tiếp công dân định kỳ (lịch từ tỉnh)');
    // A bad push is refused with a reason, and the link stays up.
    expect(await hub.pushSchedule('sim-room', { sessions: 'tomorrow' })).toMatchObject({ ok: false, error: expect.stringContaining('does not match') });

    const run = await fetch(`${daemon.kioskUrl}/api/readiness/run`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(run.status).toBeLessThan(300);
    const readiness = await waitFor('readiness event', () => events('readiness')[0], 60_000);
    expect(readiness.data.results.length).toBeGreaterThanOrEqual(10);
  });

  it('never sends a denouncer’s identity, only the fleet view of a session', async () => {
    await addConsoleUser(config, 'lanhdao', 'leader', 'mật khẩu lãnh đạo 1');
    daemon = await startDaemon(config);
    const leader = await consoleClient(daemon.consoleUrl, 'lanhdao', 'mật khẩu lãnh đạo 1');
    const now = Date.now();
    const { session } = await leader.post('/schedule', { kind: 'ad-hoc', title: 'Tiếp công dân đột xuất', chairSite: { name: 'UBND tỉnh' }, startsAt: new Date(now + 60_000).toISOString(), endsAt: new Date(now + 1_800_000).toISOString() }).then((r: any) => ('session' in r ? r : { session: r }));
    const created = await leader.post(`/schedule/${session.id}/cases`, { type: 'TC', summary: 'Tố cáo cán bộ xã' });
    const caseId = created.case?.id ?? created.id;
    await leader.post(`/cases/${caseId}/citizens`, { role: 'denouncer', identity: { name: DENOUNCER, idNumber: '087123456789', phone: '0912345678' } });
    await fetch(`${daemon.kioskUrl}/api/session/${session.id}/start`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await fetch(`${daemon.kioskUrl}/api/session/${session.id}/end`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await waitFor('session closed at the hub', () => events('session').find((e) => e.data.change.to === 'closed'));
    const everything = JSON.stringify(hub.received);
    for (const secret of [DENOUNCER, '087123456789', '0912345678']) expect(everything).not.toContain(secret);
    expect(events('session').map((e) => e.data.change.to)).toEqual(['live', 'ending', 'closed']);
  });

  // Two full readiness runs (about 6 s each, with a 5-second test recording) while the hub is away.
  it('queues events while the hub is away and delivers them in order when it returns', async () => {
    daemon = await startDaemon(config);
    await waitFor('connected', () => hub.connected('sim-room'));
    const port = Number(new URL(hub.url).port);
    await hub.close();
    for (let i = 0; i < 2; i++) {
      await fetch(`${daemon.kioskUrl}/api/readiness/run`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    }
    await waitFor('2 readiness runs finished', () => daemon!.logs.filter((l) => l.msg === 'readiness run finished').length >= 2, 90_000);
    hub = await FleetHub.start({ port, devices: { 'sim-room': 'device-credential-1' } });
    const delivered = await waitFor('2 queued readiness events', () => (events('readiness').length >= 2 ? events('readiness') : undefined), 60_000);
    const seqs = delivered.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(delivered.map((e) => e.data.trigger)).toEqual(delivered.map(() => expect.any(String)));
  }, 180_000);

  it('stays up without a fleet link when the credential file holds no usable token', async () => {
    writeFileSync(join(dir, 'credential'), 'chứng thư có dấu\n');
    daemon = await startDaemon(config);
    expect(daemon.logs.find((l) => l.msg === 'fleet link disabled: no usable device credential')?.err).toContain('not a bearer token');
    expect((await fetch(`${daemon.kioskUrl}/api/health`)).status).toBe(200);
  });

  it('stays up when the hub refuses its credential, and ignores malformed hub messages', async () => {
    writeFileSync(join(dir, 'credential'), 'wrong-credential\n');
    daemon = await startDaemon(config);
    await waitFor('refusal logged', () => daemon!.logs.find((l) => l.msg === 'fleet hub refused this device credential'));
    expect((await fetch(`${daemon.kioskUrl}/api/health`)).status).toBe(200);
    await daemon.stop();

    writeFileSync(join(dir, 'credential'), 'device-credential-1\n');
    daemon = await startDaemon(config);
    await waitFor('connected', () => hub.connected('sim-room'));
    hub.sendRaw('sim-room', '{"type":"format-disk"}');
    await waitFor('error reply', () => hub.received.find((r) => r.message.type === 'error'));
    const ping = hub.received.length;
    hub.sendRaw('sim-room', '{"type":"ping"}');
    await waitFor('health after ping', () => hub.received.slice(ping).find((r) => r.message.type === 'health'));
  });
});
