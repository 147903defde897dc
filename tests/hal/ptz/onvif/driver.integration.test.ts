import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../../../hal/core/driver.js';
import { PtzCommandError, PtzNotConnectedError, PtzTimeoutError } from '../../../../hal/ptz/errors.js';
import { OnvifPtz, type OnvifPtzOptions } from '../../../../hal/ptz/onvif/driver.js';
import { describeOnvifCamera, probeOnvifCameras } from '../../../../hal/ptz/onvif/discovery.js';
import { OnvifCameraEmulator } from '../../../../hal/ptz/onvif/emulator.js';
import { makeTempDir, removeTempDir } from '../../../support/temp-dir.js';
import { waitFor } from '../../../support/wait.js';
import { testBackoff } from '../helpers/wait.js';

/** The real `onvif` driver (npm onvif client) against the ONVIF camera emulator over real HTTP and UDP on this machine. */
describe('onvif driver ↔ emulated ONVIF camera', () => {
  let dir: string;
  let camera: OnvifCameraEmulator;
  let driver: OnvifPtz | undefined;
  let statuses: DeviceStatus[];
  let passwordFile: string;

  const options = (overrides: Partial<OnvifPtzOptions> = {}): OnvifPtzOptions => ({
    host: '127.0.0.1',
    port: camera.port,
    path: '/onvif/device_service',
    username: 'admin',
    passwordFile,
    timeoutMs: 800,
    checkMs: 200,
    ...overrides,
  });
  const startDriver = async (overrides: Partial<OnvifPtzOptions> = {}) => {
    driver = new OnvifPtz({ id: 'ptz', backoff: testBackoff }, options(overrides));
    driver.events.on('status', (s) => statuses.push(s.status));
    await driver.start();
    return driver;
  };

  beforeEach(async () => {
    dir = await makeTempDir('onvif');
    passwordFile = join(dir, 'camera.password');
    await writeFile(passwordFile, 'Mat-khau-1\n', { mode: 0o600 });
    // A whole-second offset: the camera's clock has a resolution of one second, the drift is rounded to it.
    camera = new OnvifCameraEmulator({
      username: 'admin',
      password: 'Mat-khau-1',
      rtsp: { host: '127.0.0.1', port: 8554 },
      clockOffsetMs: -4000,
    });
    await camera.plugIn();
    statuses = [];
  });

  afterEach(async () => {
    await driver?.stop();
    driver = undefined;
    await camera?.unplug();
    await removeTempDir(dir);
  });

  it('discovery finds the emulator by WS-Discovery; its model, profiles and stream addresses are read', async () => {
    const found = await probeOnvifCameras(1500);
    const ours = found.find((c) => c.endpoint === camera.uuid);
    expect(ours).toMatchObject({
      xaddr: camera.xaddr,
      host: '127.0.0.1',
      port: camera.port,
      path: '/onvif/device_service',
      hardware: 'ONVIF-EMU-PTZ',
    });
    const description = await describeOnvifCamera({
      host: '127.0.0.1',
      port: camera.port,
      username: 'admin',
      password: 'Mat-khau-1',
      timeoutMs: 1000,
    });
    expect(description.identity).toMatchObject({ model: 'ONVIF-EMU-PTZ', manufacturer: 'Điểm Cầu' });
    expect(description.profiles).toEqual([
      {
        token: 'profile-main',
        name: 'MainStream',
        encoding: 'H264',
        width: 1280,
        height: 720,
        fps: 25,
        bitrateKbps: 2048,
        hasPtz: true,
        streamUrl: 'rtsp://127.0.0.1:8554/main',
      },
      {
        token: 'profile-sub',
        name: 'SubStream',
        encoding: 'H264',
        width: 640,
        height: 360,
        fps: 15,
        bitrateKbps: 512,
        hasPtz: true,
        streamUrl: 'rtsp://127.0.0.1:8554/sub',
      },
    ]);
    expect(description.clock.driftSeconds).toBe(-4);
  });

  it('opens ok with the clock drift in its snapshot; moves, zoom and stop change the camera state', async () => {
    await startDriver();
    expect(driver!.status).toBe('ok');
    expect(driver!.snapshot().clock?.driftSeconds).toBe(-4);
    await driver!.move({ pan: 1, tilt: -1, speed: 0.8 });
    expect(camera.model.velocity()).toEqual({ x: 0.8, y: -0.8, zoom: 0 });
    await driver!.zoom(1, 0.5);
    expect(camera.model.velocity()).toEqual({ x: 0.8, y: -0.8, zoom: 0.5 });
    await driver!.zoom(0);
    expect(camera.model.velocity()).toEqual({ x: 0.8, y: -0.8, zoom: 0 });
    await driver!.stopMove();
    expect(camera.model.moving).toBe(false);
    const here = camera.model.position();
    expect(here.x).toBeGreaterThan(0);
    expect(here.y).toBeLessThan(0);
    expect(await driver!.position()).toEqual({ pan: here.x, tilt: here.y, zoom: here.zoom });
  });

  it('absolute, relative, presets by slot (stored in the camera, overwritten in place) and home', async () => {
    await startDriver();
    await driver!.goTo({ pan: 0.25, tilt: 0.5, zoom: 0.75 });
    expect(camera.model.position()).toEqual({ x: 0.25, y: 0.5, zoom: 0.75 });
    await driver!.storePreset(2);
    await driver!.relativeMove({ pan: -0.5, tilt: 0, zoom: -0.25 });
    expect(camera.model.position()).toEqual({ x: -0.25, y: 0.5, zoom: 0.5 });
    await driver!.home();
    expect(camera.model.position()).toEqual({ x: 0, y: 0, zoom: 0 });
    await driver!.recallPreset(2);
    expect(camera.model.position()).toEqual({ x: 0.25, y: 0.5, zoom: 0.75 });
    await driver!.goTo({ pan: -1, tilt: -1, zoom: 0 });
    await driver!.storePreset(2);
    expect(camera.model.presets()).toEqual([{ token: '1', name: 'diemcau-2', position: { x: -1, y: -1, zoom: 0 } }]);
    await expect(driver!.recallPreset(9)).rejects.toBeInstanceOf(PtzCommandError);
  });

  it('a wrong password is bad-config (no retrying); so is a missing password file', async () => {
    await writeFile(passwordFile, 'sai-mat-khau\n');
    await startDriver();
    expect(driver!.snapshot()).toMatchObject({
      status: 'bad-config',
      detail: 'the camera refused user "admin": check the user and the password file',
    });
    expect(driver!.snapshot().detail).not.toContain('sai-mat-khau');
    await driver!.stop();
    await startDriver({ passwordFile: join(dir, 'missing') });
    expect(driver!.snapshot()).toMatchObject({ status: 'bad-config' });
    expect(driver!.snapshot().detail).toContain('cannot be read: ENOENT');
    await driver!.stop();
    await writeFile(passwordFile, 'Mat-khau-1\n');
    await startDriver({ profileToken: 'profile-4k' });
    expect(driver!.snapshot()).toMatchObject({
      status: 'bad-config',
      detail: 'the camera has no media profile "profile-4k" (it has profile-main, profile-sub)',
    });
    // The npm client digests passwords as ASCII: a Vietnamese one would fail as "wrong password" for no visible reason.
    await driver!.stop();
    await writeFile(passwordFile, 'Mật-khẩu\n');
    await startDriver();
    expect(driver!.snapshot()).toMatchObject({
      status: 'bad-config',
      detail: 'the ONVIF password must be printable ASCII (the onvif client digests it as ASCII)',
    });
  });

  it('an emulator absent at start, then there, then gone, then back: failed → ok → connecting → ok, without a restart', async () => {
    await camera.unplug();
    await startDriver();
    expect(driver!.status).toBe('failed');
    await camera.plugIn();
    await waitFor('ok after the camera appears', () => driver!.status === 'ok');
    await camera.unplug();
    await waitFor('loss noticed by the clock check', () => driver!.status === 'connecting');
    await expect(driver!.move({ pan: 1, tilt: 0 })).rejects.toBeInstanceOf(PtzNotConnectedError);
    await camera.plugIn();
    await waitFor('ok again', () => driver!.status === 'ok');
    expect(statuses).toEqual(['failed', 'ok', 'connecting', 'ok']);
    await driver!.move({ pan: -1, tilt: 0, speed: 1 });
    expect(camera.model.velocity().x).toBe(-1);
  });

  it('a camera that hangs: the command times out and is never re-sent; a SOAP fault is a refused command', async () => {
    await startDriver({ checkMs: 60_000 });
    camera.silent = true;
    const before = camera.requests.get('ContinuousMove') ?? 0;
    await expect(driver!.move({ pan: 1, tilt: 0 })).rejects.toBeInstanceOf(PtzTimeoutError);
    camera.silent = false;
    await driver!.stopMove();
    expect(camera.requests.get('ContinuousMove')).toBe(before + 1);
    camera.faults.push({ code: 'Receiver', subcode: 'ter:NotExecutable', reason: 'PTZ is locked by another user' });
    const refused = await driver!.move({ pan: 0, tilt: 1 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PtzCommandError);
    expect((refused as Error).message).toContain('PTZ is locked by another user');
    expect(driver!.status).toBe('ok');
  });
});
