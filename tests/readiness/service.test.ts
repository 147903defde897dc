import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, projectRoot } from '../../config/load.js';
import type { SimulatedDriver } from '../../hal/core/simulated.js';
import { createDevices, type Devices } from '../../hal/registry.js';
import { createEventBus, type EventBus } from '../../kiosk/core/event-bus.js';
import { createLogger } from '../../kiosk/core/logger.js';
import { createChecks } from '../../kiosk/readiness/checks/index.js';
import { GstProbe } from '../../kiosk/readiness/gst-probe.js';
import { ReadinessService } from '../../kiosk/readiness/readiness-service.js';
import type { ReadinessAlert, ReadinessRun } from '../../kiosk/readiness/types.js';
import type { TestRecorder } from '../../kiosk/readiness/ports.js';
import { auditUnavailable } from '../../kiosk/session/fallbacks.js';
import type { RecordingPort } from '../../kiosk/session/ports.js';

/** These tests start a session only to see readiness refuse to run beside it: a recording port that records nothing. */
const idleRecordings: RecordingPort = {
  admit: async () => ({ ok: true, verdict: 'fits', freeBytes: 1e12, neededBytes: 0, message: 'ok' }),
  begin: async (request) => ({ recordingId: request.sessionId, dir: '/nowhere' }),
  resume: async () => undefined,
  stopRecording: async () => ({ clean: true, segments: 0, durationSeconds: 0 }),
  seal: async () => undefined,
  raiseConfidentiality: async () => undefined,
};
/** The test-recording check is filtered out below; its recorder is never called. */
const filteredOut: TestRecorder = {
  testRecording: () => Promise.reject(new Error('the test-recording check does not run in these tests')),
};
import { SessionService } from '../../kiosk/session/session-service.js';
import type { Database } from '../../kiosk/store/database.js';
import { openStore } from '../../kiosk/store/open-store.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { migrations } from '../../kiosk/database-schema.js';

const config = simConfig();
const H = 3_600_000;

