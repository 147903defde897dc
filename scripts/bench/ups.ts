import { execFile } from 'node:child_process';
import { NutUps } from '../../hal/ups/nut/driver.js';
import type { UpsEvents } from '../../hal/ups/types.js';
import { NutHarness } from '../../hal/ups/nut/nut-harness.js';
import type { BenchFigure, BenchSuite } from './types.js';
import { median, percentile } from './stats.js';

/**
 * NUT event latency: from the moment a dummy-ups `.dev` file edit is in place to the nut driver's
 * onBattery/onLine event, over a real upsd + dummy-ups (dummy-ups re-reads the file every second,
 * its minimum). The peer, in the same run and against the same upsd, is NUT's own `upsc` polled at
 * the driver's interval: the ratio shows what our client adds over the reference client.
 *
 * Edits are spaced by varying pauses so they land at different phases of dummy-ups' 1 s cycle.
 */
const edits = 24;
const pollMs = 200;
const eventTimeoutMs = 10_000;

export const upsBench: BenchSuite = {
  name: 'ups',
  async run(): Promise<BenchFigure[]> {
    const nut = await NutHarness.start({ pollIntervalSeconds: 1 });
    const driver = new NutUps(
      { id: 'ups' },
      { driver: 'nut', host: '127.0.0.1', port: nut.port, upsName: nut.upsName, starttls: false, pollMs },
    );
    const upscWatcher = new UpscWatcher(nut.address);
    try {
      await driver.start();
      if (driver.status !== 'ok')
        throw new Error(`nut driver did not connect: ${driver.snapshot().detail ?? driver.status}`);
      upscWatcher.start();
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let i = 0; i < edits; i++) {
        const onBattery = i % 2 === 0;
        const status = onBattery ? 'OB DISCHRG' : 'OL';
        const event: keyof UpsEvents = onBattery ? 'onBattery' : 'onLine';
        const driverSaw = once(driver, event);
        const upscSaw = upscWatcher.waitFor(status);
        const editedAt = await nut.setVariables({ 'ups.status': status });
        const [driverAt, upscAt] = await Promise.all([driverSaw, upscSaw]);
        ours.push(driverAt - editedAt);
        theirs.push(upscAt - editedAt);
        await delay((i * 137) % 1000);
      }
      const figure = (name: string, values: number[], peer: number[], pick: (v: number[]) => number): BenchFigure => ({
        name,
        value: pick(values),
        unit: 'ms',
        ratio: { peer: `upsc polled every ${pollMs} ms`, value: pick(values) / pick(peer) },
      });
      return [
        figure('NUT edit→event latency, median', ours, theirs, median),
        figure('NUT edit→event latency, p95', ours, theirs, p95),
        { name: 'upsc edit→seen latency, median', value: median(theirs), unit: 'ms' },
        { name: 'upsc edit→seen latency, p95', value: p95(theirs), unit: 'ms' },
        { name: 'edits measured', value: edits, unit: 'edits' },
      ];
    } finally {
      await upscWatcher.stop();
      await driver.stop();
      await nut.stop();
    }
  },
};

function once(driver: NutUps, event: keyof UpsEvents): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} within ${eventTimeoutMs} ms`));
    }, eventTimeoutMs);
    const off = driver.events.on(event, () => {
      clearTimeout(timer);
      off();
      resolve(performance.now());
    });
  });
}

/** Runs `upsc <ups> ups.status` every pollMs (one at a time) and notes when each value first shows. */
class UpscWatcher {
  #running = false;
  #loop: Promise<void> | undefined;
  #waiters: { status: string; resolve: (at: number) => void }[] = [];

  constructor(private readonly address: string) {}

  start(): void {
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }

  waitFor(status: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`upsc did not show "${status}" within ${eventTimeoutMs} ms`)),
        eventTimeoutMs,
      );
      this.#waiters.push({
        status,
        resolve: (at) => {
          clearTimeout(timer);
          resolve(at);
        },
      });
    });
  }

  async #run(): Promise<void> {
    while (this.#running) {
      const started = performance.now();
      const value = await upsc(this.address);
      const at = performance.now();
      for (const waiter of this.#waiters.filter((w) => w.status === value)) waiter.resolve(at);
      this.#waiters = this.#waiters.filter((w) => w.status !== value);
      await delay(Math.max(0, pollMs - (performance.now() - started)));
    }
  }
}

function upsc(address: string): Promise<string> {
  return new Promise((resolve) => {
    execFile('upsc', [address, 'ups.status'], { timeout: 5000 }, (_error, stdout) => resolve(String(stdout).trim()));
  });
}

const p95 = (values: number[]) => percentile(values, 0.95);

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
