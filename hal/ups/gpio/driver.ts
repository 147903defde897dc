import { BadConfigError, type DriverContext } from '../../core/driver.js';
import type { UpsConfig } from '../config.js';
import type { UpsReading } from '../types.js';
import { UpsDriver } from '../ups-driver.js';
import { describeError } from '../../core/describe-error.js';

export type GpioUpsOptions = Extract<UpsConfig, { driver: 'gpio' }>;

type BinaryValue = 0 | 1;

/** The part of onoff's `Gpio` this driver uses; tests inject a fake with the same shape. */
export interface PowerFailLine {
  readSync(): BinaryValue;
  watch(callback: (error: Error | null | undefined, value: BinaryValue) => void): void;
  unwatchAll(): void;
  unexport(): void;
}

export interface PowerFailLineClass {
  new (gpio: number, direction: 'in', edge: 'both', options?: { activeLow?: boolean }): PowerFailLine;
  readonly accessible: boolean;
}

/**
 * A UPS HAT that only signals "mains lost" on a GPIO line (active = on battery). It reports no
 * charge or runtime, so the power policy can only alert from it, or act on FSD/LB from another source.
 *
 * Edges are debounced here rather than with onoff's `debounceTimeout`: after the last edge the line
 * must hold for `debounceMs`, then its level is read back, so a relay's bounce yields one change.
 */
export class GpioUps extends UpsDriver {
  readonly driverName = 'gpio';
  #line: PowerFailLine | undefined;
  #settleTimer: NodeJS.Timeout | undefined;
  #level: BinaryValue | undefined;

  constructor(
    context: DriverContext,
    private readonly options: GpioUpsOptions,
    private readonly gpioClass?: PowerFailLineClass,
  ) {
    super(context);
  }

  protected async open(): Promise<void> {
    const Gpio = this.gpioClass ?? ((await import('onoff')).Gpio as unknown as PowerFailLineClass);
    if (!Gpio.accessible)
      throw new BadConfigError('this machine has no GPIO (/sys/class/gpio): the gpio UPS driver cannot work here');
    const line = new Gpio(this.options.powerFailLine, 'in', 'both', { activeLow: this.options.activeLow });
    this.#line = line;
    this.#level = line.readSync();
    this.publish(readingFor(this.#level));
    line.watch((error) => {
      if (error) {
        this.logger.warn({ device: this.id, err: error.message }, 'power-fail line watch error');
        return;
      }
      this.#edge();
    });
  }

  protected async close(): Promise<void> {
    clearTimeout(this.#settleTimer);
    this.#settleTimer = undefined;
    const line = this.#line;
    this.#line = undefined;
    line?.unwatchAll();
    line?.unexport();
  }

  #edge(): void {
    clearTimeout(this.#settleTimer);
    this.#settleTimer = setTimeout(() => {
      this.#settleTimer = undefined;
      const line = this.#line;
      if (!line) return;
      let level: BinaryValue;
      try {
        level = line.readSync();
      } catch (error) {
        this.lostCommunication(`power-fail line cannot be read: ${describeError(error)}`);
        return;
      }
      if (level === this.#level && this.communicating) return;
      this.#level = level;
      this.publish(readingFor(level));
    }, this.options.debounceMs);
  }
}

function readingFor(level: BinaryValue): UpsReading {
  return {
    flags: [level === 1 ? 'OB' : 'OL'],
    batteryCharge: null,
    batteryRuntime: null,
    load: null,
    inputVoltage: null,
    at: new Date().toISOString(),
  };
}
