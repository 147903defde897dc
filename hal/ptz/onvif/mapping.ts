import type { Direction } from '../types.js';

/** Pure conversions between the PTZ contract and ONVIF's generic spaces. */

/** A continuous pan/tilt velocity: direction × speed, speed clamped to 0…1 (ONVIF's generic speed space). */
export function velocityOf(pan: Direction, tilt: Direction, speed: number): { x: number; y: number } {
  const s = Math.min(1, Math.max(0, speed));
  return { x: pan * s, y: tilt * s };
}

/** Camera presets are found by name: cameras pick their own tokens ("1", "Preset001", a UUID…). */
export const presetName = (slot: number): string => `diemcau-${slot}`;

/**
 * The camera's clock minus ours, in whole seconds: GetSystemDateAndTime has a resolution of one second,
 * so finer figures would be noise. Positive means the camera is ahead.
 */
export function clockDriftSeconds(camera: Date, room: Date): { driftSeconds: number; checkedAt: string } {
  // The camera truncates to the second; half a second on our side centres the error.
  const drift = Math.round((camera.getTime() + 500 - room.getTime()) / 1000);
  return { driftSeconds: drift === 0 ? 0 : drift, checkedAt: room.toISOString() };
}
