import type { Driver } from '../core/driver.js';
import type { ButtonName, OutputName } from './config.js';

export type GpioEvents = {
  /** A debounced press of a physical button. */
  button: [name: ButtonName];
};

export interface GpioDevice extends Driver<GpioEvents> {
  readonly kind: 'gpio';
  setOutput(name: OutputName, on: boolean): Promise<void>;
  output(name: OutputName): boolean;
}
