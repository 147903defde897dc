import type { Logger } from '../../core/logger.js';
import type { Telemetry } from '../nats/telemetry.js';
import { decideTelemetry, type TelemetryBaseline, type TelemetryReading } from './delta.js';
import { describeError } from '../../../hal/core/describe-error.js';

export interface TelemetryLoopOptions {
  intervalMs: number;
  fullEveryMs: number;
  sample: () => Promise<TelemetryReading>;
  /** Throws when the link cannot take it now: the sample is then not counted as sent. */
  publish: (sample: Telemetry) => void;
  /** Sampling stops while this is false: nothing could be sent. */
  linkUp: () => boolean;
  logger: Logger;
}

/**
 * Samples every `intervalMs` and publishes what `decideTelemetry` says, numbering samples from 1
 * at each start. A (re)connection asks for a full sample at once: central may have missed the deltas.
 */
export class TelemetryLoop {
  #timer: NodeJS.Timeout | undefined;
  #baseline: TelemetryBaseline | undefined;
  #seq = 0;
  #forceFull = true;
  #ticking: Promise<void> | undefined;

  constructor(private readonly options: TelemetryLoopOptions) {}

  start(): void {
    this.#timer = setInterval(() => this.tick(), this.options.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** After a (re)connection: the next sample is full, and it goes now. */
  connected(): void {
    this.#forceFull = true;
    this.tick();
  }

  tick(): void {
    if (this.#ticking || !this.options.linkUp()) return;
    this.#ticking = this.#tick()
      .catch((error: unknown) => this.options.logger.debug({ err: describeError(error) }, 'telemetry sample not sent'))
      .finally(() => {
        this.#ticking = undefined;
      });
  }

  async #tick(): Promise<void> {
    const reading = await this.options.sample();
    const now = Date.now();
    const decision = decideTelemetry({
      reading,
      baseline: this.#baseline,
      now,
      fullEveryMs: this.options.fullEveryMs,
      forceFull: this.#forceFull,
    });
    if (!decision.sample) return;
    if (!this.options.linkUp()) return;
    this.options.publish({
      v: 1,
      at: new Date(now).toISOString(),
      seq: this.#seq + 1,
      full: decision.sample.full,
      ...decision.sample.sections,
    });
    this.#seq++;
    this.#baseline = decision.baseline;
    if (decision.sample.full) this.#forceFull = false;
  }
}
