import { SimulatedDriver } from '../core/simulated.js';
import type { Direction, FocusMode, PtzCapabilities, PtzDevice, PtzMove, PtzPosition } from './types.js';

const PAN_LIMIT = 0x0990;
const TILT_LIMIT = 0x0510;
const ZOOM_MAX = 0x4000;

/** An in-process PTZ head with position state; the wire-level VISCA emulator lives in hal/ptz/visca. */
export class SimPtz extends SimulatedDriver implements PtzDevice {
  readonly kind = 'ptz' as const;
  readonly capabilities: PtzCapabilities = {
    presets: 'camera',
    position: true,
    absolute: true,
    focus: true,
    power: true,
  };
  #position: PtzPosition = { pan: 0, tilt: 0, zoom: 0 };
  #presets = new Map<number, PtzPosition>();

  async move(move: PtzMove): Promise<void> {
    this.assertUsable();
    const step = Math.round(0x80 * (move.speed ?? 0.5));
    this.#position = {
      ...this.#position,
      pan: clamp(this.#position.pan + move.pan * step, -PAN_LIMIT, PAN_LIMIT),
      tilt: clamp(this.#position.tilt + move.tilt * step, -TILT_LIMIT, TILT_LIMIT),
    };
  }

  async stopMove(): Promise<void> {
    this.assertUsable();
  }

  async zoom(direction: Direction, speed = 0.5): Promise<void> {
    this.assertUsable();
    this.#position = {
      ...this.#position,
      zoom: clamp(this.#position.zoom + direction * Math.round(0x400 * speed), 0, ZOOM_MAX),
    };
  }

  async home(): Promise<void> {
    this.assertUsable();
    this.#position = { ...this.#position, pan: 0, tilt: 0 };
  }

  async recallPreset(slot: number): Promise<void> {
    this.assertUsable();
    const stored = this.#presets.get(slot);
    if (!stored) throw new Error(`preset ${slot} is not stored`);
    this.#position = { ...stored };
  }

  async storePreset(slot: number): Promise<void> {
    this.assertUsable();
    this.#presets.set(slot, { ...this.#position });
  }

  async position(): Promise<PtzPosition> {
    this.assertUsable();
    return { ...this.#position };
  }

  async goTo(position: PtzPosition): Promise<void> {
    this.assertUsable();
    this.#position = {
      pan: clamp(position.pan, -PAN_LIMIT, PAN_LIMIT),
      tilt: clamp(position.tilt, -TILT_LIMIT, TILT_LIMIT),
      zoom: clamp(position.zoom, 0, ZOOM_MAX),
    };
  }

  async focus(_mode: FocusMode): Promise<void> {
    this.assertUsable();
  }

  async power(_on: boolean): Promise<void> {
    this.assertUsable();
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
