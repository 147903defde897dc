import type { DoaConfig } from '../../hal/audio/config.js';
import { createDoaSource } from '../../hal/audio/doa/create.js';
import type { DoaReading, DoaSource } from '../../hal/audio/doa/types.js';
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import type { SpeakerTrackingConfig } from '../../config/room-automation.js';
import { SpeakerTracker } from './speaker-tracking.js';
import { describeError } from '../../hal/core/describe-error.js';

export interface SpeakerTrackingServiceOptions {
  config: SpeakerTrackingConfig;
  doa: DoaConfig;
  /**
   * The room's presets (kiosk/ptz PtzService): recalls go through it, so they reach the session's
   * timeline and work on cameras without preset memory too.
   */
  presets: { readonly ready: boolean; recallSlot(slot: number, source: 'tracking'): Promise<unknown> };
  /** Whether the room has a PTZ head at all. */
  hasPtz: () => boolean;
  bus: EventBus;
  logger: Logger;
}

/**
 * Points the camera at whoever is talking: DOA readings from the microphone array go through the
 * tracking policy, and its decisions become preset recalls. A manual move announced on the bus
 * (`ptzManualMove`) pauses tracking, so the officer's framing is never taken away mid-gesture.
 */
export class SpeakerTrackingService implements Service {
  readonly name = 'room-speaker-tracking';
  #doa: DoaSource | undefined;
  #tracker: SpeakerTracker | undefined;
  #disposers: (() => void)[] = [];
  #recalling: Promise<void> | undefined;
  /** The last recall failure, so a preset that is not stored warns once instead of every hold period. */
  #lastFailure: string | undefined;

  constructor(private readonly options: SpeakerTrackingServiceOptions) {}

  async start(): Promise<void> {
    const { config, logger } = this.options;
    if (!config.enabled) return;
    if (config.presets.length === 0 || this.options.doa.driver === 'none' || !this.options.hasPtz()) {
      logger.warn(
        { presets: config.presets.length, doa: this.options.doa.driver, ptz: this.options.hasPtz() },
        'speaker tracking enabled but needs presets, a DOA source and a PTZ head: left off',
      );
      return;
    }
    const tracker = new SpeakerTracker(config);
    this.#tracker = tracker;
    this.#doa = await createDoaSource(this.options.doa, { id: 'doa', logger });
    if (!this.#doa) return;
    this.#disposers.push(
      this.#doa.events.on('reading', (reading) => this.#onReading(reading)),
      this.options.bus.on('ptzManualMove', (active) => tracker.manualMove(active, Date.now())),
    );
    await this.#doa.start();
  }

  async stop(): Promise<void> {
    for (const dispose of this.#disposers.splice(0)) dispose();
    await this.#doa?.stop();
    this.#doa = undefined;
    await this.#recalling;
  }

  #onReading(reading: DoaReading): void {
    const tracker = this.#tracker;
    const presets = this.options.presets;
    // One recall at a time: readings during a move describe a camera in motion, not a new talker.
    if (!tracker || this.#recalling) return;
    const slot = tracker.observe(reading, Date.now());
    if (slot === undefined) return;
    if (!presets.ready) {
      tracker.recallFailed();
      return;
    }
    this.#recalling = presets
      .recallSlot(slot, 'tracking')
      .then(() => {
        this.#lastFailure = undefined;
        this.options.logger.info({ slot, angle: reading.angle }, 'speaker tracking recalled preset');
      })
      .catch((error: unknown) => {
        tracker.recallFailed();
        const failure = `${slot}: ${describeError(error)}`;
        const level = failure === this.#lastFailure ? 'debug' : 'warn';
        this.#lastFailure = failure;
        this.options.logger[level]({ slot, err: describeError(error) }, 'speaker tracking recall failed');
      })
      .finally(() => {
        this.#recalling = undefined;
      });
  }
}
