import type { UpsReading } from '../../hal/ups/types.js';

/**
 * The power policy as a pure decision: what to do given what the UPS says, whether a session is
 * running and how long finalizing its recording takes. The PowerService feeds it and carries out the
 * actions; nothing here does I/O or reads the clock.
 */

export interface PowerInputs {
  /** Last reading the UPS gave (kept while it is silent), or null before the first. */
  reading: UpsReading | null;
  communicating: boolean;
  /** Seconds since the UPS went silent (0 while communicating). */
  silentSeconds: number;
  /** How long a UPS last seen on battery may stay silent before power counts as critical. */
  silentLimitSeconds: number;
  session: { id: string } | null;
  /** Estimated seconds to end the session and finalize its recording. */
  finalizeSeconds: number;
  /** Battery seconds kept in hand beyond finalizing (hal.power.marginSeconds). */
  marginSeconds: number;
}

export interface PowerMemory {
  /** An on-battery alert went out and mains has not come back since. */
  alertedOnBattery: boolean;
  /** Shutdown was decided: never decided twice, never undone (power coming back does not cancel it). */
  shutdownDecided: boolean;
}

export const initialPowerMemory: PowerMemory = { alertedOnBattery: false, shutdownDecided: false };

export type PowerAlertKind = 'on-battery' | 'power-restored' | 'critical';

export type PowerAction =
  | { type: 'alert'; alert: PowerAlertKind; reason: string }
  | { type: 'end-session'; sessionId: string; reason: string }
  | { type: 'shutdown'; reason: string };

/**
 * Like upsmon's DEADTIME (15 s by default): a UPS last seen on battery that stays silent this long is
 * assumed to be running out, since nothing tells us otherwise and the recording must be closed while
 * there is power.
 */
export const defaultSilentLimitSeconds = 15;

/** Why power is critical now, or undefined when it is not. */
export function criticalReason(inputs: PowerInputs): string | undefined {
  const { reading } = inputs;
  if (!reading) return undefined;
  const flags = reading.flags;
  if (flags.includes('FSD')) return 'UPS signals forced shutdown (FSD)';
  if (!flags.includes('OB')) return undefined;
  if (!inputs.communicating) {
    return inputs.silentSeconds >= inputs.silentLimitSeconds
      ? `UPS silent for ${inputs.silentSeconds} s while on battery`
      : undefined;
  }
  if (flags.includes('LB')) return 'UPS on battery with low battery (LB)';
  const needed = inputs.finalizeSeconds + inputs.marginSeconds;
  if (reading.batteryRuntime !== null && reading.batteryRuntime < needed) {
    return `battery runtime ${reading.batteryRuntime} s is under ${needed} s (finalize ${inputs.finalizeSeconds} s + margin ${inputs.marginSeconds} s)`;
  }
  return undefined;
}

/**
 * Actions are in the order they must run: the session ends (recording finalized) before shutdown.
 * Alerts come first so the room sees what is happening.
 */
export function decidePower(memory: PowerMemory, inputs: PowerInputs): { memory: PowerMemory; actions: PowerAction[] } {
  if (memory.shutdownDecided) return { memory, actions: [] };
  const actions: PowerAction[] = [];
  let next = memory;
  const flags = inputs.reading?.flags ?? [];

  if (flags.includes('OB') && !memory.alertedOnBattery) {
    actions.push({ type: 'alert', alert: 'on-battery', reason: describeBattery(inputs.reading!) });
    next = { ...next, alertedOnBattery: true };
  } else if (memory.alertedOnBattery && inputs.communicating && flags.includes('OL') && !flags.includes('OB')) {
    actions.push({ type: 'alert', alert: 'power-restored', reason: 'mains power is back' });
    next = { ...next, alertedOnBattery: false };
  }

  const critical = criticalReason(inputs);
  if (critical) {
    actions.push({ type: 'alert', alert: 'critical', reason: critical });
    if (inputs.session) actions.push({ type: 'end-session', sessionId: inputs.session.id, reason: critical });
    actions.push({ type: 'shutdown', reason: critical });
    next = { ...next, shutdownDecided: true };
  }
  return { memory: next, actions };
}

function describeBattery(reading: UpsReading): string {
  const parts = ['running on battery'];
  if (reading.batteryCharge !== null) parts.push(`${reading.batteryCharge}% charge`);
  if (reading.batteryRuntime !== null)
    parts.push(`${reading.batteryRuntime} s${reading.runtimeEstimated ? ' (estimated)' : ''} left`);
  return parts.join(', ');
}
