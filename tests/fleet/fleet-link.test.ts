import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCentral, type Central } from '../support/central.js';
import { addConsoleUser, consoleClient } from '../support/console-client.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { waitFor } from '../support/wait.js';

const DENOUNCER = 'Nguyễn Thị Tố Giác';
const json = { 'content-type': 'application/json' };
const post = (url: string, body: unknown = {}) =>
  fetch(url, { method: 'POST', headers: json, body: JSON.stringify(body) });

/** The device's link to central monitoring: the built daemon against a real nats-server (scripts/central), both on 127.0.0.1. */
describe('fleet link over NATS', () => {
  let dir: string;
  let central: Central;
  let daemon: DaemonHandle | undefined;
  let config: string;

  beforeEach(async () => {
    dir = await makeTempDir('fleet');
    central = await startCentral();
    config = writeTestConfig(dir, (c) => (c.fleet = central.fleetConfig()));
  });
  afterEach(async () => {
    await daemon?.stop();
    daemon = undefined;
    await central.close();
    await removeTempDir(dir);
  });

  it('writes its state to KV, reports readiness as an event and answers commands (ping, push-schedule, reboot, recent-logs)', async () => {
    daemon = await startDaemon(config);
    const state = await waitFor('the room state in KV', () => central.state());
    expect(state).toMatchObject({ v: 1, health: expect.stringMatching(/^(ok|degraded)$/), live: null, openAlerts: 0 });

    const ping = await central.command('ping', {});
    expect(ping).toMatchObject({ ok: true, result: { version: expect.any(String) } });

    const now = Date.now();
    const pushed = await central.command('push-schedule', {
      sessions: [
        {
          fleetId: 'tinh-2026-11',
          revision: 1,
          kind: 'periodic',
          title: 'Tiếp công dân định kỳ (lịch từ tỉnh)',
          chairSite: { name: 'UBND tỉnh' },
          startsAt: new Date(now + 3_600_000).toISOString(),
          endsAt: new Date(now + 7_200_000).toISOString(),
        },
      ],
    });
    expect(pushed).toMatchObject({ ok: true, result: { created: 1 } });
    const current = (await (await fetch(`${daemon.kioskUrl}/api/session/current`)).json()) as any;
    expect(current.session.title).toBe('Tiếp công dân định kỳ (lịch từ tỉnh)');
    // A malformed push is answered with an error reply, and the room keeps serving.
    expect(
      await central.rawCommand('push-schedule', '{"v":1,"id":"r-bad","args":{"sessions":"tomorrow"}}'),
    ).toMatchObject({ v: 1, id: 'r-bad', ok: false, error: { code: 'malformed' } });
    expect(await central.rawCommand('format-disk', '{"v":1,"id":"r-x","args":{}}')).toMatchObject({
      ok: false,
      error: { code: 'unknown-command' },
    });
    expect(await central.command('ping', {})).toMatchObject({ ok: true });
    // The daemon's own journal lines, newest last, each a JSON line as journald has it.
    const logs = await central.command('recent-logs', { lines: 50 });
    if (!logs.ok) throw new Error(`recent-logs refused: ${logs.error.message}`);
    expect(logs.result.lines.length).toBeGreaterThan(5);
    expect(logs.result.lines.length).toBeLessThanOrEqual(50);
    expect(logs.result.lines.map((line) => JSON.parse(line).msg)).toContain('ready');
    expect(JSON.stringify(logs)).not.toContain(readFileSync(central.credentialFile(), 'utf8').trim());
    // Reboot with nothing live: accepted; the test config's rebootCommand is [] (simulation), so nothing happens.
    expect(await central.command('reboot', { reason: 'thử' })).toMatchObject({
      ok: true,
      result: { at: expect.any(String) },
    });
    await waitFor('the no-op reboot logged', () =>
      daemon!.logs.find((l) => l.msg === 'reboot not performed: fleet.rebootCommand is empty (simulation)'),
    );

    const run = await post(`${daemon.kioskUrl}/api/readiness/run`);
    expect(run.status).toBeLessThan(300);
    const [readiness] = await waitFor(
      'readiness event',
      async () => ((await central.events('readiness')).length ? central.events('readiness') : undefined),
      60_000,
    );
    expect(readiness!.data.results).toHaveLength(10);
    expect(readiness!.msgId).toBe(`sim-room:${readiness!.seq}`);
    const after = await waitFor(
      'last readiness in KV',
      async () => (await central.state())?.lastReadiness ?? undefined,
    );
    expect(after).toMatchObject({ runId: readiness!.data.id, kind: 'on-demand' });

    // The same test asked for by central monitoring: run, stored (trigger fleet) and answered.
    const remote = await central.command('run-readiness', {}, { timeoutMs: 120_000 });
    if (!remote.ok) throw new Error(`run-readiness refused: ${remote.error.code} ${remote.error.message}`);
    expect(remote.result.overall).toMatch(/^(pass|warn|fail)$/);
    const stored = (await (await fetch(`${daemon.kioskUrl}/api/readiness/latest`)).json()) as any;
    expect(JSON.stringify(stored)).toContain(remote.result.runId);
  }, 240_000);

  it('never sends a denouncer’s identity (every message on the server captured), and refuses a reboot while live', async () => {
    await addConsoleUser(config, 'lanhdao', 'leader', 'mật khẩu lãnh đạo 1');
    daemon = await startDaemon(config);
    const leader = await consoleClient(daemon.consoleUrl, 'lanhdao', 'mật khẩu lãnh đạo 1');
    const now = Date.now();
    const { session } = await leader
      .post('/schedule', {
        kind: 'ad-hoc',
        title: 'Tiếp công dân đột xuất',
        chairSite: { name: 'UBND tỉnh' },
        startsAt: new Date(now + 60_000).toISOString(),
        endsAt: new Date(now + 1_800_000).toISOString(),
      })
      .then((r: any) => ('session' in r ? r : { session: r }));
    const created = await leader.post(`/schedule/${session.id}/cases`, { type: 'TC', summary: 'Tố cáo cán bộ xã' });
    const caseId = created.case?.id ?? created.id;
    await leader.post(`/cases/${caseId}/citizens`, {
      role: 'denouncer',
      identity: { name: DENOUNCER, idNumber: '087123456789', phone: '0912345678' },
    });
    await post(`${daemon.kioskUrl}/api/session/${session.id}/start`);
    const live = await waitFor('live in KV', async () => (await central.state())?.live ?? undefined);
    expect(live.sessionId).toBe(session.id);
    expect(await central.command('reboot', { reason: 'thử' })).toMatchObject({
      ok: false,
      error: { code: 'refused', message: expect.stringContaining('live') },
    });
    await post(`${daemon.kioskUrl}/api/session/${session.id}/end`);
    await waitFor('session closed at central', async () =>
      (await central.events('session')).find((e) => (e.data as any).change.to === 'closed'),
    );
    expect((await central.events('session')).map((e) => (e.data as any).change.to)).toEqual([
      'live',
      'ending',
      'closed',
    ]);
    await waitFor('not live in KV', async () => (await central.state())?.live === null);
    // The journal's newest lines leave the room too: after a case with a denouncer, still no identity.
    expect(await central.command('recent-logs', { lines: 1000 })).toMatchObject({ ok: true });
    const everything = JSON.stringify(central.captured());
    expect(central.captured().some((m) => m.subject.startsWith('diemcau.v1.room.sim-room.event.session'))).toBe(true);
    for (const secret of [DENOUNCER, '087123456789', '0912345678']) expect(everything).not.toContain(secret);
  }, 60_000);

  // The 30 s: longer than nats.js's default reconnect budget (10 attempts × 2 s), so it shows the room reconnects forever.
  it('keeps events while nats-server is stopped for 30 s and delivers them all, in order, none duplicated', async () => {
    await addConsoleUser(config, 'lanhdao', 'leader', 'mật khẩu lãnh đạo 1');
    daemon = await startDaemon(config);
    const leader = await consoleClient(daemon.consoleUrl, 'lanhdao', 'mật khẩu lãnh đạo 1');
    await waitFor('the room state in KV', () => central.state());
    const before = (await central.events()).length;
    await central.stopServer();
    const stoppedAt = Date.now();
    // Events while central is down: two sessions (live, ending, closed each), then a readiness run.
    for (let i = 0; i < 2; i++) {
      const now = Date.now();
      const { session } = await leader
        .post('/schedule', {
          kind: 'ad-hoc',
          title: `Buổi tiếp ${i + 1}`,
          chairSite: { name: 'UBND tỉnh' },
          startsAt: new Date(now + 60_000).toISOString(),
          endsAt: new Date(now + 1_800_000).toISOString(),
        })
        .then((r: any) => ('session' in r ? r : { session: r }));
      expect((await post(`${daemon.kioskUrl}/api/session/${session.id}/start`)).status).toBe(200);
      expect((await post(`${daemon.kioskUrl}/api/session/${session.id}/end`)).status).toBe(200);
    }
    expect((await post(`${daemon.kioskUrl}/api/readiness/run`)).status).toBeLessThan(300);
    await waitFor(
      'the readiness run finished',
      () => daemon!.logs.find((l) => l.msg === 'readiness run finished'),
      60_000,
    );
    const waited = 30_000 - (Date.now() - stoppedAt);
    if (waited > 0) await new Promise((resolve) => setTimeout(resolve, waited));
    const outage = Date.now() - stoppedAt;
    await central.startServer();
    const backAt = Date.now();
    // The monitoring connection reconnects too: a read that fails meanwhile is retried.
    await waitFor(
      'the queued readiness event',
      async () => ((await central.events('readiness').catch(() => [])).length ? true : undefined),
      60_000,
    );
    const delivered = await central.events();
    expect(delivered.length - before).toBeGreaterThanOrEqual(7);
    expect(delivered.filter((e) => e.topic === 'session').map((e) => (e.data as any).change.to)).toEqual([
      'live',
      'ending',
      'closed',
      'live',
      'ending',
      'closed',
    ]);
    const seqs = delivered.map((e) => e.seq);
    console.log(
      `outage ${outage} ms; ${delivered.length} events in the stream; the backlog delivered ${Date.now() - backAt} ms after the server was back`,
    );
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(delivered.map((e) => e.msgId)).size).toBe(delivered.length);
    expect(delivered.every((e) => e.msgId === `sim-room:${e.seq}`)).toBe(true);
    // Contiguous: no outbox entry lost between the first and the last.
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
  }, 180_000);

  it('stays up without a fleet link when the credential file holds no usable seed', async () => {
    writeFileSync(join(dir, 'credential'), 'chứng thư có dấu\n');
    config = writeTestConfig(
      dir,
      (c) => (c.fleet = { ...central.fleetConfig(), credentialFile: join(dir, 'credential') }),
    );
    daemon = await startDaemon(config);
    expect(daemon.logs.find((l) => l.msg === 'fleet link disabled: no usable room credential')?.err).toContain(
      join(dir, 'credential'),
    );
    expect((await fetch(`${daemon.kioskUrl}/api/health`)).status).toBe(200);
  });

  it('stays up when central refuses its credential (another room’s seed)', async () => {
    await central.close();
    central = await startCentral({ rooms: ['sim-room', 'room-b'] });
    config = writeTestConfig(
      dir,
      (c) => (c.fleet = { ...central.fleetConfig(), credentialFile: central.credentialFile('room-b') }),
    );
    daemon = await startDaemon(config);
    // room-b's key under sim-room's inbox: connected, but nothing it may do as sim-room; the room keeps running.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await central.state()).toBeUndefined();
    expect((await fetch(`${daemon.kioskUrl}/api/health`)).status).toBe(200);
  });
});
