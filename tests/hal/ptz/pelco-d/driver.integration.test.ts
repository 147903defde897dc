import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PtzNotConnectedError, PtzUnsupportedError } from '../../../../hal/ptz/errors.js';
import { PelcoDPtyEmulator } from '../../../../hal/ptz/pelco-d/emulator.js';
import { PelcoDPtz } from '../../../../hal/ptz/pelco-d/driver.js';
import { hex, testBackoff } from '../helpers/wait.js';
import { waitFor } from '../../../support/wait.js';

/** The real pelco-d driver against the Pelco-D dome emulator over a real pty pair (socat). */
describe('pelco-d driver ↔ emulated dome on a pty', () => {
  let dir: string;
  let dome: PelcoDPtyEmulator;
  let driver: PelcoDPtz;

  const heardSince = (start: number) => dome.heard.slice(start).map((f) => hex(f.bytes));
  const heardAtLeast = (n: number) => waitFor(`${n} frames at the dome`, () => dome.heard.length >= n);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pelco-d-'));
    dome = new PelcoDPtyEmulator({ driverSide: join(dir, 'ttyRS485'), cameraSide: join(dir, 'dome') });
    await dome.plugIn();
    driver = new PelcoDPtz({ id: 'ptz', backoff: testBackoff }, { port: dome.devicePath, baudRate: 9600, address: 1 });
    await driver.start();
  });

  afterEach(async () => {
    await driver?.stop();
    await dome?.unplug();
    await rm(dir, { recursive: true, force: true });
  });

  it('opens the line and sends a stop first (no handshake exists to confirm a dome)', async () => {
    expect(driver.status).toBe('ok');
    await heardAtLeast(1);
    expect(heardSince(0)).toEqual(['FF 01 00 00 00 00 01']);
  });

  it('moves, zooms while moving, stops, and uses presets; the dome decodes every frame', async () => {
    await driver.move({ pan: -1, tilt: 0, speed: 1 });
    await driver.zoom(1);
    await driver.stopMove();
    await driver.zoom(0);
    await driver.storePreset(3);
    await driver.move({ pan: 1, tilt: 1, speed: 0.5 });
    await driver.stopMove();
    await driver.recallPreset(3);
    await heardAtLeast(9);
    expect(heardSince(1)).toEqual([
      'FF 01 00 04 3F 00 44',
      'FF 01 00 24 3F 00 64',
      'FF 01 00 20 00 00 21',
      'FF 01 00 00 00 00 01',
      'FF 01 00 03 00 03 07',
      'FF 01 00 0A 20 20 4B',
      'FF 01 00 00 00 00 01',
      'FF 01 00 07 00 03 0B',
    ]);
    expect(dome.rejected).toEqual([]);
    // The emulated dome steps once per motion frame: two frames panned left, two zoomed tele.
    expect(dome.state.presets.get(3)).toEqual({ pan: -2 * 0x3f * 4, tilt: 0, zoom: 0x200 });
    expect(dome.state).toMatchObject({ pan: -2 * 0x3f * 4, tilt: 0, zoom: 0x200 });
  });

  it('says plainly what Pelco-D cannot do', async () => {
    expect(driver.capabilities).toMatchObject({ position: false, absolute: false, power: false });
    await expect(driver.position()).rejects.toBeInstanceOf(PtzUnsupportedError);
    await expect(driver.goTo({ pan: 0, tilt: 0, zoom: 0 })).rejects.toBeInstanceOf(PtzUnsupportedError);
    await expect(driver.home()).rejects.toBeInstanceOf(PtzUnsupportedError);
    await expect(driver.recallPreset(0)).rejects.toBeInstanceOf(RangeError);
  });

  it('cannot tell a silent dome from a working one: a frame to a wrong address still "succeeds"', async () => {
    // The port is exclusive: the driver for address 1 steps aside.
    await driver.stop();
    const other = new PelcoDPtz(
      { id: 'ptz-7', backoff: testBackoff },
      { port: dome.devicePath, baudRate: 9600, address: 7 },
    );
    await other.start();
    expect(other.status).toBe('ok');
    try {
      await other.recallPreset(1);
      await waitFor('frame for address 7 at the line', () =>
        dome.heard.some((f) => f.decoded.type === 'preset' && f.decoded.address === 7),
      );
      expect(dome.state.pan).toBe(0);
    } finally {
      await other.stop();
    }
  });

  it('goes connecting when the adapter is pulled and ok again when it returns, without restart', async () => {
    await dome.unplug();
    await waitFor('status connecting', () => driver.status === 'connecting');
    await expect(driver.recallPreset(1)).rejects.toBeInstanceOf(PtzNotConnectedError);
    const start = dome.heard.length;
    await dome.plugIn();
    await waitFor('status ok', () => driver.status === 'ok');
    await driver.move({ pan: 0, tilt: 1, speed: 1 });
    await waitFor('frames after re-plug', () => dome.heard.length >= start + 2);
    expect(heardSince(start)).toEqual(['FF 01 00 00 00 00 01', 'FF 01 00 08 00 3F 48']);
  });
});
