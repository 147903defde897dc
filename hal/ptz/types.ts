import type { Driver } from '../core/driver.js';

/** -1 left/down/out, 0 stop, 1 right/up/in. */
export type Direction = -1 | 0 | 1;

export interface PtzPosition {
  /** Device units, as the camera reports them (VISCA: signed 16-bit pan/tilt, 0…0x4000 zoom). */
  pan: number;
  tilt: number;
  zoom: number;
}

/** Normalised speeds 0…1, mapped to each protocol's range by its driver. */
export interface PtzMove {
  pan: Direction;
  tilt: Direction;
  speed?: number;
}

export type FocusMode = 'auto' | 'manual';

/** What a family can do, so callers pick the right path instead of catching "unsupported". */
export interface PtzCapabilities {
  /**
   * `camera`: presets live in the camera's memory (VISCA, Pelco-D). `host`: the camera has no preset
   * memory (UVC); the caller stores `position()` and drives back with `goTo()`.
   */
  presets: 'camera' | 'host';
  /** `position()` reads the head back (Pelco-D has no such inquiry in its basic command set). */
  position: boolean;
  /** `goTo()` drives to an absolute position. */
  absolute: boolean;
  focus: boolean;
  power: boolean;
}

export interface PtzDevice extends Driver {
  readonly kind: 'ptz';
  readonly capabilities: PtzCapabilities;
  move(move: PtzMove): Promise<void>;
  stopMove(): Promise<void>;
  zoom(direction: Direction, speed?: number): Promise<void>;
  home(): Promise<void>;
  recallPreset(slot: number): Promise<void>;
  storePreset(slot: number): Promise<void>;
  position(): Promise<PtzPosition>;
  goTo(position: PtzPosition): Promise<void>;
  focus(mode: FocusMode): Promise<void>;
  power(on: boolean): Promise<void>;
}
