import { createServer, type Server } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, projectRoot } from '../../config/load.js';
import type { SimulatedDriver } from '../../hal/core/simulated.js';
import { createDevices, type Devices } from '../../hal/registry.js';
import type { SimUps } from '../../hal/ups/sim.js';
import { createChecks } from '../../kiosk/readiness/checks/index.js';
import { readNtpSynchronized } from '../../kiosk/readiness/checks/system.js';
import { readDiskSpace } from '../../kiosk/evidence/disk.js';
import { admission, storagePolicyFrom } from '../../kiosk/media/storage-policy.js';
import { GstProbe } from '../../kiosk/readiness/gst-probe.js';
import { runChecks } from '../../kiosk/readiness/runner.js';
import { checkIds, type CheckResult, type ReadinessTarget } from '../../kiosk/readiness/types.js';
import { expectedRecordingBytes } from '../../kiosk/session/recording-size.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';
import { MediaService } from '../../kiosk/media/media-service.js';
import { planFromConfig } from '../../kiosk/media/plan.js';
import { recordTestClip } from '../../kiosk/recording/test-recording.js';
import { quietLogger, requireBuiltWorker, testBus } from '../media/helpers.js';
import { readdir } from 'node:fs/promises';

// Sim devices from the embedded default config, the real gst-launch/ffprobe probes, the real media
// worker for the test recording (the session's program pipeline), a real TCP listener.
const config = simConfig();
const policy = storagePolicyFrom(config);
const bitrates = { videoKbps: config.media.video.bitrateKbps, audioKbps: config.media.audioBitrateKbps };

