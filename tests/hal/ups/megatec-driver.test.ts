import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MegatecUps, type MegatecUpsOptions } from '../../../hal/ups/megatec/driver.js';
import { MegatecEmulator } from '../../../hal/ups/megatec/emulator.js';
import { fastBackoff, nextEvent, untilStatus } from './wait.js';
import { waitFor } from '../../support/wait.js';

describe('megatec driver against the Q1 emulator on a real pty pair (socat)', () => {
  let dir: string;
  let ups: MegatecEmulator | undefined;
  let driver: MegatecUps | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'diemcau-megatec-'));
  });

  afterEach(async () => {
    await driver?.stop();
    await ups?.stop();
    driver = undefined;
    ups = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function setUp(
    options: Partial<MegatecUpsOptions> = {},
    prepare: (emulator: MegatecEmulator) => void = () => undefined,
  ) {
    ups = await MegatecEmulator.start(dir);
    prepare(ups);
    driver = new MegatecUps(
      { id: 'ups', backoff: fastBackoff },
      { driver: 'megatec', port: ups.devicePath, baudRate: 2400, pollMs: 500, fullLoadRuntimeSeconds: 300, ...options },
    );
    await driver.start();
    return { ups, driver };
  }

  it('asks the rating, then reads Q1 with an estimated runtime', async () => {
    const { ups, driver } = await setUp();
    expect(driver.snapshot()).toMatchObject({ status: 'ok' });
    expect(ups.requests.slice(0, 2)).toEqual(['F', 'Q1']);
    // 13.6 V on a 12 V (6-cell) pack is float voltage: 100 %; load 30 % → 300 s × 100/30.
    expect(driver.reading).toMatchObject({
      flags: ['OL'],
      batteryCharge: 100,
      batteryRuntime: 1000,
      runtimeEstimated: true,
      load: 30,
      inputVoltage: 229.5,
    });
  });

  it('mains lost, battery sagging, battery low: onBattery then lowBattery; mains back: onLine', async () => {
    const { ups, driver } = await setUp();
    const onBattery = nextEvent(driver.events, 'onBattery');
    ups.set({
      inputVoltage: 0,
      inputFaultVoltage: 0,
      batteryVoltage: 11.5,
      loadPercent: 50,
      bits: { utilityFail: true, beeperOn: true },
    });
    const [reading] = await onBattery;
    // 11.5 V / 6 cells = 1.917 V → 48 %; 300 s × 0.48 × 100/50.
    expect(reading).toMatchObject({ flags: ['OB'], batteryCharge: 48, batteryRuntime: 288 });

    const lowBattery = nextEvent(driver.events, 'lowBattery');
    ups.set({ batteryVoltage: 10.7, bits: { batteryLow: true } });
    expect((await lowBattery)[0]).toMatchObject({ flags: ['OB', 'LB'], batteryCharge: 10, batteryRuntime: 60 });
    expect(driver.snapshot().detail).toBe('on battery, low battery');

    const onLine = nextEvent(driver.events, 'onLine');
    ups.set({
      inputVoltage: 230,
      batteryVoltage: 13.2,
      bits: { utilityFail: false, batteryLow: false, beeperOn: false },
    });
    await onLine;
  });

  it('the shutdown-active bit is a forced shutdown', async () => {
    const { ups, driver } = await setUp();
    const fsd = nextEvent(driver.events, 'forcedShutdown');
    ups.set({ bits: { utilityFail: true, shutdownActive: true } });
    expect((await fsd)[0].flags).toEqual(['OB', 'FSD']);
  });

  it('line noise before a reply is skipped', async () => {
    const { ups, driver } = await setUp();
    ups.fault = 'noisy';
    ups.set({ loadPercent: 44 });
    await nextEvent(driver.events, 'reading', 10_000, (reading) => reading.load === 44);
    expect(driver.communicating).toBe(true);
  });

  it('garbage replies: communication lost (naming the noise) while the port stays open; good replies: restored', async () => {
    const { ups, driver } = await setUp();
    const lost = nextEvent(driver.events, 'communicationLost');
    ups.fault = 'garbage';
    const [detail] = await lost;
    expect(detail.reason).toMatch(/no valid reply to "Q1" within 1000 ms \(line noise: /);
    expect(driver.status).toBe('ok');
    const restored = nextEvent(driver.events, 'communicationRestored');
    ups.fault = 'none';
    await restored;
  });

  it('a silent UPS: communication lost', async () => {
    const { ups, driver } = await setUp();
    const lost = nextEvent(driver.events, 'communicationLost');
    ups.fault = 'silent';
    expect((await lost)[0].reason).toBe('no valid reply to "Q1" within 1000 ms');
  });

  it('unplug: connection lost; plug back on the same path: reopened without a restart', async () => {
    const { ups, driver } = await setUp();
    const lost = nextEvent(driver.events, 'communicationLost');
    await ups.unplug();
    expect((await lost)[0].reason).toContain('closed');
    await waitFor('status leaves ok', () => driver.status !== 'ok');
    expect(driver.status).toBe('connecting');
    const restored = nextEvent(driver.events, 'communicationRestored', 20_000);
    await ups.plug();
    await untilStatus(driver, 'ok', 20_000);
    await restored;
  });

  it('nothing answering at open: failed, and retried until a UPS answers', async () => {
    const { ups, driver } = await setUp({}, (emulator) => {
      emulator.fault = 'silent';
    });
    expect(driver.snapshot().status).toBe('failed');
    expect(driver.snapshot().detail).toBe('no valid reply to "Q1" within 1000 ms');
    ups.fault = 'none';
    await untilStatus(driver, 'ok', 20_000);
  });

  it('a unit that ignores F: no runtime unless the nominal battery voltage is configured', async () => {
    const { driver } = await setUp({}, (emulator) => {
      emulator.rating = null;
    });
    expect(driver.reading).toMatchObject({ batteryCharge: null, batteryRuntime: null });
    await driver.stop();
    await ups!.stop();
    ups = undefined;

    const configured = await setUp({ batteryNominalVoltage: 12 }, (emulator) => {
      emulator.rating = null;
    });
    expect(configured.ups.requests[0]).toBe('Q1');
    expect(configured.driver.reading).toMatchObject({ batteryCharge: 100, batteryRuntime: 1000 });
  });
});
