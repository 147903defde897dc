import type { UpsFlag, UpsReading } from './types.js';

/** What the driver knows at one moment: the last reading and whether the UPS is still answering. */
export interface UpsObservation {
  reading: UpsReading | null;
  communicating: boolean;
}

export type UpsTransition =
  | 'onBattery'
  | 'onLine'
  | 'lowBattery'
  | 'forcedShutdown'
  | 'replaceBattery'
  | 'communicationLost'
  | 'communicationRestored';

/**
 * The events a change from `previous` to `current` means, in the order a listener should see them
 * (restored before what the restored data says; on battery before low battery).
 *
 * - Flags are compared with the last reading known before a communication loss, so a power cut that
 *   happened while the UPS was silent still yields `onBattery` once it answers again.
 * - The first reading (previous reading null) reports a state already present: starting on battery
 *   or with a low battery must reach the power policy; `onLine` needs a previous `OB`.
 */
export function deriveTransitions(previous: UpsObservation, current: UpsObservation): UpsTransition[] {
  const transitions: UpsTransition[] = [];
  if (previous.communicating && !current.communicating) transitions.push('communicationLost');
  if (!previous.communicating && current.communicating) transitions.push('communicationRestored');
  if (!current.communicating || !current.reading) return transitions;

  const before: readonly UpsFlag[] = previous.reading?.flags ?? [];
  const now = current.reading.flags;
  const became = (flag: UpsFlag) => now.includes(flag) && !before.includes(flag);
  if (became('OB')) transitions.push('onBattery');
  if (now.includes('OL') && !now.includes('OB') && before.includes('OB')) transitions.push('onLine');
  if (became('LB')) transitions.push('lowBattery');
  if (became('FSD')) transitions.push('forcedShutdown');
  if (became('RB')) transitions.push('replaceBattery');
  return transitions;
}
