import type { Driver } from '../core/driver.js';

/** NUT's ups.status flags; other drivers map their readings to the same words. */
export type UpsFlag = 'OL' | 'OB' | 'LB' | 'HB' | 'RB' | 'CHRG' | 'DISCHRG' | 'BYPASS' | 'CAL' | 'OFF' | 'OVER' | 'TRIM' | 'BOOST' | 'FSD';

export interface UpsReading {
  flags: UpsFlag[];
  /** Percent, when the UPS reports it. */
  batteryCharge: number | null;
  /** Seconds of runtime left, when the UPS reports it. */
  batteryRuntime: number | null;
  load: number | null;
  inputVoltage: number | null;
  at: string;
}

export type UpsEvents = {
  reading: [reading: UpsReading];
  onBattery: [reading: UpsReading];
  onLine: [reading: UpsReading];
  lowBattery: [reading: UpsReading];
  forcedShutdown: [reading: UpsReading];
  replaceBattery: [reading: UpsReading];
};

export interface UpsDevice extends Driver<UpsEvents> {
  readonly kind: 'ups';
  /** Last reading, or null before the first poll. */
  readonly reading: UpsReading | null;
}
