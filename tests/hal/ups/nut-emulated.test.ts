import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { halConfig } from '../../../hal/config.js';
import { createDevices } from '../../../hal/registry.js';
import { EmulatedNutUps } from '../../../hal/ups/nut/emulated.js';
import type { UpsReading } from '../../../hal/ups/types.js';
import { waitFor } from '../../support/wait.js';

const portAnswers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Sim mode's UPS: the real NUT driver against a real upsd + dummy-ups that the driver starts itself. */
describe('nut-emulated UPS', () => {
  let ups: EmulatedNutUps | undefined;
  afterEach(async () => {
    await ups?.stop();
    ups = undefined;
  });

  it('starts its own upsd, reads it with the NUT driver, follows a simulated power cut, and stops upsd again', async () => {
    const config = halConfig.parse({
      camera: { driver: 'sim' },
      audio: { driver: 'sim' },
      ups: { driver: 'nut-emulated', runtimeSeconds: 1200, pollMs: 200 },
    });
    const devices = await createDevices(config, {});
    expect(devices.ups).toBeInstanceOf(EmulatedNutUps);
    ups = devices.ups as EmulatedNutUps;
    const onBattery: UpsReading[] = [];
    ups.events.on('onBattery', (reading) => onBattery.push(reading));
    await ups.start();
    expect(ups.snapshot()).toMatchObject({ driver: 'nut-emulated', status: 'ok' });
    const first = await waitFor('a reading', () => ups!.reading ?? undefined);
    expect(first.flags).toContain('OL');
    expect(first.batteryRuntime).toBe(1200);

    await ups.simulate({ 'ups.status': 'OB DISCHRG', 'battery.runtime': '600', 'input.voltage': '0' });
    const cut = await waitFor('on battery', () => onBattery[0]);
    expect(cut.flags).toEqual(expect.arrayContaining(['OB']));
    expect(cut.batteryRuntime).toBe(600);

    const port = (ups as unknown as { target(): { port: number } }).target().port;
    expect(await portAnswers(port)).toBe(true);
    await ups.stop();
    ups = undefined;
    expect(await portAnswers(port)).toBe(false);
  });
});
