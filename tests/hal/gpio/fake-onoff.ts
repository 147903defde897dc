import type { Level } from '../../../hal/gpio/debounce.js';
import type { GpioChip, GpioLine, GpioLineOptions } from '../../../hal/gpio/onoff/line.js';

/**
 * A stand-in for onoff's sysfs GPIO, which this machine does not have (`Gpio.accessible` is false).
 * It keeps the kernel's behaviour the driver relies on: `active_low` inverts both reads and writes,
 * and an `edge: both` input calls its watchers with the logical level on every physical change.
 */
export class FakeLine implements GpioLine {
  physical: Level;
  exported = true;
  readonly #watchers: ((err: Error | null | undefined, value: Level) => void)[] = [];

  constructor(
    readonly number: number,
    readonly direction: 'in' | 'out',
    readonly edge: 'none' | 'both',
    readonly options: GpioLineOptions,
    idle: Level,
  ) {
    this.physical = idle;
  }

  #logical(physical: Level): Level {
    return (this.options.activeLow ? 1 - physical : physical) as Level;
  }

  readSync(): Level {
    this.#assertExported();
    return this.#logical(this.physical);
  }

  writeSync(value: Level): void {
    this.#assertExported();
    if (this.direction !== 'out') throw new Error(`EPERM: line ${this.number} is an input`);
    this.physical = this.#logical(value);
  }

  watch(callback: (err: Error | null | undefined, value: Level) => void): void {
    this.#watchers.push(callback);
  }

  unwatchAll(): void {
    this.#watchers.length = 0;
  }

  unexport(): void {
    this.exported = false;
  }

  get watcherCount(): number {
    return this.#watchers.length;
  }

  /** The electrical level changes (a contact closes or bounces). */
  drive(physical: Level): void {
    if (physical === this.physical) return;
    this.physical = physical;
    if (this.edge === 'both') for (const watcher of [...this.#watchers]) watcher(null, this.#logical(physical));
  }

  failWatch(error: Error): void {
    for (const watcher of [...this.#watchers]) watcher(error, this.#logical(this.physical));
  }

  #assertExported(): void {
    if (!this.exported) throw new Error(`line ${this.number} is not exported`);
  }
}

export class FakeChip implements GpioChip {
  readonly lines = new Map<number, FakeLine>();
  opened = 0;

  constructor(
    public accessible = true,
    private readonly idleLevel: Level = 1,
  ) {}

  open(line: number, direction: 'in' | 'out', edge: 'none' | 'both', options: GpioLineOptions): FakeLine {
    const existing = this.lines.get(line);
    if (existing?.exported) throw new Error(`EBUSY: line ${line} is already exported`);
    // Inputs idle high (pull-up, button to ground); outputs start low as sysfs does.
    const fake = new FakeLine(
      line,
      direction,
      edge,
      options,
      direction === 'in' ? (existing?.physical ?? this.idleLevel) : 0,
    );
    this.lines.set(line, fake);
    this.opened++;
    return fake;
  }

  line(number: number): FakeLine {
    const line = this.lines.get(number);
    if (!line) throw new Error(`line ${number} was never opened`);
    return line;
  }
}
