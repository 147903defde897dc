import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NutHarness } from '../../hal/ups/nut/nut-harness.js';
import { startCentral, type Central } from '../support/central.js';
import { addConsoleUser, consoleClient } from '../support/console-client.js';
import { daemonsPerTest, writeTestConfig, type DaemonHandle } from '../support/daemon.js';
import { waitFor } from '../support/wait.js';

const DENOUNCER = 'Trần Văn Tố Giác';
const TITLE = 'Tiếp công dân về đất đai xã Hòa Bình';
const CASE_SUMMARY = 'Tố cáo cán bộ địa chính';
const ROOM_NAME = 'Phòng tiếp công dân UBND xã Hòa Bình';

/** The room's KV state and its events' ids, from the built daemon to a real nats-server (scripts/central). */
describe('fleet room state over NATS', () => {
  const daemons = daemonsPerTest();
  let central: Central;
  let ups: NutHarness | undefined;

  beforeEach(async () => {
    central = await startCentral();
    ups = await NutHarness.start({ upsName: 'sim' });
  });
  afterEach(async () => {
    await ups?.stop();
    ups = undefined;
    await central.close();
  });

  const configWith = (dir: string, upsDriver: 'harness' | 'sim' = 'harness') =>
    writeTestConfig(dir, (c) => {
      c.room.name = ROOM_NAME;
      c.fleet = central.fleetConfig();
      c.hal.ups =
        upsDriver === 'harness'
          ? { driver: 'nut', host: '127.0.0.1', port: ups!.port, upsName: 'sim', pollMs: 500 }
          : { driver: 'sim' };
    });
  /** A state the daemon wrote after `since` (so not the previous daemon's) that passes `test`. */
  const stateAfter = (
    since: number,
    test: (s: NonNullable<Awaited<ReturnType<Central['state']>>>) => boolean,
    what = 'the room state',
  ) =>
    waitFor(
      what,
      async () => {
        const state = await central.state();
        return state && Date.parse(state.at) >= since && test(state) ? state : undefined;
      },
      60_000,
    );

  it('shows the next session by id and time with its 2-hour test outcome, and the room’s name; no identity in any message', async () => {
    const dir = await daemons.folder('room-state');
    const config = configWith(dir, 'sim');
    await addConsoleUser(config, 'lanhdao', 'leader', 'mật khẩu lãnh đạo 1');
    const daemon = await daemons.start(config);
    const first = await stateAfter(0, () => true);
    expect(first).toMatchObject({ nextSession: null, openAlerts: 0, roomName: ROOM_NAME });

    const leader = await consoleClient(daemon.consoleUrl, 'lanhdao', 'mật khẩu lãnh đạo 1');
    const startsAt = new Date(Date.now() + 90 * 60_000).toISOString();
    const created = await leader.post('/schedule', {
      kind: 'periodic',
      title: TITLE,
      chairSite: { name: 'UBND huyện' },
      startsAt,
      endsAt: new Date(Date.now() + 150 * 60_000).toISOString(),
    });
    const session = 'session' in created ? created.session : created;
    const addedCase = await leader.post(`/schedule/${session.id}/cases`, { type: 'TC', summary: CASE_SUMMARY });
    await leader.post(`/cases/${addedCase.case?.id ?? addedCase.id}/citizens`, {
      role: 'denouncer',
      identity: { name: DENOUNCER, idNumber: '001099012345', phone: '0987654321' },
    });

    const scheduled = await stateAfter(0, (s) => s.nextSession?.sessionId === session.id, 'the next session in KV');
    expect(scheduled.nextSession).toEqual({
      sessionId: session.id,
      startsAt: new Date(startsAt).toISOString(),
      readiness: { dayBefore: null, twoHours: null },
    });

    // 90 minutes ahead, the 2-hour window is open: the scheduler runs that test on its next tick (every 30 s).
    const [run] = await waitFor(
      'the two-hours readiness event',
      async () => ((await central.events('readiness')).length ? central.events('readiness') : undefined),
      90_000,
    );
    expect(run!.data).toMatchObject({ sessionId: session.id, kind: 'two-hours' });
    const tested = await stateAfter(0, (s) => s.nextSession?.readiness.twoHours !== null, 'the 2-hour outcome in KV');
    expect(tested.nextSession).toEqual({
      sessionId: session.id,
      startsAt: new Date(startsAt).toISOString(),
      readiness: { dayBefore: null, twoHours: (run!.data as any).overall },
    });
    expect(tested.lastReadiness).toMatchObject({ kind: 'two-hours', runId: (run!.data as any).id });

    // No identity in anything the server carried. The session's title is part of its fleet view in `session` events (schema.md),
    // but never in the state or telemetry: those carry sessions by id and time only.
    const everything = JSON.stringify(central.captured());
    for (const secret of [DENOUNCER, '001099012345', '0987654321', CASE_SUMMARY])
      expect(everything).not.toContain(secret);
    const stateAndTelemetry = central
      .captured()
      .filter((m) => m.subject === '$KV.diemcau-rooms.sim-room' || m.subject.endsWith('.telemetry'));
    expect(stateAndTelemetry.length).toBeGreaterThan(2);
    expect(JSON.stringify(stateAndTelemetry)).not.toContain(TITLE);
  }, 150_000);

  it('counts an alert raised then cleared (1 → 0), and keeps one still open across a restart', async () => {
    const dir = await daemons.folder('room-state');
    let daemon: DaemonHandle = await daemons.start(configWith(dir));
    await stateAfter(0, (s) => s.openAlerts === 0);
    await ups!.setVariables({ 'ups.status': 'OB DISCHRG' });
    await stateAfter(0, (s) => s.openAlerts === 1, 'one open alert (on battery)');
    await ups!.setVariables({ 'ups.status': 'OL CHRG' });
    await stateAfter(0, (s) => s.openAlerts === 0, 'no open alert (power restored)');
    await ups!.setVariables({ 'ups.status': 'OB DISCHRG' });
    await stateAfter(0, (s) => s.openAlerts === 1, 'one open alert again');
    const power = (await central.events('power')).map((e) => e.alert);
    expect(power).toEqual([
      { key: 'power', state: 'raised' },
      { key: 'power', state: 'cleared' },
      { key: 'power', state: 'raised' },
    ]);

    // Restarted on a UPS that never went on battery: nothing raises or clears the alert again, only what the room kept says it is open.
    await daemon.stop();
    const restartedAt = Date.now();
    daemon = await daemons.start(configWith(dir, 'sim'));
    const after = await stateAfter(restartedAt, () => true, 'the restarted daemon’s state');
    expect(after.openAlerts).toBe(1);
    expect((await central.events('power')).length).toBe(3);
  }, 120_000);

  it('keeps its events’ ids unique when the database is deleted and recreated: the new events are stored, not dropped as duplicates', async () => {
    const dir = await daemons.folder('room-state');
    const config = configWith(dir);
    const powerCut = async () => {
      await ups!.setVariables({ 'ups.status': 'OB DISCHRG' });
      await waitFor(
        'on battery at central',
        async () => (await central.events('power')).length % 2 === 1 || undefined,
        30_000,
      );
      await ups!.setVariables({ 'ups.status': 'OL CHRG' });
      await waitFor(
        'power restored at central',
        async () => (await central.events('power')).length % 2 === 0 || undefined,
        30_000,
      );
    };
    let daemon = await daemons.start(config);
    await powerCut();
    const before = await central.events();
    expect(before.filter((e) => e.topic === 'power')).toHaveLength(2);

    await daemon.stop();
    for (const file of ['diemcau.sqlite', 'diemcau.sqlite-wal', 'diemcau.sqlite-shm'])
      await rm(join(dir, 'data', file), { force: true });
    daemon = await daemons.start(config);
    await powerCut();
    const all = await central.events();
    const power = all.filter((e) => e.topic === 'power');
    expect(power.map((e) => (e.data as any).kind)).toEqual([
      'on-battery',
      'power-restored',
      'on-battery',
      'power-restored',
    ]);
    expect(new Set(all.map((e) => e.msgId)).size).toBe(all.length);
    expect(all.every((e) => e.msgId === `sim-room:${e.seq}` && Number.isSafeInteger(e.seq))).toBe(true);
    const lastBefore = Math.max(...before.map((e) => e.seq));
    expect(power.slice(2).every((e) => e.seq > lastBefore)).toBe(true);
  }, 120_000);
});
