import type { Driver } from '../core/driver.js';

/** NUT's ups.status flags; other drivers map their readings to the same words. */
export type UpsFlag =
  | 'OL'
  | 'OB'
  | 'LB'
  | 'HB'
  | 'RB'
  | 'CHRG'
  | 'DISCHRG'
  | 'BYPASS'
  | 'CAL'
  | 'OFF'
  | 'OVER'
  | 'TRIM'
  | 'BOOST'
  | 'FSD'
  | 'ALARM'
  | 'TEST';

export const upsFlags: readonly UpsFlag[] = [
  'OL',
  'OB',
  'LB',
  'HB',
  'RB',
  'CHRG',
  'DISCHRG',
  'BYPASS',
  'CAL',
  'OFF',
  'OVER',
  'TRIM',
  'BOOST',
  'FSD',
  'ALARM',
  'TEST',
];

export interface UpsReading {
  flags: UpsFlag[];
  /** Percent, when the UPS reports it. */
  batteryCharge: number | null;
  /** Seconds of runtime left, when the UPS reports it (or the driver estimates it, see runtimeEstimated). */
  batteryRuntime: number | null;
  /** True when batteryRuntime is the driver's conservative estimate, not the UPS's own figure. */
  runtimeEstimated?: boolean;
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
  /** The driver still reaches its server or port, but the UPS itself stopped answering (or data went stale). */
  communicationLost: [detail: { reason: string; lastReading: UpsReading | null }];
  communicationRestored: [reading: UpsReading];
};

export interface UpsDevice extends Driver<UpsEvents> {
  readonly kind: 'ups';
  /** Last reading, or null before the first poll. */
  readonly reading: UpsReading | null;
  /** False while the UPS does not answer although the link to it (socket, port) is up. */
  readonly communicating: boolean;
}
