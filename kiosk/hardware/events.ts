import type { DeviceSnapshot } from '../../hal/core/driver.js';

/** What the hardware service publishes. Merged into the app bus's event map (core/event-bus.ts). */
declare module '../core/event-bus.js' {
  interface AppEvents {
    /** A device's status changed (ok, connecting, failed, bad-config). */
    deviceStatus: [snapshot: DeviceSnapshot];
  }
}
