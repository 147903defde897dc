export type Level = 0 | 1;

/**
 * Software debounce of one input line: a level counts only once it has held for `delayMs`.
 * Contacts of cheap panel buttons chatter for a few milliseconds on both press and release, and
 * onoff's own `debounceTimeout` only filters one edge kind; so every raw edge goes through here.
 */
export class Debouncer {
  #stable: Level;
  #latest: Level;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    initial: Level,
    private readonly delayMs: number,
    private readonly onChange: (level: Level) => void,
  ) {
    this.#stable = initial;
    this.#latest = initial;
  }

  get level(): Level {
    return this.#stable;
  }

  /** A raw edge (or re-read level) from the line. */
  input(level: Level): void {
    this.#latest = level;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.delayMs === 0) {
      this.#settle();
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#settle();
    }, this.delayMs);
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #settle(): void {
    if (this.#latest === this.#stable) return;
    this.#stable = this.#latest;
    this.onChange(this.#stable);
  }
}
