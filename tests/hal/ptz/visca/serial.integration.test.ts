import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PtzCommandError, PtzNotConnectedError, PtzTimeoutError } from '../../../../hal/ptz/errors.js';
import { ViscaPtyEmulator } from '../../../../hal/ptz/visca/emulator.js';
import { ViscaSerialPtz } from '../../../../hal/ptz/visca-serial/driver.js';
import type { DeviceStatus } from '../../../../hal/core/driver.js';
import { h, hex, testBackoff } from '../helpers/wait.js';
import { waitFor } from '../../../support/wait.js';

/**
 * The real visca-serial driver against the VISCA camera emulator over a real pty pair (socat).
 * Each test reads as a script: what the driver is asked, the bytes the camera hears, what it answers.
 */
describe('visca-serial driver ↔ emulated camera on a pty', () => {
  let dir: string;
  let camera: ViscaPtyEmulator;
  let driver: ViscaSerialPtz;
  let statuses: DeviceStatus[];

  const heardSince = (start: number) => camera.heard.slice(start).map((p) => hex(p.bytes));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'visca-serial-'));
    camera = new ViscaPtyEmulator({ driverSide: join(dir, 'ttyPTZ'), cameraSide: join(dir, 'camera') });
    await camera.plugIn();
    driver = new ViscaSerialPtz(
      { id: 'ptz', backoff: testBackoff },
      { port: camera.devicePath, baudRate: 9600, address: 1, timeoutMs: 1000, slowCompletionTimeoutMs: 1500 },
    );
    statuses = [];
    driver.events.on('status', (s) => statuses.push(s.status));
    await driver.start();
  });

  afterEach(async () => {
    await driver?.stop();
    await camera?.unplug();
    await rm(dir, { recursive: true, force: true });
  });

  it('opens with AddressSet and IF_Clear, then reports ok', () => {
    expect(driver.status).toBe('ok');
    expect(heardSince(0)).toEqual(['88 30 01 FF', '88 01 00 01 FF']);
  });

  it('moves, stops and reads the position back', async () => {
    const start = camera.heard.length;
    await driver.move({ pan: 1, tilt: 0, speed: 1 });
    await driver.move({ pan: 0, tilt: 1, speed: 0 });
    await driver.stopMove();
    await driver.zoom(1, 1);
    expect(heardSince(start)).toEqual([
      '81 01 06 01 18 14 02 03 FF',
      '81 01 06 01 01 01 03 01 FF',
      '81 01 06 01 01 01 03 03 FF',
      '81 01 04 07 27 FF',
    ]);
    const position = await driver.position();
    expect(position).toEqual({
      pan: camera.model.state.pan,
      tilt: camera.model.state.tilt,
      zoom: camera.model.state.zoom,
    });
    expect(position.pan).toBeGreaterThan(0);
    expect(position.tilt).toBeGreaterThan(0);
    expect(position.zoom).toBeGreaterThan(0);
    expect(heardSince(start).slice(4)).toEqual(['81 09 06 12 FF', '81 09 04 47 FF']);
  });

  it('stores a preset in the camera and recalls it', async () => {
    await driver.goTo({ pan: -0x0300, tilt: 0x0100, zoom: 0x2000 });
    await driver.storePreset(2);
    await driver.home();
    expect(await driver.position()).toEqual({ pan: 0, tilt: 0, zoom: 0x2000 });
    const start = camera.heard.length;
    await driver.recallPreset(2);
    expect(heardSince(start)).toEqual(['81 01 04 3F 02 02 FF']);
    expect(await driver.position()).toEqual({ pan: -0x0300, tilt: 0x0100, zoom: 0x2000 });
  });

  it('switches focus mode and power', async () => {
    await driver.focus('manual');
    expect(camera.model.state.focus).toBe('manual');
    await driver.power(false);
    expect(camera.model.state.power).toBe(false);
    // A camera in standby ACKs a move then refuses it: "command not executable" on the command's socket.
    await expect(driver.move({ pan: -1, tilt: 0 })).rejects.toMatchObject({
      name: 'PtzCommandError',
      reason: 'not-executable',
      code: 0x41,
    });
    await driver.power(true);
    await driver.move({ pan: -1, tilt: 0 });
    expect(camera.model.state.pan).toBeLessThan(0);
  });

  it('maps error replies to typed errors, then clears the interface before the next command', async () => {
    for (const [code, reason] of [
      [0x02, 'syntax'],
      [0x03, 'buffer-full'],
      [0x01, 'message-length'],
    ] as const) {
      camera.model.faults.push({ kind: 'error', code });
      const error = await driver.home().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PtzCommandError);
      expect(error).toMatchObject({ reason, code });
    }
    camera.model.faults.push({ kind: 'error-after-ack', code: 0x04 });
    await expect(driver.recallPreset(1)).rejects.toMatchObject({ reason: 'cancelled' });
    const start = camera.heard.length;
    await driver.home();
    expect(heardSince(start)).toEqual(['81 01 00 01 FF', '81 01 06 04 FF']);
    expect(driver.status).toBe('ok');
  });

  it('reports a timeout without re-sending the move, and sends IF_Clear before the next command', async () => {
    camera.model.faults.push({ kind: 'silent' });
    const start = camera.heard.length;
    await expect(driver.move({ pan: 1, tilt: 1, speed: 0.5 })).rejects.toBeInstanceOf(PtzTimeoutError);
    // Whatever happens next, that move was on the wire exactly once.
    expect(heardSince(start)).toEqual(['81 01 06 01 0C 0A 02 01 FF']);
    expect(driver.status).toBe('ok');
    await driver.stopMove();
    expect(heardSince(start)).toEqual(['81 01 06 01 0C 0A 02 01 FF', '81 01 00 01 FF', '81 01 06 01 01 01 03 03 FF']);
  });

  it('times out waiting for the Completion of a recall that never arrives', async () => {
    camera.model.faults.push({ kind: 'ack-only' });
    const error = await driver.recallPreset(4).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PtzTimeoutError);
    expect((error as Error).message).toMatch(/no completion .* within 1500 ms/);
  });

  it('skips garbage bytes on the line and still pairs replies with commands', async () => {
    camera.sendRaw(h('00 13 7F FF'));
    camera.noiseBeforeNextReply(h('55 AA 90 50'));
    await driver.move({ pan: -1, tilt: 0, speed: 1 });
    camera.noiseBeforeNextReply(h('FF FF 01'));
    const position = await driver.position();
    expect(position.pan).toBe(camera.model.state.pan);
    expect(position.pan).toBeLessThan(0);
    expect(driver.status).toBe('ok');
  });

  it('queues commands: one in flight, answered in order', async () => {
    const start = camera.heard.length;
    await Promise.all([
      driver.move({ pan: 1, tilt: 0, speed: 1 }),
      driver.move({ pan: 1, tilt: 0, speed: 1 }),
      driver.stopMove(),
      driver.storePreset(9),
    ]);
    expect(heardSince(start)).toEqual([
      '81 01 06 01 18 14 02 03 FF',
      '81 01 06 01 18 14 02 03 FF',
      '81 01 06 01 01 01 03 03 FF',
      '81 01 04 3F 01 09 FF',
    ]);
    expect(camera.model.state.presets.get(9)).toEqual({ pan: 2 * 0x18 * 0x10, tilt: 0, zoom: 0 });
  });

  it('goes connecting when the camera stops answering, and ok again when it answers, without restart', async () => {
    camera.model.silent = true;
    await expect(driver.home()).rejects.toBeInstanceOf(PtzTimeoutError);
    // The next command first tries IF_Clear; no answer to that means the camera is gone.
    await expect(driver.home()).rejects.toBeInstanceOf(PtzTimeoutError);
    await waitFor('status connecting', () => driver.status === 'connecting');
    await expect(driver.home()).rejects.toBeInstanceOf(PtzNotConnectedError);
    camera.model.silent = false;
    await waitFor('status ok again', () => driver.status === 'ok');
    await driver.home();
    expect(statuses).toEqual(['ok', 'connecting', 'ok']);
  });

  it('fails the command in flight at once when the port vanishes, without waiting for its timeout', async () => {
    camera.model.faults.push({ kind: 'ack-only' });
    const recall = driver.recallPreset(1).catch((e: unknown) => e);
    await waitFor('recall on the wire', () => camera.heard.some((p) => hex(p.bytes) === '81 01 04 3F 02 01 FF'));
    await camera.unplug();
    expect(await recall).toBeInstanceOf(PtzNotConnectedError);
  });

  it('goes connecting when the port vanishes (unplug) and ok again when it returns', async () => {
    await camera.unplug();
    await waitFor('status connecting', () => driver.status === 'connecting');
    await expect(driver.move({ pan: 1, tilt: 0 })).rejects.toBeInstanceOf(PtzNotConnectedError);
    const start = camera.heard.length;
    await camera.plugIn();
    await waitFor('status ok after re-plug', () => driver.status === 'ok');
    // A fresh handshake on the new line, then commands work again.
    expect(heardSince(start).slice(0, 2)).toEqual(['88 30 01 FF', '88 01 00 01 FF']);
    await driver.move({ pan: 1, tilt: 0, speed: 1 });
    expect(camera.model.state.pan).toBeGreaterThan(0);
    expect(statuses.slice(0, 1)).toEqual(['ok']);
    expect(statuses.at(-1)).toBe('ok');
    expect(statuses).toContain('connecting');
  });
});
