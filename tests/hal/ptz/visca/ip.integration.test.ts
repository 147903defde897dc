import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../../../hal/core/driver.js';
import { PtzCommandError, PtzNotConnectedError, PtzTimeoutError } from '../../../../hal/ptz/errors.js';
import { ViscaUdpEmulator } from '../../../../hal/ptz/visca/emulator.js';
import { PayloadType, encodeIpMessage } from '../../../../hal/ptz/visca/ip-header.js';
import { ViscaIpPtz } from '../../../../hal/ptz/visca-ip/driver.js';
import { h, hex, testBackoff } from '../helpers/wait.js';
import { waitFor } from '../../../support/wait.js';

/** The real visca-ip driver against the VISCA camera emulator over real UDP on 127.0.0.1. */
describe('visca-ip driver ↔ emulated camera over UDP', () => {
  let camera: ViscaUdpEmulator;
  let driver: ViscaIpPtz;
  let statuses: DeviceStatus[];

  /** What the camera heard since `start`: payload type, sequence number, payload. */
  const heardSince = (start: number) =>
    camera.heard
      .slice(start)
      .map((m) => `${m.payloadType!.toString(16).padStart(4, '0')} #${m.sequence} ${hex(m.bytes)}`);

  beforeEach(async () => {
    camera = new ViscaUdpEmulator();
    await camera.plugIn();
    driver = new ViscaIpPtz(
      { id: 'ptz', backoff: testBackoff },
      { host: '127.0.0.1', port: camera.port, timeoutMs: 1000, slowCompletionTimeoutMs: 1500 },
    );
    statuses = [];
    driver.events.on('status', (s) => statuses.push(s.status));
    await driver.start();
  });

  afterEach(async () => {
    await driver?.stop();
    await camera?.unplug();
  });

  it('opens with RESET, then numbers commands from 0 with the right payload types', async () => {
    expect(driver.status).toBe('ok');
    await driver.move({ pan: -1, tilt: 0, speed: 1 });
    await driver.position();
    expect(heardSince(0)).toEqual([
      '0200 #0 01',
      '0100 #0 81 01 06 01 18 14 01 03 FF',
      '0110 #1 81 09 06 12 FF',
      '0110 #2 81 09 04 47 FF',
    ]);
  });

  it('recalls presets and reads the position back', async () => {
    await driver.goTo({ pan: 0x0200, tilt: -0x0100, zoom: 0x1000 });
    await driver.storePreset(1);
    await driver.home();
    await driver.recallPreset(1);
    expect(await driver.position()).toEqual({ pan: 0x0200, tilt: -0x0100, zoom: 0x1000 });
  });

  it('maps an error reply to a typed error and RESETs before the next command', async () => {
    camera.model.faults.push({ kind: 'error', code: 0x03 });
    await expect(driver.home()).rejects.toMatchObject({ name: 'PtzCommandError', reason: 'buffer-full' });
    const start = camera.heard.length;
    await driver.home();
    expect(heardSince(start)).toEqual(['0200 #1 01', '0100 #0 81 01 06 04 FF']);
  });

  it('times out without re-sending, ignores the late reply, and RESETs before the next command', async () => {
    camera.model.faults.push({ kind: 'silent' });
    const start = camera.heard.length;
    await expect(driver.move({ pan: 1, tilt: 0 })).rejects.toBeInstanceOf(PtzTimeoutError);
    expect(heardSince(start)).toEqual(['0100 #0 81 01 06 01 0C 0A 02 03 FF']);
    // A Completion for that sequence number arriving late must not complete anything else.
    camera.sendRaw(encodeIpMessage(PayloadType.reply, 0, h('90 51 FF')));
    await driver.stopMove();
    expect(heardSince(start)).toEqual([
      '0100 #0 81 01 06 01 0C 0A 02 03 FF',
      '0200 #1 01',
      '0100 #0 81 01 06 01 01 01 03 03 FF',
    ]);
  });

  it('skips malformed datagrams and replies carrying another sequence number', async () => {
    camera.sendRaw(h('DE AD BE EF'));
    camera.sendRaw(encodeIpMessage(PayloadType.reply, 77, h('90 60 02 FF')));
    await driver.move({ pan: 0, tilt: 1, speed: 1 });
    expect(camera.model.state.tilt).toBeGreaterThan(0);
    expect(driver.status).toBe('ok');
  });

  it('reports a refusal after ACK (not executable) as a command error', async () => {
    camera.model.faults.push({ kind: 'error-after-ack', code: 0x41 });
    const error = await driver.recallPreset(3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PtzCommandError);
    expect(error).toMatchObject({ reason: 'not-executable' });
  });

  it('goes connecting when the camera disappears and ok again when it is back, without restart', async () => {
    await camera.unplug();
    await expect(driver.home()).rejects.toBeInstanceOf(PtzTimeoutError);
    await expect(driver.home()).rejects.toBeInstanceOf(PtzTimeoutError);
    await waitFor('status connecting', () => driver.status === 'connecting');
    await expect(driver.home()).rejects.toBeInstanceOf(PtzNotConnectedError);
    await camera.plugIn();
    await waitFor('status ok again', () => driver.status === 'ok');
    await driver.move({ pan: 1, tilt: 0, speed: 1 });
    expect(camera.model.state.pan).toBeGreaterThan(0);
    expect(statuses).toEqual(['ok', 'connecting', 'ok']);
  });
});
