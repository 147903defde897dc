import { BadConfigError, Driver, describeError, type DriverContext } from '../../core/driver.js';
import { Debouncer } from '../debounce.js';
import { buttonNames, outputNames, type ButtonName, type GpioConfig, type OutputName } from '../config.js';
import type { GpioDevice, GpioEvents } from '../types.js';
import type { GpioChip, GpioLine } from './line.js';

type OnoffOptions = Extract<GpioConfig, { driver: 'onoff' }>;

interface OpenButton {
  name: ButtonName;
  line: GpioLine;
  debouncer: Debouncer;
}

/**
 * Buttons and lamps on the board's GPIO header through onoff (sysfs). Logical levels: 1 = pressed /
 * lit; `activeLow` inverts at the kernel, so a button pulling the line to ground reads 1 when pressed.
 */
export class OnoffGpio extends Driver<GpioEvents> implements GpioDevice {
  readonly kind = 'gpio' as const;
  readonly driverName = 'onoff';
  #buttons: OpenButton[] = [];
  #outputs = new Map<OutputName, GpioLine>();
  /** Wanted output levels survive a reconnect: the lamp comes back lit if it was lit. */
  #wanted = new Map<OutputName, boolean>();

  constructor(
    context: DriverContext,
    private readonly options: OnoffOptions,
    private readonly chip: GpioChip,
  ) {
    super(context);
  }

  async setOutput(name: OutputName, on: boolean): Promise<void> {
    if (!this.options.outputs[name]) throw new BadConfigError(`output ${name} has no GPIO line configured`);
    this.#wanted.set(name, on);
    const line = this.#outputs.get(name);
    if (!line) throw new Error(`gpio ${this.id} is not available: ${this.status}`);
    try {
      line.writeSync(on ? 1 : 0);
    } catch (error) {
      this.connectionLost(`writing ${name}: ${describeError(error)}`);
      throw error;
    }
  }

  output(name: OutputName): boolean {
    return this.#wanted.get(name) ?? false;
  }

  protected async open(): Promise<void> {
    if (!this.chip.accessible)
      throw new BadConfigError('GPIO is not accessible on this machine (no writable /sys/class/gpio)');
    for (const name of buttonNames) {
      const config = this.options.buttons[name];
      if (!config) continue;
      const line = this.chip.open(config.line, 'in', 'both', { activeLow: config.activeLow });
      const debouncer = new Debouncer(line.readSync(), this.options.debounceMs, (level) => {
        if (level === 1) this.events.emit('button', name);
      });
      this.#buttons.push({ name, line, debouncer });
      line.watch((err, value) => {
        if (err) {
          this.connectionLost(`watching ${name}: ${err.message}`);
          return;
        }
        debouncer.input(value);
      });
    }
    for (const name of outputNames) {
      const config = this.options.outputs[name];
      if (!config) continue;
      const line = this.chip.open(config.line, 'out', 'none', { activeLow: config.activeLow });
      this.#outputs.set(name, line);
      line.writeSync(this.#wanted.get(name) ? 1 : 0);
    }
  }

  protected async close(): Promise<void> {
    for (const { line, debouncer } of this.#buttons.splice(0)) {
      debouncer.dispose();
      release(line);
    }
    for (const line of this.#outputs.values()) release(line);
    this.#outputs.clear();
  }
}

function release(line: GpioLine): void {
  try {
    line.unwatchAll();
    line.unexport();
  } catch {
    // The line may already be gone with its chip; nothing left to release.
  }
}
