import { SimulatedDriver } from '../../core/simulated.js';
import type { DriverContext } from '../../core/driver.js';
import type { DoaConfig } from '../config.js';
import type { DoaSource, DoaEvents } from './types.js';

type SimDoaOptions = Extract<DoaConfig, { driver: 'sim' }>;

/** Replays a talker script (angle, voice, duration), looping, one reading every `intervalMs`. */
export class SimDoa extends SimulatedDriver<DoaEvents> implements DoaSource {
  readonly kind = 'audio' as const;
  #timer: NodeJS.Timeout | undefined;
  #elapsedMs = 0;
  readonly #cycleMs: number;

  constructor(
    context: DriverContext,
    private readonly options: SimDoaOptions,
  ) {
    super(context);
    this.#cycleMs = options.sequence.reduce((sum, step) => sum + step.durationMs, 0);
  }

  protected override async open(): Promise<void> {
    await super.open();
    this.#timer = setInterval(() => this.#tick(), this.options.intervalMs);
    this.#timer.unref?.();
  }

  protected override async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    this.#elapsedMs += this.options.intervalMs;
    let at = this.#elapsedMs % this.#cycleMs;
    for (const step of this.options.sequence) {
      if (at < step.durationMs) {
        this.events.emit('reading', { angle: step.angle, voice: step.voice });
        return;
      }
      at -= step.durationMs;
    }
  }
}
