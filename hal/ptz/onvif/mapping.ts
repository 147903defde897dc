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

/**
 * Credentials the npm `onvif` client can carry: it writes the user name into the SOAP header unescaped
 * and hashes the password as ASCII (a "ậ" would be digested as another byte than the camera's UTF-8),
 * so a user name with XML's special characters, or a password beyond printable ASCII, would fail as
 * "wrong password" for no visible reason. Undefined when fine.
 */
export function credentialProblem(username: string, password: string): string | undefined {
  if (!/^[\x21-\x7e]+$/.test(username) || /[<>&'"]/.test(username))
    return 'the ONVIF user name must be printable ASCII without < > & \' "';
  if (!/^[\x20-\x7e]+$/.test(password))
    return 'the ONVIF password must be printable ASCII (the onvif client digests it as ASCII)';
  return undefined;
}
