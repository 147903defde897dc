import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NutHarness } from '../../hal/ups/nut/nut-harness.js';
import { parseTelemetry, type Telemetry } from '../../kiosk/fleet/nats/telemetry.js';
import { startByteCountingProxy } from '../support/byte-counting-proxy.js';
import { startCentral, type Central } from '../support/central.js';
import { daemonsPerTest, writeTestConfig } from '../support/daemon.js';
import { waitFor } from '../support/wait.js';
import { addConsoleUser, call, login, sessionBody } from '../session/helpers.js';

const SUBJECT = 'diemcau.v1.room.sim-room.telemetry';

/** Telemetry from the built daemon to a real nats-server, its UPS a real upsd (dummy-ups) the test drives. */
describe('fleet telemetry over NATS', () => {
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

  /** Every sample the server carried, each checked against the schema. */
  const samples = (): Telemetry[] =>
    central
      .captured()
      .filter((m) => m.subject === SUBJECT)
      .map((m) => {
        const parsed = parseTelemetry(m.data);
        if (!parsed.ok) throw new Error(`a telemetry sample does not parse: ${parsed.error}\n${m.data}`);
        return parsed.value;
      });
  const sampleAfter = (seq: number, test: (s: Telemetry) => boolean) =>
    waitFor('a telemetry sample', () => samples().find((s) => s.seq > seq && test(s)), 30_000);

  it('sends a full sample on connecting, then only what moved; a UPS on battery and a device lost show in the next samples', async () => {
    const dir = await daemons.folder('telemetry');
    const config = writeTestConfig(dir, (c) => {
      c.fleet = { ...central.fleetConfig(), telemetry: { intervalSeconds: 1, fullEveryMinutes: 60 } };
      c.hal.ups = { driver: 'nut', host: '127.0.0.1', port: ups!.port, upsName: 'sim', pollMs: 500 };
    });
    await daemons.start(config);
    const first = await sampleAfter(0, (s) => s.devices?.ups === 'ok');
    // The first sample may have gone out before the UPS was read; the first with it is full either way (its connection made it so).
    const full = samples().find((s) => s.full)!;
    expect(full).toMatchObject({
      seq: 1,
      full: true,
      version: expect.any(String),
      ups: expect.any(Object),
      media: { stream: 'idle', fps: 0, bitrateKbps: 0, droppedFrames: 0 },
    });
    expect(full.system).toMatchObject({
      uptimeS: expect.any(Number),
      cpuPct: expect.any(Number),
      memUsedPct: expect.any(Number),
      memTotalMB: expect.any(Number),
    });
    expect(full.disks!.map((d) => d.mount)).toContain('/');
    expect(Object.keys(full.devices!).sort()).toEqual(['audio', 'camera', 'display', 'gpio', 'ptz', 'ups']);

    await ups!.setVariables({ 'ups.status': 'OB DISCHRG', 'battery.charge': '80' });
    const onBattery = await sampleAfter(first.seq, (s) => s.ups?.onBattery === true);
    expect(onBattery).toMatchObject({ full: false, ups: { onBattery: true, chargePct: 80 } });
    // A delta carries the sections that moved, never the version (only full samples do).
    expect(onBattery.version).toBeUndefined();

    await ups!.stop();
    ups = undefined;
    const lost = await sampleAfter(onBattery.seq, (s) => s.devices !== undefined && s.devices.ups !== 'ok');
    expect(lost.full).toBe(false);
    expect(['connecting', 'failed']).toContain(lost.devices!.ups);
    expect(lost.devices!.camera).toBe('ok');

    const seqs = samples().map((s) => s.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    // Between changes, most ticks send nothing: far fewer samples than seconds went by.
    const deltas = samples().filter((s) => !s.full);
    expect(deltas.every((s) => Object.keys(s).filter((k) => !['v', 'at', 'seq', 'full'].includes(k)).length >= 1)).toBe(
      true,
    );
  }, 90_000);

  it('reports the encoder as measured while a session records (frames per second, bitrate), and 0 again once it ended', async () => {
    const dir = await daemons.folder('telemetry');
    const config = writeTestConfig(dir, (c) => {
      c.fleet = { ...central.fleetConfig(), telemetry: { intervalSeconds: 1, fullEveryMinutes: 60 } };
    });
    await addConsoleUser(config, 'canbo', 'officer', 'mat-khau-thu-nghiem');
    const daemon = await daemons.start(config, { readyTimeoutMs: 40_000 });
    const idle = await sampleAfter(0, (s) => s.full);
    expect(idle.media).toMatchObject({ fps: 0, bitrateKbps: 0 });
    const officer = await login(daemon.consoleUrl, 'canbo', 'mat-khau-thu-nghiem');
    const created = await call('POST', `${daemon.consoleUrl}/api/schedule`, sessionBody(), officer);
    const id: string = created.json.session.id;
    expect((await call('POST', `${daemon.kioskUrl}/api/session/${id}/start`)).status).toBe(200);

    const recording = await sampleAfter(idle.seq, (s) => (s.media?.fps ?? 0) > 0);
    expect(recording.media!.fps).toBeLessThanOrEqual(30 * 1.2);
    expect(recording.media!.bitrateKbps).toBeGreaterThan(0);
    expect(recording.media!.droppedFrames).toBeGreaterThanOrEqual(0);

    expect((await call('POST', `${daemon.kioskUrl}/api/session/${id}/end`, { reason: 'hết giờ' })).status).toBe(200);
    const after = await sampleAfter(recording.seq, (s) => s.media !== undefined && s.media.fps === 0);
    expect(after.media).toMatchObject({ fps: 0, bitrateKbps: 0, droppedFrames: 0 });
  }, 90_000);

  it('sends a full sample again after the link comes back', async () => {
    // The room's link alone is cut (a proxy between it and the server), so central's own connection keeps listening.
    const proxy = await startByteCountingProxy({ host: '127.0.0.1', port: Number(new URL(central.servers[0]!).port) });
    try {
      const dir = await daemons.folder('telemetry');
      const config = writeTestConfig(dir, (c) => {
        c.fleet = {
          ...central.fleetConfig(),
          servers: [`wss://127.0.0.1:${proxy.port}`],
          telemetry: { intervalSeconds: 1, fullEveryMinutes: 60 },
        };
        c.hal.ups = { driver: 'nut', host: '127.0.0.1', port: ups!.port, upsName: 'sim', pollMs: 500 };
      });
      const daemon = await daemons.start(config);
      const first = await sampleAfter(0, (s) => s.full);
      const before = samples().length;
      proxy.cut();
      await waitFor(
        'the room reconnected',
        () => daemon.logs.filter((l) => l.msg === 'fleet link' && l.state === 'connected').length >= 2 || undefined,
        30_000,
      );
      const again = await sampleAfter(first.seq, (s) => s.full);
      expect(again.system).toBeDefined();
      expect(
        samples()
          .slice(0, before)
          .filter((s) => s.full),
      ).toHaveLength(1);
      expect(proxy.counts().connections).toBe(2);
    } finally {
      await proxy.close();
    }
  }, 90_000);
});
