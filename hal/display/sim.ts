import { SimulatedDriver } from '../core/simulated.js';
import type { DisplayDevice, DisplayState } from './types.js';

export class SimDisplay extends SimulatedDriver implements DisplayDevice {
  readonly kind = 'display' as const;
  #state: DisplayState = { on: true, brightness: 80 };

  async state(): Promise<DisplayState> {
    this.assertUsable();
    return { ...this.#state };
  }

  async setPower(on: boolean): Promise<void> {
    this.assertUsable();
    this.#state = { ...this.#state, on };
  }

  async setBrightness(percent: number): Promise<void> {
    this.assertUsable();
    if (!Number.isFinite(percent) || percent < 0 || percent > 100) throw new RangeError('brightness must be 0…100');
    this.#state = { ...this.#state, brightness: Math.round(percent) };
  }
}
