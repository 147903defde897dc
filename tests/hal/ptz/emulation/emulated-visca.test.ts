import { afterEach, describe, expect, it } from 'vitest';
import { halConfig } from '../../../../hal/config.js';
import { createDevices } from '../../../../hal/registry.js';
import { EmulatedViscaPtz, EmulatedViscaSerialPtz } from '../../../../hal/ptz/emulation/emulated-visca.js';
import { PtzTimeoutError } from '../../../../hal/ptz/errors.js';
import { testBackoff } from '../helpers/wait.js';
import { waitFor } from '../../../support/wait.js';

/** Sim mode's PTZ: chosen by config, the real VISCA drivers against the in-process emulator (pty by default, or UDP). */
describe('visca-emulated (sim mode with the real VISCA driver)', () => {
  let ptz: EmulatedViscaPtz | undefined;
  let serial: EmulatedViscaSerialPtz | undefined;

  afterEach(async () => {
    await ptz?.stop();
    await serial?.stop();
    serial = undefined;
  });

  it('is built from config by the registry and speaks VISCA over UDP to its own camera', async () => {
    // Only the PTZ is started; the other kinds are built (sim) but left alone.
    const config = halConfig.parse({
      camera: { driver: 'sim' },
      audio: { driver: 'sim' },
      ptz: { driver: 'visca-emulated', transport: 'udp' },
    });
    const devices = await createDevices(config, { backoff: testBackoff });
    expect(devices.ptz).toBeInstanceOf(EmulatedViscaPtz);
    ptz = devices.ptz as EmulatedViscaPtz;
    await ptz.start();
    expect(ptz.snapshot()).toMatchObject({ driver: 'visca-emulated', status: 'ok' });
    await ptz.move({ pan: 1, tilt: 0, speed: 1 });
    await ptz.storePreset(1);
    await ptz.home();
    await ptz.recallPreset(1);
    expect((await ptz.position()).pan).toBe(ptz.camera.model.state.pan);
    expect(ptz.camera.model.state.pan).toBeGreaterThan(0);
    expect(ptz.camera.heard.map((m) => m.payloadType)).toEqual([
      0x0200, 0x0100, 0x0100, 0x0100, 0x0100, 0x0110, 0x0110,
    ]);
  });

  it('by default runs the real visca-serial driver over a socat pty pair to its own camera', async () => {
    const config = halConfig.parse({
      camera: { driver: 'sim' },
      audio: { driver: 'sim' },
      ptz: { driver: 'visca-emulated' },
    });
    const devices = await createDevices(config, { backoff: testBackoff });
    expect(devices.ptz).toBeInstanceOf(EmulatedViscaSerialPtz);
    serial = devices.ptz as EmulatedViscaSerialPtz;
    await serial.start();
    expect(serial.snapshot()).toMatchObject({ driver: 'visca-emulated', status: 'ok' });
    await serial.move({ pan: 1, tilt: 0, speed: 1 });
    await serial.storePreset(2);
    await serial.home();
    await serial.recallPreset(2);
    expect((await serial.position()).pan).toBe(serial.camera.model.state.pan);
    expect(serial.camera.model.state.pan).toBeGreaterThan(0);
    // AddressSet broadcast and IF_Clear at open, byte for byte, as on an RS-485 line.
    expect(serial.camera.heard.slice(0, 2).map((m) => m.bytes.toString('hex'))).toEqual(['883001ff', '88010001ff']);
  });

  it('lets a drill unplug the emulated camera and bring it back on the same port', async () => {
    ptz = new EmulatedViscaPtz({ id: 'ptz', backoff: testBackoff }, { timeoutMs: 1000 });
    await ptz.start();
    const port = ptz.camera.port;
    await ptz.camera.unplug();
    await expect(ptz.home()).rejects.toBeInstanceOf(PtzTimeoutError);
    await expect(ptz.home()).rejects.toBeInstanceOf(PtzTimeoutError);
    await waitFor('connecting', () => ptz!.status === 'connecting');
    await waitFor('ok again', () => ptz!.status === 'ok', 15_000);
    expect(ptz.camera.port).toBe(port);
  });
});
