import { SimulatedDriver } from '../core/simulated.js';
import type { ButtonName, OutputName } from './config.js';
import type { GpioDevice, GpioEvents } from './types.js';

export class SimGpio extends SimulatedDriver<GpioEvents> implements GpioDevice {
  readonly kind = 'gpio' as const;
  #outputs = new Map<OutputName, boolean>();

  async setOutput(name: OutputName, on: boolean): Promise<void> {
    this.assertUsable();
    this.#outputs.set(name, on);
  }

  output(name: OutputName): boolean {
    return this.#outputs.get(name) ?? false;
  }

  /** Stand-in for a physical press (sim console, tests). */
  press(name: ButtonName): void {
    this.assertUsable();
    this.events.emit('button', name);
  }
}
