import { DeviceDiscovery } from '../../hal/discovery/discovery.js';
import { serialportList, type ScanSources } from '../../hal/discovery/scan.js';
import { toolRunner } from '../../hal/core/tool-runner.js';
import { DomainError } from '../core/domain-error.js';
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import type { DiscoveryConfig } from '../../config/room-automation.js';

export interface DiscoveryServiceOptions {
  config: DiscoveryConfig;
  bus: EventBus;
  logger: Logger;
  /** Injectable for tests: a temp /dev and /proc, fake tools, a fixed serial list. */
  sources?: ScanSources;
}

export interface DiscoveryListing {
  scannedAt: string | null;
  devices: DeviceDiscovery['devices'];
}

/**
 * Lists the cameras, serial ports and microphones plugged into the device, for the technician
 * choosing what to put in the room profile, and publishes plug/unplug on the bus.
 */
export class DiscoveryService implements Service {
  readonly name = 'room-discovery';
  #discovery: DeviceDiscovery | undefined;

  constructor(private readonly options: DiscoveryServiceOptions) {}

  async start(): Promise<void> {
    const { config, bus, logger } = this.options;
    if (!config.enabled) return;
    const sources = this.options.sources ?? {
      devRoot: '/dev',
      procRoot: '/proc',
      tools: toolRunner(),
      listSerialPorts: serialportList,
    };
    const discovery = new DeviceDiscovery({
      ...sources,
      intervalMs: config.intervalSeconds * 1000,
      settleMs: 500,
      logger,
    });
    discovery.events.on('change', (change) => {
      logger.info(
        { change: change.change, kind: change.device.kind, path: change.device.path, name: change.device.name },
        `device ${change.change}`,
      );
      bus.emit('hardwarePlugged', change);
    });
    await discovery.start();
    this.#discovery = discovery;
  }

  async stop(): Promise<void> {
    await this.#discovery?.stop();
    this.#discovery = undefined;
  }

  /** The devices found at the last scan; `rescan` scans first (it touches the hardware). */
  async listing(rescan: boolean): Promise<DiscoveryListing> {
    const discovery = this.#discovery;
    if (!discovery) throw new DomainError('unavailable', 'discovery_off', 'device discovery is not running');
    if (rescan) await discovery.scan();
    return { scannedAt: discovery.scannedAt?.toISOString() ?? null, devices: discovery.devices };
  }
}
