import type { UpsReading } from '../../hal/ups/types.js';
import type { PowerAlertKind } from './policy.js';

/**
 * What the power service tells the rest of the daemon (kiosk screen, console, fleet):
 * - on-battery / power-restored / critical: the policy's alerts;
 * - session-ended: the live session was closed because of power (recording finalized);
 * - shutdown-requested / shutdown-failed: the shutdown command ran (once) and how it went.
 */
export interface PowerAlert {
  kind: PowerAlertKind | 'session-ended' | 'shutdown-requested' | 'shutdown-failed';
  reason: string;
  reading: UpsReading | null;
  at: string;
}

/** What the power service publishes. Merged into the app bus's event map (core/event-bus.ts). */
declare module '../core/event-bus.js' {
  interface AppEvents {
    /** Mains power and UPS: on battery, back on line, critical, session ended for power, shutdown requested/failed. */
    powerAlert: [alert: PowerAlert];
  }
}
