import { describe, expect, it } from 'vitest';
import { parseControl } from '../../../../hal/ptz/emulation/control.js';

describe('emulator fault-injection commands', () => {
  it.each([
    ['silent on', { kind: 'silent', on: true }],
    ['SILENT off', { kind: 'silent', on: false }],
    ['fault silent', { kind: 'fault', fault: { kind: 'silent' } }],
    ['fault ack-only', { kind: 'fault', fault: { kind: 'ack-only' } }],
    ['fault error 03', { kind: 'fault', fault: { kind: 'error', code: 0x03 } }],
    ['fault error-after-ack 41', { kind: 'fault', fault: { kind: 'error-after-ack', code: 0x41 } }],
    ['garbage 00 ff 7', { kind: 'garbage', bytes: Buffer.from([0x00, 0xff, 0x07]) }],
    ['  unplug ', { kind: 'unplug' }],
    ['plug', { kind: 'plug' }],
    ['state', { kind: 'state' }],
  ])('%s', (line, expected) => {
    expect(parseControl(line)).toEqual(expected);
  });

  it.each(['silent maybe', 'fault error', 'fault error 1FF', 'fault melt', 'garbage', 'garbage zz', 'reboot', ''])(
    'rejects "%s"',
    (line) => {
      expect(parseControl(line).kind).toBe('invalid');
    },
  );
});
