import type { UpsFlag, UpsReading } from '../types.js';
import type { MegatecStatus } from './codec.js';

/**
 * Q1 reports neither charge nor runtime, only battery voltage and load. Both are estimated here,
 * on purpose on the low side: the power policy ends a session when runtime runs short, and an
 * estimate that is too high would let the battery die under a recording.
 *
 * Charge: linear in the voltage per lead-acid cell between 1.75 V (empty under load, the usual
 * cut-off) and 2.10 V (a full cell under load). A loaded battery sags, so under load this reads
 * lower than the true charge; on mains the float voltage (≈2.25 V) reads 100 %.
 *
 * Runtime: rated full-load runtime × charge × (100 % / load), the load clamped to at least 25 %.
 * Real lead-acid runtime grows faster than 1/load at light load (Peukert), so the linear scaling
 * underestimates; the clamp keeps a near-idle UPS from promising hours it was never tested for.
 */
export const cellEmptyVolts = 1.75;
export const cellFullVolts = 2.1;
export const minimumLoadPercent = 25;

export interface BatteryModel {
  /** Lead-acid cells in series (6 per 12 V block); undefined when neither F nor config told us. */
  cells: number | undefined;
  fullLoadRuntimeSeconds: number;
}

/** Cells from a nominal pack voltage (12 V → 6). */
export function cellsFromNominal(nominalVolts: number): number {
  return Math.max(1, Math.round(nominalVolts / 2));
}

/** Volts per cell: a reply under 3 V is already per cell. Undefined when the pack size is unknown. */
export function voltsPerCell(batteryVoltage: number, cells: number | undefined): number | undefined {
  if (batteryVoltage < 3) return batteryVoltage;
  return cells ? batteryVoltage / cells : undefined;
}

export function estimateCharge(perCell: number): number {
  const fraction = (perCell - cellEmptyVolts) / (cellFullVolts - cellEmptyVolts);
  return Math.round(Math.min(1, Math.max(0, fraction)) * 100);
}

export function estimateRuntimeSeconds(
  chargePercent: number,
  loadPercent: number,
  fullLoadRuntimeSeconds: number,
): number {
  const load = Math.max(loadPercent, minimumLoadPercent);
  return Math.floor(fullLoadRuntimeSeconds * (chargePercent / 100) * (100 / load));
}

/** Maps Q1 status bits to NUT's words so every driver speaks the same flags. */
export function flagsFromQ1(status: MegatecStatus): UpsFlag[] {
  const { bits } = status;
  const flags: UpsFlag[] = [bits.utilityFail ? 'OB' : 'OL'];
  if (bits.batteryLow) flags.push('LB');
  // On a line-interactive UPS (standby type) b5 is the AVR boosting a low mains; on an online UPS it is bypass.
  if (bits.bypassBoost) flags.push(bits.standbyType ? 'BOOST' : 'BYPASS');
  if (bits.upsFailed) flags.push('ALARM');
  if (bits.testInProgress) flags.push('TEST');
  // The UPS is about to cut its output: the same urgency as NUT's forced shutdown.
  if (bits.shutdownActive) flags.push('FSD');
  return flags;
}

export function readingFromQ1(status: MegatecStatus, model: BatteryModel, at: Date): UpsReading {
  const perCell = voltsPerCell(status.batteryVoltage, model.cells);
  const charge = perCell === undefined ? null : estimateCharge(perCell);
  return {
    flags: flagsFromQ1(status),
    batteryCharge: charge,
    batteryRuntime:
      charge === null ? null : estimateRuntimeSeconds(charge, status.loadPercent, model.fullLoadRuntimeSeconds),
    runtimeEstimated: true,
    load: status.loadPercent,
    inputVoltage: status.inputVoltage,
    at: at.toISOString(),
  };
}
