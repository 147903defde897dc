import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../config/load.js';

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
    else if (key === 'dtparam') for (const part of value.split(',')) {
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
