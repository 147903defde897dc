import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfig, projectRoot } from '../../config/load.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

const run = promisify(execFile);

/** `key=value` settings and `dtoverlay=` lines of a Raspberry Pi config.txt, comments dropped. */
function parseBootConfig(text: string): { params: Map<string, string>; overlays: string[] } {
  const params = new Map<string, string>();
  const overlays: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line || line.startsWith('[')) continue;
    const [key, ...rest] = line.split('=');
    const value = rest.join('=');
    if (key === 'dtoverlay') overlays.push(value);
    else if (key === 'dtparam')
      for (const part of value.split(',')) {
        const [name, setting] = part.split('=');
        params.set(`dtparam:${name}`, setting ?? 'on');
      }
    else params.set(key!, value);
  }
  return { params, overlays };
}

describe('Raspberry Pi 5 boot configuration', () => {
  const text = readFileSync(join(projectRoot(), 'firmware', 'raspberry-pi-5', 'config.txt'), 'utf8');
  const { params, overlays } = parseBootConfig(text);

  it('enables the UART wired to the RS-485 PTZ transceiver', () => {
    expect(params.get('enable_uart')).toBe('1');
    expect(overlays).toContain('uart0-pi5');
  });

  it('enables I2C and the hardware watchdog', () => {
    expect(params.get('dtparam:i2c_arm')).toBe('on');
    expect(params.get('dtparam:watchdog')).toBe('on');
  });

  it('turns the power button into a clean shutdown on GPIO3', () => {
    const shutdown = overlays.find((o) => o.startsWith('gpio-shutdown'));
    expect(shutdown).toBeDefined();
    expect(shutdown).toMatch(/gpio_pin=3\b/);
  });

  it('has systemd feed the watchdog', () => {
    const conf = readFileSync(join(projectRoot(), 'firmware', 'raspberry-pi-5', 'system.conf.d-watchdog.conf'), 'utf8');
    expect(conf).toMatch(/^\[Manager\]$/m);
    expect(Number(/^RuntimeWatchdogSec=(\d+)/m.exec(conf)?.[1])).toBeGreaterThan(0);
  });
});

/** The pin groups a compiled overlay configures: node name → its GPIO numbers and pin settings. */
function overlayPinGroups(dts: string): Map<string, { pins: number[]; settings: string[] }> {
  const groups = new Map<string, { pins: number[]; settings: string[] }>();
  for (const match of dts.matchAll(/([a-z0-9-]+) \{([^{}]*)\}/g)) {
    const body = match[2]!;
    const pins = /pins = "([^"]+)";/.exec(body)?.[1];
    if (!pins) continue;
    const settings = body
      .split(';')
      .map((s) => s.trim())
      .filter((s) => s && !s.includes('='));
    groups.set(match[1]!, { pins: pins.split('\\0').map((p) => Number(/^gpio(\d+)$/.exec(p)?.[1])), settings });
  }
  return groups;
}

describe('Raspberry Pi 5 room I/O overlay', () => {
  const source = join(projectRoot(), 'firmware', 'raspberry-pi-5', 'overlays', 'diemcau-io.dts');
  /** The UPS HAT's power-fail line (firmware/README.md), for rooms with `hal.ups.driver: gpio`. */
  const powerFailLine = 24;
  let groups: Map<string, { pins: number[]; settings: string[] }>;
  let dir: string;

  beforeAll(async () => {
    dir = await makeTempDir('dtc');
    const dtbo = join(dir, 'diemcau-io.dtbo');
    await run('dtc', ['-@', '-q', '-I', 'dts', '-O', 'dtb', '-o', dtbo, source]);
    // Read back from the compiled blob: what the boot firmware applies, not what the source says.
    groups = overlayPinGroups((await run('dtc', ['-q', '-I', 'dtb', '-O', 'dts', dtbo])).stdout);
  });
  afterAll(() => removeTempDir(dir));

  it('compiles with dtc into an overlay on the RP1 GPIO controller', async () => {
    const decompiled = (await run('dtc', ['-q', '-I', 'dtb', '-O', 'dts', join(dir, 'diemcau-io.dtbo')])).stdout;
    expect(decompiled).toMatch(/rp1_gpio = "\/fragment@0:target:0"/);
    expect(readFileSync(join(projectRoot(), 'firmware', 'raspberry-pi-5', 'config.txt'), 'utf8')).toMatch(
      /^dtoverlay=diemcau-io$/m,
    );
  });

  it('declares the pins of the Raspberry Pi profile: buttons pulled up, outputs low, the power-fail line pulled down', () => {
    const profile = loadConfigFile(join(projectRoot(), 'config', 'examples', 'rpi5-visca-nut.json'));
    const gpio = profile.hal.gpio;
    if (gpio.driver !== 'onoff') throw new Error('the Raspberry Pi profile drives its I/O with onoff');
    const lines = (items: Record<string, { line: number } | undefined>) =>
      Object.values(items)
        .map((i) => i!.line)
        .sort((a, b) => a - b);
    expect(groups.get('diemcau-buttons')).toEqual({
      pins: lines(gpio.buttons),
      settings: expect.arrayContaining(['bias-pull-up', 'input-enable']),
    });
    expect(Object.values(gpio.buttons).every((b) => b!.activeLow)).toBe(true);
    expect(groups.get('diemcau-outputs')).toEqual({
      pins: lines(gpio.outputs),
      settings: expect.arrayContaining(['output-low']),
    });
    expect(groups.get('diemcau-power-fail')).toEqual({
      pins: [powerFailLine],
      settings: expect.arrayContaining(['bias-pull-down', 'input-enable']),
    });
  });

  it('leaves the pins of the UART, I2C and power button alone, and the power-fail line fits the profile', () => {
    const used = [...groups.values()].flatMap((g) => g.pins);
    expect(new Set(used).size).toBe(used.length);
    for (const reserved of [2, 3, 14, 15]) expect(used).not.toContain(reserved);
    // The same room with a UPS HAT instead of NUT: a valid config with the overlay's line.
    const profile = JSON.parse(readFileSync(join(projectRoot(), 'config', 'examples', 'rpi5-visca-nut.json'), 'utf8'));
    profile.hal.ups = { driver: 'gpio', powerFailLine };
    expect(() => parseConfig(profile)).not.toThrow();
  });
});
