/**
 * How long a source has been silent, as far as the worker could have heard it. Heartbeats reach the
 * worker through its event loop; when that loop is held up (a loaded board, a long synchronous task),
 * the timer that judges the silence can run before the heartbeats queued behind it. The time the loop
 * was late is therefore not counted as silence: a source is lost for having been silent while the
 * worker was listening, not for the worker having been busy.
 */
export class StallClock {
  #lastBeatAt: number;
  #lastCheckAt: number;

  /** `checkEveryMs`: the period of the timer that calls `silentFor`. */
  constructor(
    private readonly checkEveryMs: number,
    now: number,
  ) {
    this.#lastBeatAt = now;
    this.#lastCheckAt = now;
  }

  /** A sign of life (or a fresh start). */
  beat(now: number): void {
    this.#lastBeatAt = now;
    this.#lastCheckAt = now;
  }

  /** Milliseconds of silence heard so far; call it from the check timer. */
  silentFor(now: number): number {
    const lateBy = now - this.#lastCheckAt - this.checkEveryMs;
    if (lateBy > 0) this.#lastBeatAt = Math.min(now, this.#lastBeatAt + lateBy);
    this.#lastCheckAt = now;
    return now - this.#lastBeatAt;
  }
}
