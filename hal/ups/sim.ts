import { SimulatedDriver } from '../core/simulated.js';
import type { DriverContext } from '../core/driver.js';
import type { UpsConfig } from './config.js';
import { deriveTransitions } from './transitions.js';
import type { UpsDevice, UpsEvents, UpsFlag, UpsReading } from './types.js';

/**
 * An in-process UPS for sim mode. Tests of the real NUT client run against a real upsd fed by
 * dummy-ups (tests/support/nut); this one only lets the daemon and the policy run without hardware.
 */
export class SimUps extends SimulatedDriver<UpsEvents> implements UpsDevice {
  readonly kind = 'ups' as const;
  readonly communicating = true;
  #reading: UpsReading | null = null;

  constructor(
    context: DriverContext,
    private readonly options: Extract<UpsConfig, { driver: 'sim' }>,
  ) {
    super(context);
  }

  get reading(): UpsReading | null {
    return this.#reading;
  }

  protected override async open(): Promise<void> {
    await super.open();
    this.simulate(['OL'], 100, this.options.runtimeSeconds);
  }

  /** Drive the simulated mains: used by tests and by the console's sim controls. */
  simulate(flags: UpsFlag[], batteryCharge: number, batteryRuntime: number): void {
    const previous = { reading: this.#reading, communicating: true };
    this.#reading = reading(flags, batteryCharge, batteryRuntime);
    this.events.emit('reading', this.#reading);
    for (const transition of deriveTransitions(previous, { reading: this.#reading, communicating: true })) {
      if (transition !== 'communicationLost') this.events.emit(transition, this.#reading);
    }
  }
}

function reading(flags: UpsFlag[], batteryCharge: number, batteryRuntime: number): UpsReading {
  return {
    flags,
    batteryCharge,
    batteryRuntime,
    load: 20,
    inputVoltage: flags.includes('OB') ? 0 : 220,
    at: new Date().toISOString(),
  };
}
