import { Driver, describeError, type DriverContext } from '../core/driver.js';
import type { AudioSource, AudioDevice, AudioEvents } from './types.js';

/**
 * Shared life of the mixer-backed microphone drivers (ALSA, PulseAudio): open = the device answers;
 * then a poll notices an unplug (→ reconnect) and a mute changed from elsewhere (→ `muted` event).
 * A mute set from the kiosk is re-applied when the device comes back: a USB array that is
 * re-plugged mid-session must not come back live while the officer believes it muted.
 */
export abstract class PolledMuteDriver extends Driver<AudioEvents> implements AudioDevice {
  readonly kind = 'audio' as const;
  #muted = false;
  #wanted: boolean | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    context: DriverContext,
    readonly source: AudioSource,
  ) {
    super(context);
  }

  get muted(): boolean {
    return this.#muted;
  }

  async setMuted(muted: boolean): Promise<void> {
    this.#wanted = muted;
    await this.writeMute(muted);
    this.#observe(muted);
  }

  /** Throws when the device is absent. */
  protected abstract readMute(): Promise<boolean>;
  protected abstract writeMute(muted: boolean): Promise<void>;

  protected async open(): Promise<void> {
    let muted = await this.readMute();
    if (this.#wanted !== undefined && this.#wanted !== muted) {
      await this.writeMute(this.#wanted);
      muted = this.#wanted;
    }
    this.#observe(muted);
    clearInterval(this.#timer);
    this.#timer = setInterval(() => void this.#poll(), this.source.pollMs ?? 2000);
    this.#timer.unref?.();
  }

  protected async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #poll(): Promise<void> {
    if (this.status !== 'ok') return;
    try {
      this.#observe(await this.readMute());
    } catch (error) {
      this.connectionLost(describeError(error));
    }
  }

  #observe(muted: boolean): void {
    if (muted === this.#muted) return;
    this.#muted = muted;
    this.events.emit('muted', muted);
  }
}
