import type { Level } from '../debounce.js';

/** The part of onoff's `Gpio` this driver uses; a fake with the same shape stands in for it in tests. */
export interface GpioLine {
  readSync(): Level;
  writeSync(value: Level): void;
  watch(callback: (err: Error | null | undefined, value: Level) => void): void;
  unwatchAll(): void;
  unexport(): void;
}

export interface GpioLineOptions {
  activeLow: boolean;
}

/** Opens one line; onoff's `new Gpio(line, direction, edge, options)` in production. */
export interface GpioChip {
  /** onoff's `Gpio.accessible`: false when the sysfs GPIO interface is missing or not writable. */
  readonly accessible: boolean;
  open(line: number, direction: 'in' | 'out', edge: 'none' | 'both', options: GpioLineOptions): GpioLine;
}

/** The real chip, through onoff (loaded lazily: it is a native module). */
export async function onoffChip(): Promise<GpioChip> {
  const { Gpio } = await import('onoff');
  return {
    accessible: Gpio.accessible,
    open: (line, direction, edge, options) => new Gpio(line, direction, edge, { activeLow: options.activeLow }),
  };
}
