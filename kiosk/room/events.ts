import type { DiscoveredChange } from '../../hal/discovery/types.js';
import type { ButtonName } from '../../hal/gpio/config.js';

/** What the room's signals and device discovery publish. Merged into the app bus's event map (core/event-bus.ts). */
declare module '../core/event-bus.js' {
  interface AppEvents {
    /** A debounced press of a room button (GPIO). */
    roomButton: [name: ButtonName];
    /** A capture device appeared or disappeared (hal/discovery). */
    hardwarePlugged: [change: DiscoveredChange];
  }
}
