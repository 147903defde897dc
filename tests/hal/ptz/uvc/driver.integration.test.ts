import { mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PtzNotConnectedError } from '../../../../hal/ptz/errors.js';
import { UvcPtz } from '../../../../hal/ptz/uvc/driver.js';
import { installFakeV4l2Ctl } from '../helpers/fake-v4l2-ctl.js';
import { testBackoff } from '../helpers/wait.js';
import { waitFor } from '../../../support/wait.js';

/** No UVC PTZ camera exists here: the driver runs against the fake v4l2-ctl of helpers/fake-v4l2-ctl.ts. */
describe('uvc driver ↔ fake v4l2-ctl on PATH', () => {
  let dir: string;
  let driver: UvcPtz;

  const calls = async () =>
    (await readFile(join(dir, 'calls.log'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as string[]);
  const state = async () => JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as Record<string, number>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'uvc-ptz-'));
    const env = await installFakeV4l2Ctl(dir);
    driver = new UvcPtz({ id: 'ptz', backoff: testBackoff }, { device: '/dev/video9' }, { env, timeoutMs: 15_000 });
    await driver.start();
  });

  afterEach(async () => {
    await driver?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the control ranges at open with --list-ctrls', async () => {
    expect(driver.status).toBe('ok');
    expect(await calls()).toEqual([['-d', '/dev/video9', '--list-ctrls']]);
    expect(driver.capabilities.presets).toBe('host');
  });

  it('drives to absolute positions, fitted to the step grid and range', async () => {
    await driver.goTo({ pan: 5500, tilt: -99999, zoom: 250 });
    expect((await calls()).at(-1)).toEqual([
      '-d',
      '/dev/video9',
      '--set-ctrl=pan_absolute=7200,tilt_absolute=-36000,zoom_absolute=250',
    ]);
    expect(await driver.position()).toEqual({ pan: 7200, tilt: -36000, zoom: 250 });
    expect((await calls()).at(-1)).toEqual([
      '-d',
      '/dev/video9',
      '--get-ctrl=pan_absolute,tilt_absolute,zoom_absolute',
    ]);
  });

  it('nudges on move and zoom, and goes home to the control defaults', async () => {
    await driver.move({ pan: 1, tilt: -1, speed: 1 });
    expect(await state()).toMatchObject({ pan_absolute: 3600, tilt_absolute: -3600 });
    await driver.zoom(1, 1);
    expect((await state()).zoom_absolute).toBe(120);
    await driver.home();
    expect(await state()).toEqual({ pan_absolute: 0, tilt_absolute: 0, zoom_absolute: 100 });
  });

  it('keeps presets as positions on the host', async () => {
    await driver.goTo({ pan: -10800, tilt: 3600, zoom: 400 });
    await driver.storePreset(1);
    await driver.home();
    await driver.recallPreset(1);
    expect(await state()).toEqual({ pan_absolute: -10800, tilt_absolute: 3600, zoom_absolute: 400 });
    await expect(driver.recallPreset(2)).rejects.toMatchObject({
      name: 'PtzCommandError',
      reason: 'preset-not-stored',
    });
  });

  it('goes connecting when the device cannot be opened any more and ok when it is back', async () => {
    await writeFile(join(dir, 'unplugged'), '');
    await expect(driver.position()).rejects.toBeInstanceOf(PtzNotConnectedError);
    expect(driver.status).toBe('connecting');
    await unlink(join(dir, 'unplugged'));
    await waitFor('status ok again', () => driver.status === 'ok', 20_000);
    expect((await calls()).filter((c) => c.includes('--list-ctrls')).length).toBeGreaterThanOrEqual(2);
  });

  it('reports bad-config for a camera without PTZ controls', async () => {
    await driver.stop();
    await writeFile(
      join(dir, 'v4l2-ctl'),
      '#!/bin/sh\necho "                     brightness 0x00980900 (int)    : min=0 max=255 step=1 default=128 value=128"\n',
    );
    const plain = new UvcPtz(
      { id: 'ptz', backoff: testBackoff },
      { device: '/dev/video0' },
      { env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } },
    );
    await plain.start();
    try {
      expect(plain.status).toBe('bad-config');
      expect(plain.snapshot().detail).toMatch(/not a UVC PTZ camera/);
    } finally {
      await plain.stop();
    }
  });
});
