import { SimulatedDriver } from '../core/simulated.js';
import type { DriverContext } from '../core/driver.js';
import type { AudioConfig } from './config.js';
import type { AudioDevice, AudioEvents } from './types.js';

/** A test-tone microphone: the media worker captures it with audiotestsrc. */
export class SimAudio extends SimulatedDriver<AudioEvents> implements AudioDevice {
  readonly kind = 'audio' as const;
  #muted = false;

  constructor(
    context: DriverContext,
    readonly source: Extract<AudioConfig, { driver: 'sim' }>,
  ) {
    super(context);
  }

  get muted(): boolean {
    return this.#muted;
  }

  async setMuted(muted: boolean): Promise<void> {
    this.assertUsable();
    if (muted === this.#muted) return;
    this.#muted = muted;
    this.events.emit('muted', muted);
  }
}
