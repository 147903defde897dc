import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BadConfigError, Driver, type DeviceStatus, type DriverContext } from '../../../hal/core/driver.js';

/** A driver whose device answers or not as the test says: the contract's behaviour without hardware. */
class ScriptedDriver extends Driver {
  readonly kind = 'camera' as const;
  readonly driverName = 'scripted';
  opens = 0;
  closes = 0;
  failWith: Error | undefined;

  constructor(context: DriverContext) {
    super(context);
  }

  protected async open(): Promise<void> {
    this.opens++;
    if (this.failWith) throw this.failWith;
  }

  protected async close(): Promise<void> {
    this.closes++;
  }

  unplug(reason: string): void {
    this.connectionLost(reason);
  }
}

const policy = { initialMs: 1000, maxMs: 8000, factor: 2, jitter: 0 };

describe('Driver lifecycle', () => {
  let statuses: DeviceStatus[];
  let driver: ScriptedDriver;

  beforeEach(() => {
    vi.useFakeTimers();
    statuses = [];
    driver = new ScriptedDriver({ id: 'cam', backoff: policy });
    driver.events.on('status', (snapshot) => statuses.push(snapshot.status));
  });
  afterEach(async () => {
    await driver.stop();
    vi.useRealTimers();
  });

  it('reports ok after a successful open', async () => {
    await driver.start();
    expect(driver.status).toBe('ok');
    expect(driver.snapshot()).toMatchObject({ id: 'cam', kind: 'camera', driver: 'scripted', status: 'ok' });
  });

  it('keeps retrying a device that is absent at start, with growing delays, and picks it up when it appears', async () => {
    driver.failWith = new Error('no such device');
    await driver.start();
    expect(driver.status).toBe('failed');
    expect(driver.snapshot().detail).toBe('no such device');
    expect(driver.opens).toBe(1);

    await vi.advanceTimersByTimeAsync(999);
    expect(driver.opens).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(driver.opens).toBe(2); // after 1 s
    await vi.advanceTimersByTimeAsync(2000);
    expect(driver.opens).toBe(3); // after 2 s more
    await vi.advanceTimersByTimeAsync(4000);
    expect(driver.opens).toBe(4); // after 4 s more
    await vi.advanceTimersByTimeAsync(8000);
    expect(driver.opens).toBe(5); // capped at 8 s
    await vi.advanceTimersByTimeAsync(8000);
    expect(driver.opens).toBe(6);

    driver.failWith = undefined;
    await vi.advanceTimersByTimeAsync(8000);
    expect(driver.status).toBe('ok');
    expect(statuses).toEqual(['failed', 'ok']);
  });

  it('reconnects forever after a loss, resetting the backoff once connected again', async () => {
    await driver.start();
    driver.failWith = new Error('unplugged');
    driver.unplug('EOF on serial port');
    expect(driver.status).toBe('connecting');
    expect(driver.snapshot().detail).toBe('EOF on serial port');

    for (let i = 0; i < 20; i++) await vi.advanceTimersByTimeAsync(8000);
    expect(driver.status).toBe('connecting');
    const attempts = driver.opens;
    expect(attempts).toBeGreaterThan(15);

    driver.failWith = undefined;
    await vi.advanceTimersByTimeAsync(8000);
    expect(driver.status).toBe('ok');

    driver.failWith = new Error('unplugged again');
    driver.unplug('EOF again');
    const before = driver.opens;
    await vi.advanceTimersByTimeAsync(1000);
    expect(driver.opens).toBe(before + 1); // back to the first delay
    expect(statuses.filter((s) => s === 'ok')).toHaveLength(2);
  });

  it('does not retry a configuration that cannot work', async () => {
    driver.failWith = new BadConfigError('baud rate 1234 is not supported by VISCA');
    await driver.start();
    expect(driver.status).toBe('bad-config');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(driver.opens).toBe(1);
  });

  it('stops retrying after stop() and closes the device', async () => {
    driver.failWith = new Error('absent');
    await driver.start();
    await driver.stop();
    const opens = driver.opens;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(driver.opens).toBe(opens);
    expect(driver.closes).toBeGreaterThanOrEqual(1);
  });

  it('never lets a listener exception escape into the driver', async () => {
    const logged: unknown[] = [];
    const noisy = new ScriptedDriver({
      id: 'noisy',
      backoff: policy,
      logger: { info() {}, warn() {}, debug() {}, error: (obj) => logged.push(obj) },
    });
    noisy.events.on('status', () => {
      throw new Error('listener bug');
    });
    const seen: DeviceStatus[] = [];
    noisy.events.on('status', (s) => seen.push(s.status));
    await expect(noisy.start()).resolves.toBeUndefined();
    expect(noisy.status).toBe('ok');
    expect(seen).toEqual(['ok']);
    expect(logged).toHaveLength(1);
    await noisy.stop();
  });
});
