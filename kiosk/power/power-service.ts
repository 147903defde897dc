import type { PowerPolicyConfig } from '../../hal/ups/config.js';
import type { UpsDevice } from '../../hal/ups/types.js';
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logger.js';
import type { Service } from '../core/service.js';
import { SerialQueue } from '../core/serial-queue.js';
import type { ActiveSessionPort } from '../session/ports.js';
import {
  decidePower,
  defaultSilentLimitSeconds,
  initialPowerMemory,
  type PowerAction,
  type PowerMemory,
} from './policy.js';
import { runCommand, type CommandOutcome } from './shutdown-command.js';
import type { PowerAlert } from './types.js';
import { describeError } from '../../hal/core/describe-error.js';

export interface PowerServiceOptions {
  /** The UPS driver, once the hardware service has built it; undefined when the room has none. */
  ups: () => UpsDevice | undefined;
  session: ActiveSessionPort;
  config: PowerPolicyConfig;
  bus: EventBus;
  logger: Logger;
  /** Seconds to finalize the live session's recording; defaults to hal.power.finalizeSeconds. */
  finalizeSeconds?: () => number;
  /** Seconds a UPS last seen on battery may stay silent before it counts as critical (upsmon's DEADTIME). */
  silentLimitSeconds?: number;
  /** Injectable for tests; runs hal.power.shutdownCommand. */
  runCommand?: (argv: readonly string[]) => Promise<CommandOutcome>;
}

/**
 * Applies the power policy (policy.ts) to what the UPS driver reports: alerts on the bus, the live
 * session ended gracefully (awaited, so the recording is finalized), then the shutdown command, run
 * once and never retried: a second `poweroff` could cut a shutdown already under way.
 */
export class PowerService implements Service {
  readonly name = 'power';
  #memory: PowerMemory = initialPowerMemory;
  #disposers: (() => void)[] = [];
  #silentSince: number | undefined;
  #silentTimer: NodeJS.Timeout | undefined;
  /** Actions run one after another, in the order decided, across evaluations. */
  readonly #work = new SerialQueue();

  constructor(private readonly options: PowerServiceOptions) {}

  /** Resolves when every action decided so far has run (tests and shutdown ordering). */
  settled(): Promise<void> {
    return this.#work.idle();
  }

  async start(): Promise<void> {
    const ups = this.options.ups();
    if (!ups) {
      this.options.logger.info('no UPS configured: the power policy is idle');
      return;
    }
    this.#disposers.push(
      ups.events.on('reading', () => this.#evaluate(ups)),
      ups.events.on('communicationLost', () => {
        this.#silentSince ??= Date.now();
        this.#armSilentTimer(ups);
        this.#evaluate(ups);
      }),
      ups.events.on('communicationRestored', () => {
        this.#silentSince = undefined;
        clearTimeout(this.#silentTimer);
        this.#evaluate(ups);
      }),
    );
    if (!ups.communicating) this.#silentSince = Date.now();
    this.#evaluate(ups);
  }

  async stop(): Promise<void> {
    for (const dispose of this.#disposers.splice(0)) dispose();
    clearTimeout(this.#silentTimer);
    this.#silentTimer = undefined;
    await this.#work.idle();
  }

  /** A UPS silent while on battery becomes critical after a while with no new event: look again then. */
  #armSilentTimer(ups: UpsDevice): void {
    clearTimeout(this.#silentTimer);
    this.#silentTimer = setTimeout(() => this.#evaluate(ups), this.#silentLimitSeconds * 1000 + 100);
    this.#silentTimer.unref();
  }

  get #silentLimitSeconds(): number {
    return this.options.silentLimitSeconds ?? defaultSilentLimitSeconds;
  }

  #evaluate(ups: UpsDevice): void {
    const silentSeconds = this.#silentSince === undefined ? 0 : Math.floor((Date.now() - this.#silentSince) / 1000);
    const { memory, actions } = decidePower(this.#memory, {
      reading: ups.reading,
      communicating: ups.communicating,
      silentSeconds,
      silentLimitSeconds: this.#silentLimitSeconds,
      session: this.options.session.activeSession(),
      finalizeSeconds: this.options.finalizeSeconds?.() ?? this.options.config.finalizeSeconds,
      marginSeconds: this.options.config.marginSeconds,
    });
    this.#memory = memory;
    if (actions.length === 0) return;
    const reading = ups.reading;
    // A failed action is logged and does not hold back the ones decided after it.
    void this.#work
      .run(async () => {
        for (const action of actions) await this.#apply(action, reading);
      })
      .catch((error: unknown) => this.options.logger.error({ err: describeError(error) }, 'power action failed'));
  }

  async #apply(action: PowerAction, reading: PowerAlert['reading']): Promise<void> {
    const { logger } = this.options;
    switch (action.type) {
      case 'alert':
        logger[action.alert === 'power-restored' ? 'info' : 'warn'](
          { alert: action.alert, reason: action.reason },
          'power alert',
        );
        this.#publish(action.alert, action.reason, reading);
        return;
      case 'end-session':
        await this.#endSession(action.sessionId, action.reason, reading);
        return;
      case 'shutdown':
        await this.#shutdown(action.reason, reading);
        return;
    }
  }

  /**
   * Waits for the session to end, but not past what finalizing should take plus half the margin:
   * beyond that the battery, not the recording, is the risk, and shutdown must go ahead.
   */
  async #endSession(sessionId: string, reason: string, reading: PowerAlert['reading']): Promise<void> {
    const { logger, config } = this.options;
    const finalizeSeconds = this.options.finalizeSeconds?.() ?? config.finalizeSeconds;
    const limitMs = (finalizeSeconds + config.marginSeconds / 2) * 1000;
    logger.warn({ sessionId, reason, limitMs }, 'ending the session because of power');
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      this.options.session.endGracefully(reason).then(
        () => 'ended' as const,
        (error: unknown) => `failed: ${describeError(error)}`,
      ),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve(`not ended within ${limitMs} ms`), limitMs);
      }),
    ]);
    clearTimeout(timer);
    if (outcome === 'ended') {
      logger.info({ sessionId }, 'session ended for power; recording finalized');
      this.#publish('session-ended', reason, reading);
    } else {
      logger.error({ sessionId, outcome }, 'session did not end cleanly before shutdown');
    }
  }

  async #shutdown(reason: string, reading: PowerAlert['reading']): Promise<void> {
    const { logger, config } = this.options;
    logger.warn({ command: config.shutdownCommand, reason }, 'requesting system shutdown');
    this.#publish('shutdown-requested', reason, reading);
    const outcome = await (this.options.runCommand ?? runCommand)(config.shutdownCommand);
    if (outcome.ok) {
      logger.warn({ detail: outcome.detail }, 'shutdown command accepted');
      return;
    }
    logger.error({ detail: outcome.detail }, 'shutdown command failed; not retried (a technician must act)');
    this.#publish('shutdown-failed', outcome.detail, reading);
  }

  #publish(kind: PowerAlert['kind'], reason: string, reading: PowerAlert['reading']): void {
    this.options.bus.emit('powerAlert', { kind, reason, reading, at: new Date().toISOString() });
  }
}
