import { watch, type FSWatcher } from 'node:fs';
import { describeError, silentLogger, type DriverLogger } from '../core/driver.js';
import { TypedEmitter } from '../core/typed-emitter.js';
import { diffScans } from './parse.js';
import { scanDevices, type ScanSources } from './scan.js';
import type { DiscoveredChange, DiscoveredDevice } from './types.js';

export type DiscoveryEvents = {
  change: [change: DiscoveredChange];
};

export interface DiscoveryOptions extends ScanSources {
  /** Full re-scan period: the ground truth where /dev events are missed. */
  intervalMs: number;
  /** Quiet time after a /dev event before scanning: a USB camera creates several nodes in a burst. */
  settleMs: number;
  logger?: DriverLogger;
}

/**
 * Keeps a current list of cameras, serial ports and microphones, and reports plug/unplug as the
 * difference between successive scans. Scans run on an interval and shortly after any change in
 * /dev seen by fs.watch; they never overlap.
 */
export class DeviceDiscovery {
  readonly events: TypedEmitter<DiscoveryEvents>;
  #devices: DiscoveredDevice[] = [];
  #scannedAt: Date | undefined;
  #interval: NodeJS.Timeout | undefined;
  #settle: NodeJS.Timeout | undefined;
  #watcher: FSWatcher | undefined;
  #scanning: Promise<void> | undefined;
  #again = false;
  #running = false;
  readonly #logger: DriverLogger;

  constructor(private readonly options: DiscoveryOptions) {
    this.#logger = options.logger ?? silentLogger;
    this.events = new TypedEmitter<DiscoveryEvents>((error) =>
      this.#logger.error({ err: describeError(error) }, 'discovery listener threw'),
    );
  }

  get devices(): readonly DiscoveredDevice[] {
    return this.#devices;
  }

  get scannedAt(): Date | undefined {
    return this.#scannedAt;
  }

  /** The first scan is the baseline: devices present at start are not reported as plugged. */
  async start(): Promise<void> {
    this.#running = true;
    this.#devices = await scanDevices(this.options);
    this.#scannedAt = new Date();
    this.#interval = setInterval(() => void this.scan(), this.options.intervalMs);
    this.#interval.unref?.();
    try {
      this.#watcher = watch(this.options.devRoot, () => this.#soon());
      this.#watcher.on('error', (error) => {
        this.#logger.warn({ err: error.message }, 'watching /dev failed; interval scans continue');
        this.#watcher?.close();
        this.#watcher = undefined;
      });
    } catch (error) {
      this.#logger.warn({ err: describeError(error) }, 'cannot watch /dev; interval scans only');
    }
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearInterval(this.#interval);
    clearTimeout(this.#settle);
    this.#watcher?.close();
    this.#watcher = undefined;
    await this.#scanning;
  }

  /** Scans now (or right after the scan under way) and emits the changes. */
  scan(): Promise<void> {
    if (this.#scanning) {
      this.#again = true;
      return this.#scanning;
    }
    this.#scanning = (async () => {
      do {
        this.#again = false;
        await this.#scanOnce();
      } while (this.#again && this.#running);
    })().finally(() => {
      this.#scanning = undefined;
    });
    return this.#scanning;
  }

  #soon(): void {
    clearTimeout(this.#settle);
    this.#settle = setTimeout(() => void this.scan(), this.options.settleMs);
    this.#settle.unref?.();
  }

  async #scanOnce(): Promise<void> {
    try {
      const next = await scanDevices(this.options);
      const now = new Date();
      const changes = diffScans(this.#devices, next, now);
      this.#devices = next;
      this.#scannedAt = now;
      for (const change of changes) this.events.emit('change', change);
    } catch (error) {
      this.#logger.warn({ err: describeError(error) }, 'device scan failed');
    }
  }
}
