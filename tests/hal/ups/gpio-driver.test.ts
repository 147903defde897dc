import { afterEach, describe, expect, it, vi } from 'vitest';
import { GpioUps, type PowerFailLine } from '../../../hal/ups/gpio/driver.js';

/**
 * This machine has no GPIO (onoff's Gpio.accessible is false), so the driver runs against a fake
 * with onoff's API: the edges a real line would raise are raised by the test. Debounce timing uses
 * vitest's fake clock.
 */
class FakeGpio implements PowerFailLine {
  static accessible = true;
  static last: FakeGpio | undefined;
  /** The level the next line opens with. */
  static initialValue: 0 | 1 = 0;
  value: 0 | 1 = FakeGpio.initialValue;
  unexported = false;
  readonly #watchers: ((error: Error | null | undefined, value: 0 | 1) => void)[] = [];

  constructor(
    readonly gpio: number,
    readonly direction: string,
    readonly edge: string,
    readonly options?: { activeLow?: boolean },
  ) {
    FakeGpio.last = this;
  }

  readSync(): 0 | 1 {
    return this.value;
  }

  watch(callback: (error: Error | null | undefined, value: 0 | 1) => void): void {
    this.#watchers.push(callback);
  }

  unwatchAll(): void {
    this.#watchers.splice(0);
  }

  unexport(): void {
    this.unexported = true;
  }

  /** The level changes: edge "both" reports every change. */
  drive(value: 0 | 1): void {
    if (value === this.value) return;
    this.value = value;
    for (const watcher of this.#watchers) watcher(null, value);
  }
}

describe('gpio power-fail driver (fake onoff line)', () => {
  let driver: GpioUps | undefined;
  afterEach(async () => {
    await driver?.stop();
    driver = undefined;
    vi.useRealTimers();
  });

  async function setUp(initial: 0 | 1 = 0) {
    vi.useFakeTimers();
    FakeGpio.initialValue = initial;
    driver = new GpioUps(
      { id: 'ups' },
      { driver: 'gpio', powerFailLine: 17, activeLow: true, debounceMs: 50 },
      FakeGpio,
    );
    const events: string[] = [];
    for (const event of ['onBattery', 'onLine'] as const) driver.events.on(event, () => events.push(event));
    await driver.start();
    const line = FakeGpio.last!;
    return { driver, line, events };
  }

  it('opens the line as an input with edge both and the configured polarity', async () => {
    const { driver, line } = await setUp();
    expect([line.gpio, line.direction, line.edge, line.options]).toEqual([17, 'in', 'both', { activeLow: true }]);
    expect(driver.snapshot().status).toBe('ok');
    expect(driver.reading?.flags).toEqual(['OL']);
  });

  it('a bouncing contact yields one on-battery event after it settles, and one on-line event back', async () => {
    const { driver, line, events } = await setUp();
    for (const level of [1, 0, 1, 0, 1] as const) {
      line.drive(level);
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(events).toEqual([]);
    await vi.advanceTimersByTimeAsync(50);
    expect(events).toEqual(['onBattery']);
    expect(driver.reading).toMatchObject({ flags: ['OB'], batteryCharge: null, batteryRuntime: null });
    line.drive(0);
    await vi.advanceTimersByTimeAsync(49);
    expect(events).toEqual(['onBattery']);
    await vi.advanceTimersByTimeAsync(1);
    expect(events).toEqual(['onBattery', 'onLine']);
  });

  it('a glitch shorter than the debounce changes nothing', async () => {
    const { line, events, driver } = await setUp();
    const readings: string[][] = [];
    driver.events.on('reading', (reading) => readings.push(reading.flags));
    line.drive(1);
    await vi.advanceTimersByTimeAsync(20);
    line.drive(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(events).toEqual([]);
    expect(readings).toEqual([]);
  });

  it('starting while already on battery reports it', async () => {
    const { events } = await setUp(1);
    expect(events).toEqual(['onBattery']);
  });

  it('releases the line on stop', async () => {
    const { driver, line } = await setUp();
    await driver.stop();
    expect(line.unexported).toBe(true);
  });

  it('without GPIO on the machine: bad config, not a retry loop', async () => {
    class NoGpio extends FakeGpio {
      static override accessible = false;
    }
    driver = new GpioUps(
      { id: 'ups' },
      { driver: 'gpio', powerFailLine: 17, activeLow: false, debounceMs: 50 },
      NoGpio,
    );
    await driver.start();
    expect(driver.snapshot()).toMatchObject({ status: 'bad-config' });
  });

  it('with the real onoff module on this machine (no /sys/class/gpio): bad config', async () => {
    driver = new GpioUps({ id: 'ups' }, { driver: 'gpio', powerFailLine: 17, activeLow: false, debounceMs: 50 });
    await driver.start();
    expect(driver.snapshot()).toMatchObject({ status: 'bad-config' });
  });
});
