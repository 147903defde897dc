import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { gpioConfig, type ButtonName } from '../../../hal/gpio/config.js';
import { OnoffGpio } from '../../../hal/gpio/onoff/driver.js';
import { FakeChip } from './fake-onoff.js';

// This machine has no /sys/class/gpio (onoff's Gpio.accessible is false), so the driver runs against
// FakeChip, which has onoff's API and the kernel's active_low behaviour. Timers are faked for debounce.
const options = gpioConfig.parse({
  driver: 'onoff',
  debounceMs: 40,
  buttons: { callTechnician: { line: 17 }, mute: { line: 27 } },
  outputs: { tally: { line: 22 }, doorSign: { line: 23, activeLow: true } },
});
if (options.driver !== 'onoff') throw new Error('unreachable');

describe('OnoffGpio', () => {
  let chip: FakeChip;
  let gpio: OnoffGpio;
  let pressed: ButtonName[];

  beforeEach(async () => {
    vi.useFakeTimers();
    chip = new FakeChip();
    gpio = new OnoffGpio({ id: 'gpio', random: () => 0 }, options, chip);
    pressed = [];
    gpio.events.on('button', (name) => pressed.push(name));
    await gpio.start();
  });
  afterEach(async () => {
    await gpio.stop();
    vi.useRealTimers();
  });

  it('opens buttons as edge-both inputs with activeLow, outputs as plain outputs', () => {
    expect(gpio.status).toBe('ok');
    expect(chip.line(17)).toMatchObject({ direction: 'in', edge: 'both', options: { activeLow: true } });
    expect(chip.line(27)).toMatchObject({ direction: 'in', edge: 'both', options: { activeLow: true } });
    expect(chip.line(22)).toMatchObject({ direction: 'out', edge: 'none', options: { activeLow: false }, physical: 0 });
    // The door sign is wired active-low: off means the line is held high.
    expect(chip.line(23)).toMatchObject({ direction: 'out', options: { activeLow: true }, physical: 1 });
  });

  it('reports one press for a bouncing contact, only after the debounce time', () => {
    const line = chip.line(17);
    line.drive(0);
    line.drive(1);
    line.drive(0);
    vi.advanceTimersByTime(39);
    expect(pressed).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(pressed).toEqual(['callTechnician']);
    line.drive(1);
    line.drive(0);
    line.drive(1);
    vi.advanceTimersByTime(100);
    expect(pressed).toEqual(['callTechnician']);
  });

  it('ignores a glitch shorter than debounceMs and tells buttons apart', () => {
    chip.line(27).drive(0);
    vi.advanceTimersByTime(10);
    chip.line(27).drive(1);
    vi.advanceTimersByTime(100);
    expect(pressed).toEqual([]);
    chip.line(27).drive(0);
    vi.advanceTimersByTime(50);
    expect(pressed).toEqual(['mute']);
  });

  it('drives outputs with activeLow honoured', async () => {
    await gpio.setOutput('tally', true);
    await gpio.setOutput('doorSign', true);
    expect(chip.line(22).physical).toBe(1);
    expect(chip.line(23).physical).toBe(0);
    expect(gpio.output('doorSign')).toBe(true);
    await gpio.setOutput('doorSign', false);
    expect(chip.line(23).physical).toBe(1);
  });

  it('on a watch error reconnects, re-exports the lines and restores the outputs', async () => {
    await gpio.setOutput('tally', true);
    const before = chip.opened;
    chip.line(17).failWatch(new Error('EIO'));
    expect(gpio.status).toBe('connecting');
    await vi.advanceTimersByTimeAsync(1000);
    expect(gpio.status).toBe('ok');
    expect(chip.opened).toBe(before + 4);
    expect(chip.line(22).physical).toBe(1);
    chip.line(17).drive(0);
    vi.advanceTimersByTime(40);
    expect(pressed).toEqual(['callTechnician']);
  });

  it('stop unwatches and unexports every line', async () => {
    await gpio.stop();
    for (const line of chip.lines.values()) {
      expect(line.exported).toBe(false);
      expect(line.watcherCount).toBe(0);
    }
  });
});

describe('OnoffGpio without GPIO access', () => {
  it('reports bad-config and does not retry', async () => {
    const chip = new FakeChip(false);
    const gpio = new OnoffGpio({ id: 'gpio' }, options, chip);
    await gpio.start();
    expect(gpio.status).toBe('bad-config');
    expect(gpio.snapshot().detail).toMatch(/not accessible/);
    expect(chip.opened).toBe(0);
    await gpio.stop();
  });
});
