import { Driver, type DriverContext } from './driver.js';
import type { EventMap } from './typed-emitter.js';

/**
 * Base of the in-process simulators used when a room has no such hardware (sim mode).
 * Tests and the readiness checks can break and mend a simulated device to walk the failure paths.
 */
export abstract class SimulatedDriver<E extends EventMap = EventMap> extends Driver<E> {
  readonly driverName = 'sim';
  #fault: string | undefined;

  constructor(context: DriverContext) {
    super(context);
  }

  /** Make the device disappear (as an unplug would) until `mend()`. */
  breakDevice(reason = 'simulated fault'): void {
    this.#fault = reason;
    this.connectionLost(reason);
  }

  mend(): void {
    this.#fault = undefined;
  }

  protected get fault(): string | undefined {
    return this.#fault;
  }

  protected async open(): Promise<void> {
    if (this.#fault) throw new Error(this.#fault);
  }

  protected async close(): Promise<void> {}

  protected assertUsable(): void {
    if (this.#fault || this.status !== 'ok')
      throw new Error(`${this.kind} ${this.id} is not available: ${this.#fault ?? this.status}`);
  }
}
