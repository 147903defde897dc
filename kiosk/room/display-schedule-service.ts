import type { DisplayDevice } from '../../hal/display/types.js';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import type { DisplayScheduleConfig } from '../../config/room-automation.js';
import { decideDisplay, type DisplayDecision } from './display-schedule.js';
import type { SessionCalendar } from './session-calendar.js';
import { describeError } from '../../hal/core/describe-error.js';

export interface DisplayScheduleServiceOptions {
  config: DisplayScheduleConfig;
  timeZone: string;
  /** The display, once the hardware service has built it (absent when the room has none). */
  display: () => DisplayDevice | undefined;
  calendar?: SessionCalendar;
  logger: Logger;
}

/**
 * Puts the room's display to sleep outside reception hours and wakes it before sessions.
 * It acts on transitions only: a technician who switches the screen on at night for maintenance
 * is not overruled until the next change of the schedule. A display that reconnects (power cut,
 * TV unplugged) gets the current decision again.
 */
export class DisplayScheduleService implements Service {
  readonly name = 'room-display';
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #applied: boolean | undefined;
  #running: Promise<void> | undefined;
  #last: DisplayDecision | undefined;

  constructor(private readonly options: DisplayScheduleServiceOptions) {}

  /** The last decision, for the console. */
  get decision(): DisplayDecision | undefined {
    return this.#last;
  }

  async start(): Promise<void> {
    const display = this.options.display();
    if (!display || !this.options.config.enabled) return;
    this.#unsubscribe = display.events.on('status', (snapshot) => {
      if (snapshot.status !== 'ok') return;
      this.#applied = undefined;
      void this.check();
    });
    this.#timer = setInterval(() => void this.check(), this.options.config.checkSeconds * 1000);
    this.#timer.unref?.();
    await this.check();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    await this.#running;
  }

  /** Evaluates the schedule now and applies a change; overlapping calls share one run. */
  check(): Promise<void> {
    this.#running ??= this.#check().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #check(): Promise<void> {
    const { config, timeZone, calendar, logger } = this.options;
    const display = this.options.display();
    if (!display) return;
    const now = new Date();
    try {
      const horizon = new Date(now.getTime() + (config.wakeBeforeSessionMinutes + 1) * 60_000);
      const sessions = calendar ? await calendar.windows(now, horizon) : [];
      const decision = decideDisplay(now, config, timeZone, sessions);
      this.#last = decision;
      if (decision.on === this.#applied || display.status !== 'ok') return;
      await display.setPower(decision.on);
      this.#applied = decision.on;
      logger.info(
        { on: decision.on, reason: decision.reason },
        decision.on ? 'display woken by schedule' : 'display put to sleep by schedule',
      );
    } catch (error) {
      // Left unapplied: the next check tries again.
      logger.warn({ err: describeError(error) }, 'display schedule could not be applied');
    }
  }
}
