import type { HalConfig } from '../../hal/config.js';
import type { DeviceSnapshot, Driver } from '../../hal/core/driver.js';
import { createDevices, deviceKinds, type Devices } from '../../hal/registry.js';
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';

/**
 * Owns the room's device drivers. A device that fails does not fail the daemon: it reports its
 * status and its driver keeps retrying.
 */
export class HardwareService implements Service {
  readonly name = 'hardware';
  #devices: Devices = {};
  #disposers: (() => void)[] = [];

  constructor(
    private readonly config: HalConfig,
    private readonly bus: EventBus,
    private readonly logger: Logger,
  ) {}

  get devices(): Devices {
    return this.#devices;
  }

  snapshots(): DeviceSnapshot[] {
    return this.#all().map((device) => device.snapshot());
  }

  async start(): Promise<void> {
    this.#devices = await createDevices(this.config, { logger: this.logger.child({ component: 'hal' }) });
    for (const device of this.#all()) {
      this.#disposers.push(
        device.events.on('status', (snapshot) => {
          this.logger.info(
            { device: snapshot.id, driver: snapshot.driver, status: snapshot.status, detail: snapshot.detail },
            'device status',
          );
          this.bus.emit('deviceStatus', snapshot);
        }),
      );
    }
    await Promise.all(this.#all().map((device) => device.start()));
  }

  async stop(): Promise<void> {
    for (const dispose of this.#disposers.splice(0)) dispose();
    await Promise.all(this.#all().map((device) => device.stop()));
  }

  #all(): Driver[] {
    return deviceKinds.flatMap((kind) => (this.#devices[kind] ? [this.#devices[kind] as Driver] : []));
  }
}