describe('readiness checks in simulation', () => {
  let dir: string;
  let devices: Devices;
  let listener: Server;
  let endpoint: { host: string; port: number };
  let media: MediaService;

  beforeAll(async () => {
    requireBuiltWorker();
    dir = await makeTempDir('readiness');
    media = new MediaService({
      plan: planFromConfig(config),
      bus: testBus(),
      logger: quietLogger(),
      workerLogLevel: 'silent',
    });
    await media.start();
    devices = await createDevices(config.hal, {});
    await Promise.all(Object.values(devices).map((device) => device.start()));
    listener = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    endpoint = { host: '127.0.0.1', port: (listener.address() as { port: number }).port };
  });

  afterAll(async () => {
    await media?.stop();
    await Promise.all(Object.values(devices ?? {}).map((device) => device.stop()));
    await new Promise<void>((resolve) => (listener ? listener.close(() => resolve()) : resolve()));
    await removeTempDir(dir);
  });

  const createChecksFor = (source: () => Devices) =>
    createChecks({
      devices: source,
      media: new GstProbe(config.hal.camera, config.hal.audio),
      admit: async (bytes) => admission(await readDiskSpace(dir), bytes, policy),
      recorder: { testRecording: (seconds, signal) => recordTestClip(media, join(dir, 'test'), seconds, signal) },
      expectedBytes: (seconds) => expectedRecordingBytes(bitrates, seconds),
      upsMarginSeconds: config.hal.power.marginSeconds,
      videoFps: config.media.video.fps,
    });
  const checks = () => createChecksFor(() => devices);
  // 20 minutes: within the sim UPS's 30 minutes of battery with the 2-minute margin.
  const target = (): ReadinessTarget => ({ sessionId: null, durationSeconds: 20 * 60, endpoint });
  const byId = (results: CheckResult[]) => Object.fromEntries(results.map((r) => [r.id, r]));

  it('produces every listed check, each with an explanation in Vietnamese and English', async () => {
    const { results, overall } = await runChecks(checks(), target());
    expect(results.map((r) => r.id)).toEqual([...checkIds]);
    for (const result of results) {
      expect(result.explanation.vi.length, result.id).toBeGreaterThan(10);
      expect(result.explanation.en.length, result.id).toBeGreaterThan(10);
    }
    const r = byId(results);
    expect(r.camera).toMatchObject({ status: 'pass', measured: { unit: 'luma/255' } });
    expect(r.ptz).toMatchObject({ status: 'pass', measured: { unit: 'ms' } });
    expect(r.microphone).toMatchObject({ status: 'pass', measured: { unit: 'dBFS rms' } });
    // audiotestsrc volume=0.5 sine: RMS is 20·log10(0.5/√2) ≈ -9.03 dBFS.
    expect(r.microphone!.measured.value).toBeCloseTo(-9, 0);
    expect(r.loopback!.status).toBe('unsupported');
    expect(r.display!.status).toBe('pass');
    expect(r.ups).toMatchObject({ status: 'pass', measured: { value: 1800, unit: 's' } });
    const decision = admission(await readDiskSpace(dir), expectedRecordingBytes(bitrates, 20 * 60), policy);
    expect(r.disk!.status).toBe({ fits: 'pass', tight: 'warn', refused: 'fail' }[decision.verdict]);
    expect(['pass', 'warn']).toContain(r.network!.status);
    expect(typeof r.network!.measured.value).toBe('number');
    const synced = await readNtpSynchronized();
    expect(r.clock!.status).toBe(synced === true ? 'pass' : synced === false ? 'fail' : 'warn');
    expect(r['test-recording']).toMatchObject({ status: 'pass', measured: { unit: 's' } });
    expect(r['test-recording']!.measured.value as number).toBeGreaterThanOrEqual(4.5);
    expect(r['test-recording']!.explanation.en).toContain("session's own recorder");
    // The probed files are not evidence: nothing of the test stays on disk.
    expect(await readdir(join(dir, 'test'))).toEqual([]);
    expect(overall).toBe(
      results.some((x) => x.status === 'fail') ? 'fail' : results.some((x) => x.status === 'warn') ? 'warn' : 'pass',
    );
  }, 90_000);

  it('fails the checks of broken devices and only those', async () => {
    // A device set of its own: an unplugged emulated camera head is not plugged back in.
    const broken = await createDevices(config.hal, {});
    try {
      await Promise.all(Object.values(broken).map((device) => device.start()));
      for (const device of Object.values(broken)) {
        if ('breakDevice' in device && typeof device.breakDevice === 'function')
          (device as unknown as SimulatedDriver).breakDevice(`${device.kind} unplugged for the test`);
      }
      // Sim mode's PTZ is the real VISCA driver against an emulated camera on a pty: unplug the camera.
      const ptz = broken.ptz as unknown as { camera?: { unplug(): Promise<void> } };
      expect(ptz.camera, 'sim PTZ exposes its emulated camera').toBeDefined();
      await ptz.camera!.unplug();
      const r = byId(
        (
          await runChecks(
            createChecksFor(() => broken),
            target(),
          )
        ).results,
      );
      for (const id of ['camera', 'ptz', 'microphone', 'display', 'ups', 'test-recording'] as const) {
        expect(r[id]!.status, id).toBe('fail');
      }
      expect(r.camera!.explanation.en).toContain('camera unplugged for the test');
      expect(r['test-recording']!.explanation.en).toContain('camera');
      expect(r.loopback!.status).toBe('unsupported');
      expect(['pass', 'warn']).toContain(r.network!.status);
    } finally {
      await Promise.all(Object.values(broken).map((device) => device.stop()));
    }
  }, 90_000);

  it('wakes a display put to sleep outside reception hours, and passes it', async () => {
    const display = devices.display!;
    await display.setPower(false);
    const check = checks().find((c) => c.id === 'display')!;
    const result = await check.run(target(), new AbortController().signal);
    expect(result).toMatchObject({ status: 'pass', measured: { value: true } });
    expect(result.explanation.en).toContain('woke on command');
    expect((await display.state()).on).toBe(true);
  });

  it('fails the UPS on battery or with too little runtime, and the link when nobody answers', async () => {
    const ups = devices.ups as unknown as SimUps;
    const only = (ids: string[]) => checks().filter((c) => ids.includes(c.id));
    try {
      ups.simulate(['OL'], 40, 600);
      let r = byId((await runChecks(only(['ups']), target())).results);
      expect(r.ups).toMatchObject({ status: 'fail', measured: { value: 600 } });
      ups.simulate(['OB', 'DISCHRG'], 90, 3000);
      r = byId((await runChecks(only(['ups']), target())).results);
      expect(r.ups!.status).toBe('fail');
      expect(r.ups!.explanation.vi).toContain('pin');
    } finally {
      ups.simulate(['OL'], 100, 1800);
    }
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = byId(
      (await runChecks(only(['network', 'disk']), { ...target(), endpoint: { host: '127.0.0.1', port } })).results,
    );
    expect(r.network).toMatchObject({ status: 'fail', measured: { value: null } });
    const noEndpoint = byId((await runChecks(only(['network']), { sessionId: null, durationSeconds: 60 })).results);
    expect(noEndpoint.network!.status).toBe('warn');
  }, 60_000);

  it('turns a hung check into a fail at its timeout', async () => {
    const hung = { id: 'ptz' as const, timeoutMs: 200, run: () => new Promise<never>(() => undefined) };
    const { results, overall } = await runChecks([hung], target());
    expect(results[0]).toMatchObject({ id: 'ptz', status: 'fail' });
    expect(overall).toBe('fail');
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
