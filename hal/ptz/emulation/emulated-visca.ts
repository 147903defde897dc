import type { DriverContext } from '../../core/driver.js';
import { ViscaUdpEmulator } from '../visca/emulator.js';
import { ViscaIpPtz } from '../visca-ip/driver.js';

/**
 * Sim mode's PTZ: the real visca-ip driver talking UDP to a VISCA camera emulator it starts on
 * 127.0.0.1 (any free port). Faults can be injected through `camera` (readiness drills, tests).
 */
export class EmulatedViscaPtz extends ViscaIpPtz {
  override readonly driverName = 'visca-emulated';
  readonly camera = new ViscaUdpEmulator({ host: '127.0.0.1', port: 0 });

  constructor(context: DriverContext, options: { timeoutMs: number }) {
    super(context, { host: '127.0.0.1', port: 0, timeoutMs: options.timeoutMs });
  }

  protected override target(): { host: string; port: number } {
    return { host: this.camera.host, port: this.camera.port };
  }

  protected override async open(): Promise<void> {
    await this.camera.plugIn();
    await super.open();
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.camera.unplug();
  }
}
