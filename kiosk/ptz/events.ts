/** What the camera control publishes. Merged into the app bus's event map (core/event-bus.ts). */
declare module '../core/event-bus.js' {
  interface AppEvents {
    /** Someone is moving the camera by hand (kiosk or console PTZ controls): true at the start, false at the end. */
    ptzManualMove: [active: boolean];
    /** A camera preset was recalled or stored, by a person or by speaker tracking. */
    ptzPreset: [
      event: { action: 'recalled' | 'stored'; name: string; slot: number; source: 'kiosk' | 'console' | 'tracking' },
    ];
  }
}

export {};
