import type { CameraFault } from '../visca/emulated-camera.js';

/**
 * Fault-injection commands a technician (or a test) types into a running emulator, one per line:
 *
 *   silent on | silent off        camera stops / resumes answering
 *   fault silent                  swallow the next command
 *   fault error HH                answer the next command with error code HH (02 syntax, 03 buffer full…)
 *   fault error-after-ack HH      ACK the next command, then error HH (04 cancelled, 41 not executable)
 *   fault ack-only                ACK the next command, never complete it
 *   garbage HH HH …               put these bytes on the line now
 *   unplug | plug                 pull the cable (pty gone / socket closed) and put it back
 *   state                         print the camera's state
 */
export type EmulatorControl =
  | { kind: 'silent'; on: boolean }
  | { kind: 'fault'; fault: CameraFault }
  | { kind: 'garbage'; bytes: Buffer }
  | { kind: 'unplug' }
  | { kind: 'plug' }
  | { kind: 'state' };

export function parseControl(line: string): EmulatorControl | { kind: 'invalid'; reason: string } {
  const [word, ...rest] = line.trim().toLowerCase().split(/\s+/);
  const hexByte = (text: string | undefined) =>
    text !== undefined && /^[0-9a-f]{1,2}$/.test(text) ? parseInt(text, 16) : undefined;
  switch (word) {
    case 'silent':
      if (rest[0] === 'on' || rest[0] === 'off') return { kind: 'silent', on: rest[0] === 'on' };
      return { kind: 'invalid', reason: 'silent on|off' };
    case 'fault': {
      const [type, code] = rest;
      if (type === 'silent' || type === 'ack-only') return { kind: 'fault', fault: { kind: type } };
      const value = hexByte(code);
      if ((type === 'error' || type === 'error-after-ack') && value !== undefined)
        return { kind: 'fault', fault: { kind: type, code: value } };
      return { kind: 'invalid', reason: 'fault silent | fault ack-only | fault error HH | fault error-after-ack HH' };
    }
    case 'garbage': {
      const bytes = rest.map(hexByte);
      if (bytes.length > 0 && bytes.every((b) => b !== undefined))
        return { kind: 'garbage', bytes: Buffer.from(bytes as number[]) };
      return { kind: 'invalid', reason: 'garbage HH [HH …]' };
    }
    case 'unplug':
    case 'plug':
    case 'state':
      return { kind: word };
    default:
      return { kind: 'invalid', reason: `unknown command "${word ?? ''}"` };
  }
}
