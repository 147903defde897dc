import type { Label } from '../../messages/label.js';
import { readinessDeviceNames, readinessText } from '../../messages/readiness.js';
import type { CheckOutcome, CheckStatus, Measurement } from '../types.js';

/** A check's result; the explanation comes from the catalogue (kiosk/messages/readiness.ts). */
export function outcome(status: CheckStatus, measured: Measurement, explanation: Label): CheckOutcome {
  // An optional tail ({reason}) may be empty: no dangling space on screen.
  return { status, measured, explanation: { vi: explanation.vi.trim(), en: explanation.en.trim() } };
}

export const none: Measurement = { value: null };

/** A device that is configured but not connected: fail with what its driver says. */
export function deviceDown(
  device: keyof typeof readinessDeviceNames,
  snapshot: { status: string; detail?: string },
): CheckOutcome {
  // The officer reads Vietnamese: what to do, not the driver's words (those stay in the English, for the technician).
  return outcome(
    'fail',
    { value: snapshot.status },
    readinessText('deviceDown', {
      device: readinessDeviceNames[device],
      status: snapshot.status,
      detail: snapshot.detail ? ` (${snapshot.detail})` : '',
    }),
  );
}
