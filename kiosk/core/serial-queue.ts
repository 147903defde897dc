/**
 * Runs async work one piece at a time, in the order it was asked for. A piece that fails fails its
 * own caller only: the next one still runs. `idle()` resolves once everything queued so far is done.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#tail.then(work);
    this.#tail = next.catch(() => undefined);
    return next;
  }

  idle(): Promise<void> {
    return this.#tail.then(() => undefined);
  }
}
