/**
 * A call for the room's technician (gọi cán bộ kỹ thuật), from the touchscreen or the room's button.
 * It waits until someone acknowledges it in the console; central monitoring sees both moments.
 */
export type TechnicianCallSource = 'kiosk' | 'room-button';

export interface TechnicianCall {
  id: string;
  source: TechnicianCallSource;
  /** The session live when the call was raised, if any. */
  sessionId: string | null;
  raisedAt: string;
  state: 'waiting' | 'acknowledged';
  acknowledgedAt: string | null;
  /** Console user who acknowledged it (staff, never a citizen); kept off the bus and the fleet. */
  acknowledgedBy: string | null;
}

/** What the bus (the session timeline, central monitoring) is told: no console user names. */
export type TechnicianCallEvent = Omit<TechnicianCall, 'acknowledgedBy'>;

export function callEvent(call: TechnicianCall): TechnicianCallEvent {
  const { acknowledgedBy: _staff, ...event } = call;
  return event;
}

/**
 * The call the touchscreen shows: the one waiting, else the latest acknowledged within `showForMs`
 * (so the officer reads "Cán bộ kỹ thuật đã nhận"), else none. Pure.
 */
export function callToShow(calls: readonly TechnicianCall[], now: number, showForMs: number): TechnicianCall | null {
  const waiting = calls.find((c) => c.state === 'waiting');
  if (waiting) return waiting;
  const latest = calls.at(-1);
  return latest?.acknowledgedAt && now - Date.parse(latest.acknowledgedAt) <= showForMs ? latest : null;
}

/** What the technician call publishes. Merged into the app bus's event map (core/event-bus.ts). */
declare module '../core/event-bus.js' {
  interface AppEvents {
    /** A call for the technician was raised (touchscreen, room button) or acknowledged in the console. */
    technicianCall: [call: TechnicianCallEvent];
  }
}
