import { Driver, type DeviceStatus, type DriverContext } from '../core/driver.js';
import { deriveTransitions, type UpsObservation } from './transitions.js';
import type { UpsDevice, UpsEvents, UpsReading } from './types.js';

/**
 * What every real UPS driver shares: it keeps the last reading, turns changes into the events of
 * `UpsEvents` through the pure `deriveTransitions`, and shows power trouble in the status detail.
 * A family only has to call `publish(reading)` or `lostCommunication(reason)`.
 */
export abstract class UpsDriver extends Driver<UpsEvents> implements UpsDevice {
  readonly kind = 'ups' as const;
  #observation: UpsObservation = { reading: null, communicating: true };
  #communicationReason = '';
  #pollTimer: NodeJS.Timeout | undefined;

  constructor(context: DriverContext) {
    super(context);
  }

  /** Polls every `intervalMs`, one poll at a time (the next is timed from the end of the last). */
  protected startPolling(intervalMs: number, poll: () => Promise<void>): void {
    this.stopPolling();
    const schedule = () => {
      this.#pollTimer = setTimeout(() => {
        void poll().finally(() => {
          if (this.#pollTimer !== undefined) schedule();
        });
      }, intervalMs);
    };
    schedule();
  }

  protected stopPolling(): void {
    clearTimeout(this.#pollTimer);
    this.#pollTimer = undefined;
  }

  get reading(): UpsReading | null {
    return this.#observation.reading;
  }

  get communicating(): boolean {
    return this.#observation.communicating;
  }

  /** A fresh reading from the UPS. */
  protected publish(reading: UpsReading): void {
    this.#advance({ reading, communicating: true });
  }

  /** The link is up but the UPS stopped answering or its data is stale; the last reading is kept. */
  protected lostCommunication(reason: string): void {
    this.#communicationReason = reason;
    this.#advance({ reading: this.#observation.reading, communicating: false });
  }

  /** Losing the link (socket, serial port) also means not hearing the UPS: the power policy must know. */
  protected override connectionLost(reason: string): void {
    const wasUp = this.isRunning && this.status === 'ok';
    super.connectionLost(reason);
    if (wasUp) this.lostCommunication(reason);
  }

  /** While connected, the detail always tells the UPS state (the base sets plain `ok` after open). */
  protected override setStatus(status: DeviceStatus, detail?: string): void {
    super.setStatus(
      status,
      status === 'ok' && detail === undefined ? statusDetail(this.#observation, this.#communicationReason) : detail,
    );
  }

  #advance(next: UpsObservation): void {
    const previous = this.#observation;
    this.#observation = next;
    const transitions = deriveTransitions(previous, next);
    if (this.status === 'ok') this.setStatus('ok');
    if (next.communicating && next.reading) this.events.emit('reading', next.reading);
    for (const transition of transitions) {
      if (transition === 'communicationLost') {
        this.logger.warn({ device: this.id, reason: this.#communicationReason }, 'UPS communication lost');
        this.events.emit('communicationLost', { reason: this.#communicationReason, lastReading: next.reading });
      } else if (next.reading) {
        const { flags, batteryCharge, batteryRuntime } = next.reading;
        this.logger.info({ device: this.id, transition, flags, batteryCharge, batteryRuntime }, 'UPS state changed');
        this.events.emit(transition, next.reading);
      }
    }
  }
}

/** Words a technician reads on the console; undefined when all is well. */
export function statusDetail(observation: UpsObservation, communicationReason: string): string | undefined {
  if (!observation.communicating) return `UPS not answering (${communicationReason}); last reading kept`;
  const flags = observation.reading?.flags ?? [];
  const parts: string[] = [];
  if (flags.includes('FSD')) parts.push('forced shutdown');
  if (flags.includes('OB')) parts.push('on battery');
  if (flags.includes('LB')) parts.push('low battery');
  if (flags.includes('RB')) parts.push('replace battery');
  if (flags.includes('OVER')) parts.push('overloaded');
  return parts.length ? parts.join(', ') : undefined;
}