// Real SQLite, real sim devices, the real session service; only the clock is fake (the scheduler's input).
describe('readiness service: scheduled runs, storage, bus, alert', () => {
  let dir: string;
  let db: Database;
  let bus: EventBus;
  let devices: Devices;
  let clock: number;
  let sessions: SessionService;
  let readiness: ReadinessService;

  beforeEach(async () => {
    dir = await makeTempDir('readiness-service');
    db = (await openStore(join(dir, 'db.sqlite'), migrations)).db;
    bus = createEventBus(createLogger('silent'));
    devices = await createDevices(config.hal, {});
    await Promise.all(Object.values(devices).map((d) => d.start()));
    clock = Date.parse('2025-06-10T00:00:00Z');
    const logger = createLogger('silent');
    const now = () => new Date(clock);
    sessions = new SessionService({
      database: () => db,
      identityKeyPath: join(dir, 'keys', 'identity.key'),
      recordings: idleRecordings,
      audit: auditUnavailable,
      expectedBytes: (s) => s * 1000,
      bus,
      logger,
      now,
      // Sessions here start up to 2 hours ahead of their time: the start window is not what is tested.
      startWindow: { beforeMinutes: 180, afterMinutes: 120 },
    });
    // The fast checks only: the camera/microphone/test-recording probes are covered in checks.test.ts.
    const fast = new Set(['ptz', 'display', 'ups', 'disk', 'loopback']);
    readiness = new ReadinessService({
      database: () => db,
      checks: () =>
        createChecks({
          devices: () => devices,
          media: new GstProbe(config.hal.camera, config.hal.audio),
          admit: idleRecordings.admit,
          recorder: filteredOut,
          expectedBytes: (s) => s * 1000,
          upsMarginSeconds: 120,
          videoFps: 30,
        }).filter((c) => fast.has(c.id)),
      sessions,
      bus,
      logger,
      now,
      tickMs: 3_600_000,
    });
    await sessions.start();
    await readiness.start();
  });

  afterEach(async () => {
    await readiness.stop();
    await sessions.stop();
    await Promise.all(Object.values(devices).map((d) => d.stop()));
    await db.close();
    await removeTempDir(dir);
  });

  const schedule = (startsInMs: number) =>
    sessions.createSchedule({
      kind: 'periodic',
      title: 'Tiếp công dân định kỳ',
      chairSite: { name: 'Tỉnh' },
      bridgePoints: [],
      startsAt: new Date(clock + startsInMs).toISOString(),
      endsAt: new Date(clock + startsInMs + 20 * 60_000).toISOString(),
    });

  it('runs the 1-day and 2-hour tests once each, stores them, and readies the session after a passing 2-hour test', async () => {
    const session = await schedule(30 * H);
    const completed: ReadinessRun[] = [];
    bus.on('readinessCompleted', (run) => completed.push(run));
    expect(await readiness.tick()).toEqual([]);
    clock += 6 * H + 1; // 24 h before
    const [dayBefore] = await readiness.tick();
    expect(dayBefore).toMatchObject({
      sessionId: session.id,
      kind: 'day-before',
      trigger: 'scheduler',
      overall: 'pass',
    });
    expect(dayBefore!.results.map((r) => r.id)).toEqual(['ptz', 'loopback', 'display', 'ups', 'disk']);
    clock += H;
    expect(await readiness.tick()).toEqual([]);
    clock += 21 * H; // 2 h before
    const [twoHours] = await readiness.tick();
    expect(twoHours).toMatchObject({ kind: 'two-hours', overall: 'pass' });
    expect(await readiness.tick()).toEqual([]);
    expect(completed.map((r) => r.kind)).toEqual(['day-before', 'two-hours']);
    expect((await readiness.store.list({ sessionId: session.id })).map((r) => r.kind)).toEqual([
      'two-hours',
      'day-before',
    ]);
    expect(await readiness.store.get(twoHours!.id)).toEqual(twoHours);
    expect((await sessions.getSession(session.id)).state).toBe('ready');
  });

  it('raises an alert when the 2-hour test fails, and leaves the session preparing', async () => {
    const session = await schedule(90 * 60_000);
    const alerts: ReadinessAlert[] = [];
    bus.on('readinessAlert', (alert) => alerts.push(alert));
    (devices.display as unknown as SimulatedDriver).breakDevice('HDMI cable cut');
    const [run] = await readiness.tick();
    expect(run).toMatchObject({ kind: 'two-hours', overall: 'fail' });
    expect(alerts).toEqual([
      {
        runId: run!.id,
        sessionId: session.id,
        kind: 'two-hours',
        failed: ['display'],
        message: expect.objectContaining({ vi: expect.stringContaining('display') }),
      },
    ]);
    expect((await sessions.getSession(session.id)).state).toBe('preparing');
  });

  it('refuses to test the equipment while a session is live, and postpones the scheduled run', async () => {
    const session = await schedule(90 * 60_000);
    await sessions.startSession(session.id, 'kiosk');
    await expect(readiness.run({ kind: 'on-demand', trigger: 'kiosk' })).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringContaining('is live'),
    });
    expect(await readiness.tick()).toEqual([]);
    await sessions.endSession(session.id, 'kiosk');
  });

  it('runs on demand for the next session, without an alert for an on-demand failure', async () => {
    const session = await schedule(5 * H);
    const alerts: ReadinessAlert[] = [];
    bus.on('readinessAlert', (alert) => alerts.push(alert));
    (devices.display as unknown as SimulatedDriver).breakDevice('HDMI unplugged');
    const run = await readiness.run({ kind: 'on-demand', trigger: 'kiosk' });
    expect(run).toMatchObject({ sessionId: session.id, kind: 'on-demand', trigger: 'kiosk', overall: 'fail' });
    expect(alerts).toEqual([]);
    // An on-demand run does not stand in for the scheduled ones.
    clock += 3 * H + 1;
    expect((await readiness.tick()).map((r) => r.kind)).toEqual(['two-hours']);
  });
});

/**
 * The embedded sim config with the in-process sim UPS, whose readings these checks drive directly
 * (default.json may pick an emulated NUT UPS instead).
 */
function simConfig() {
  const raw = JSON.parse(readFileSync(join(projectRoot(), 'config', 'default.json'), 'utf8'));
  raw.hal.ups = { driver: 'sim', runtimeSeconds: 1800 };
  return parseConfig(raw);
}
