import type { Driver } from '../core/driver.js';

export interface DisplayState {
  on: boolean;
  /** 0…100, or null when the display cannot report it. */
  brightness: number | null;
}

export interface DisplayDevice extends Driver {
  readonly kind: 'display';
  state(): Promise<DisplayState>;
  setPower(on: boolean): Promise<void>;
  setBrightness(percent: number): Promise<void>;
}
