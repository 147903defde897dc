import { EventEmitter } from 'node:events';

/** Map of event name → listener argument tuple. */
export type EventMap = { [event: string]: unknown[] };

type Listener<A extends unknown[]> = (...args: A) => void;

/**
 * An EventEmitter whose events are typed, and whose emit never lets a listener's exception escape:
 * a device error must never crash the daemon through somebody else's handler.
 */
export class TypedEmitter<E extends { [K in keyof E]: unknown[] }> {
  readonly #emitter = new EventEmitter();
  readonly #onListenerError: (error: unknown, event: string) => void;

  constructor(onListenerError: (error: unknown, event: string) => void = () => undefined) {
    this.#onListenerError = onListenerError;
    this.#emitter.setMaxListeners(50);
  }

  on<K extends keyof E & string>(event: K, listener: Listener<E[K]>): () => void {
    this.#emitter.on(event, listener as (...args: unknown[]) => void);
    return () => this.off(event, listener);
  }

  once<K extends keyof E & string>(event: K, listener: Listener<E[K]>): () => void {
    this.#emitter.once(event, listener as (...args: unknown[]) => void);
    return () => this.off(event, listener);
  }

  off<K extends keyof E & string>(event: K, listener: Listener<E[K]>): void {
    this.#emitter.off(event, listener as (...args: unknown[]) => void);
  }

  emit<K extends keyof E & string>(event: K, ...args: E[K]): void {
    for (const listener of this.#emitter.listeners(event)) {
      try {
        (listener as Listener<E[K]>)(...args);
      } catch (error) {
        this.#onListenerError(error, event);
      }
    }
  }

  listenerCount<K extends keyof E & string>(event: K): number {
    return this.#emitter.listenerCount(event);
  }

  removeAllListeners(): void {
    this.#emitter.removeAllListeners();
  }
}
