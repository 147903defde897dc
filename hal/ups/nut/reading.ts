import { parseUpsStatus } from '../status.js';
import type { UpsReading } from '../types.js';
import { NutProtocolError } from './protocol.js';

/** The NUT variables the driver reads (names from NUT's "standard variables" list). */
export const nutVariables = {
  status: 'ups.status',
  charge: 'battery.charge',
  runtime: 'battery.runtime',
  load: 'ups.load',
  inputVoltage: 'input.voltage',
} as const;

/**
 * Builds a reading from `LIST VAR` output. `ups.status` is required (without it nothing can be
 * decided); the numbers are optional since many UPSes report only some of them.
 */
export function readingFromNutVariables(
  vars: ReadonlyMap<string, string>,
  at: Date,
): { reading: UpsReading; unknownFlags: string[] } {
  const status = vars.get(nutVariables.status);
  if (status === undefined) throw new NutProtocolError(`upsd did not report ${nutVariables.status}`);
  const { flags, unknown } = parseUpsStatus(status);
  return {
    reading: {
      flags,
      batteryCharge: number(vars.get(nutVariables.charge)),
      batteryRuntime: number(vars.get(nutVariables.runtime)),
      load: number(vars.get(nutVariables.load)),
      inputVoltage: number(vars.get(nutVariables.inputVoltage)),
      at: at.toISOString(),
    },
    unknownFlags: unknown,
  };
}

/**
 * A status without OL, OB or FSD says nothing about the mains: dummy-ups and real NUT drivers report
 * "WAIT" (or nothing) while they have no data yet or are shutting down. Such a status is treated as
 * the UPS not answering, never as a reading with no flags.
 */
export function tellsPowerState(flags: readonly string[]): boolean {
  return flags.includes('OL') || flags.includes('OB') || flags.includes('FSD');
}

function number(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}
