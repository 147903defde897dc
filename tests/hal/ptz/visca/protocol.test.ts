import { describe, expect, it } from 'vitest';
import * as visca from '../../../../hal/ptz/visca/protocol.js';

/** Hex text → bytes, so vectors read like the command lists in the Sony VISCA manuals. */
const h = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('VISCA command encoders (vectors from the Sony command lists)', () => {
  const cases: [string, visca.ViscaRequest, string, visca.ReplyShape][] = [
    ['AddressSet broadcast', visca.addressSet(), '88 30 01 FF', 'address-set'],
    ['IF_Clear broadcast', visca.ifClearBroadcast(), '88 01 00 01 FF', 'clear'],
    ['IF_Clear camera 1', visca.ifClear(1), '81 01 00 01 FF', 'clear'],
    ['IF_Clear camera 7', visca.ifClear(7), '87 01 00 01 FF', 'clear'],
    ['Up, slowest', visca.panTiltDrive(1, 'stop', 'up', 0x01, 0x01), '81 01 06 01 01 01 03 01 FF', 'command'],
    ['Down', visca.panTiltDrive(1, 'stop', 'down', 0x0c, 0x0a), '81 01 06 01 0C 0A 03 02 FF', 'command'],
    ['Left, fastest pan', visca.panTiltDrive(1, 'left', 'stop', 0x18, 0x14), '81 01 06 01 18 14 01 03 FF', 'command'],
    ['Right', visca.panTiltDrive(2, 'right', 'stop', 0x05, 0x05), '82 01 06 01 05 05 02 03 FF', 'command'],
    ['UpLeft', visca.panTiltDrive(1, 'left', 'up', 0x08, 0x08), '81 01 06 01 08 08 01 01 FF', 'command'],
    ['UpRight', visca.panTiltDrive(1, 'right', 'up', 0x08, 0x08), '81 01 06 01 08 08 02 01 FF', 'command'],
    ['DownLeft', visca.panTiltDrive(1, 'left', 'down', 0x08, 0x08), '81 01 06 01 08 08 01 02 FF', 'command'],
    ['DownRight', visca.panTiltDrive(1, 'right', 'down', 0x08, 0x08), '81 01 06 01 08 08 02 02 FF', 'command'],
    ['Stop', visca.panTiltStop(1), '81 01 06 01 01 01 03 03 FF', 'command'],
    ['Home', visca.panTiltHome(1), '81 01 06 04 FF', 'command'],
    // Pan +170° = 0x0990, tilt -30° = 0xFE50 (two's complement), as the manuals tabulate them.
    [
      'AbsolutePosition',
      visca.panTiltAbsolute(1, 0x0990, -0x01b0, 0x18, 0x14),
      '81 01 06 02 18 14 00 09 09 00 0F 0E 05 00 FF',
      'command',
    ],
    [
      'AbsolutePosition centre',
      visca.panTiltAbsolute(1, 0, 0, 0x01, 0x01),
      '81 01 06 02 01 01 00 00 00 00 00 00 00 00 FF',
      'command',
    ],
    ['Zoom Stop', visca.zoom(1, { kind: 'stop' }), '81 01 04 07 00 FF', 'command'],
    ['Zoom Tele (standard)', visca.zoom(1, { kind: 'tele' }), '81 01 04 07 02 FF', 'command'],
    ['Zoom Wide (standard)', visca.zoom(1, { kind: 'wide' }), '81 01 04 07 03 FF', 'command'],
    ['Zoom Tele (variable p=0)', visca.zoom(1, { kind: 'tele', speed: 0 }), '81 01 04 07 20 FF', 'command'],
    ['Zoom Tele (variable p=7)', visca.zoom(1, { kind: 'tele', speed: 7 }), '81 01 04 07 27 FF', 'command'],
    ['Zoom Wide (variable p=5)', visca.zoom(1, { kind: 'wide', speed: 5 }), '81 01 04 07 35 FF', 'command'],
    ['Zoom Direct 0x4000', visca.zoomDirect(1, 0x4000), '81 01 04 47 04 00 00 00 FF', 'command'],
    ['Focus Auto', visca.focusMode(1, 'auto'), '81 01 04 38 02 FF', 'command'],
    ['Focus Manual', visca.focusMode(1, 'manual'), '81 01 04 38 03 FF', 'command'],
    ['Memory Reset 3', visca.preset(1, 'reset', 3), '81 01 04 3F 00 03 FF', 'command'],
    ['Memory Set 5', visca.preset(1, 'set', 5), '81 01 04 3F 01 05 FF', 'command'],
    ['Memory Recall 127', visca.preset(1, 'recall', 0x7f), '81 01 04 3F 02 7F FF', 'command'],
    ['Power On', visca.power(1, true), '81 01 04 00 02 FF', 'command'],
    ['Power Off', visca.power(1, false), '81 01 04 00 03 FF', 'command'],
    ['Pan-tiltPosInq', visca.panTiltPositionInquiry(1), '81 09 06 12 FF', 'inquiry'],
    ['CAM_ZoomPosInq', visca.zoomPositionInquiry(1), '81 09 04 47 FF', 'inquiry'],
    ['CAM_PowerInq', visca.powerInquiry(3), '83 09 04 00 FF', 'inquiry'],
  ];
  it.each(cases)('%s → %s', (_name, request, bytes, reply) => {
    expect(visca.hex(request.bytes)).toBe(bytes);
    expect(request.reply).toBe(reply);
  });

  it('marks the commands whose Completion waits for the head to arrive', () => {
    expect(visca.preset(1, 'recall', 1).slow).toBe(true);
    expect(visca.panTiltHome(1).slow).toBe(true);
    expect(visca.preset(1, 'set', 1).slow).toBeUndefined();
    expect(visca.panTiltDrive(1, 'left', 'stop', 1, 1).slow).toBeUndefined();
  });

  it.each([
    ['address 0', () => visca.ifClear(0)],
    ['address 8 (broadcast is not an address)', () => visca.ifClear(8)],
    ['pan speed 0', () => visca.panTiltDrive(1, 'left', 'stop', 0, 1)],
    ['pan speed 0x19', () => visca.panTiltDrive(1, 'left', 'stop', 0x19, 1)],
    ['tilt speed 0x15', () => visca.panTiltDrive(1, 'stop', 'up', 1, 0x15)],
    ['zoom speed 8', () => visca.zoom(1, { kind: 'tele', speed: 8 })],
    ['preset 128', () => visca.preset(1, 'set', 128)],
    ['preset -1', () => visca.preset(1, 'recall', -1)],
    ['pan beyond 16 bits', () => visca.panTiltAbsolute(1, 0x8000, 0, 1, 1)],
  ])('refuses %s', (_name, build) => {
    expect(build).toThrow(RangeError);
  });
});

describe('VISCA reply decoder', () => {
  const cases: [string, string, visca.ViscaReply][] = [
    ['ACK socket 1', '90 41 FF', { type: 'ack', address: 1, socket: 1 }],
    ['ACK socket 2 from camera 3', 'B0 42 FF', { type: 'ack', address: 3, socket: 2 }],
    ['Completion socket 1', '90 51 FF', { type: 'completion', address: 1, socket: 1, data: h('') }],
    ['Completion of IF_Clear', '90 50 FF', { type: 'completion', address: 1, socket: 0, data: h('') }],
    ['Inquiry answer', '90 50 02 FF', { type: 'completion', address: 1, socket: 0, data: h('02') }],
    [
      'Message length error',
      '90 60 01 FF',
      { type: 'error', address: 1, socket: 0, code: 0x01, reason: 'message-length' },
    ],
    ['Syntax error', '90 60 02 FF', { type: 'error', address: 1, socket: 0, code: 0x02, reason: 'syntax' }],
    ['Command buffer full', '90 60 03 FF', { type: 'error', address: 1, socket: 0, code: 0x03, reason: 'buffer-full' }],
    ['Command cancelled', '90 61 04 FF', { type: 'error', address: 1, socket: 1, code: 0x04, reason: 'cancelled' }],
    ['No socket', '90 62 05 FF', { type: 'error', address: 1, socket: 2, code: 0x05, reason: 'no-socket' }],
    [
      'Command not executable',
      '90 61 41 FF',
      { type: 'error', address: 1, socket: 1, code: 0x41, reason: 'not-executable' },
    ],
    ['Undocumented error code', '90 60 7E FF', { type: 'error', address: 1, socket: 0, code: 0x7e, reason: 'unknown' }],
    ['AddressSet reply, one camera', '88 30 02 FF', { type: 'address-set', nextAddress: 2 }],
    ['IF_Clear broadcast echo', '88 01 00 01 FF', { type: 'clear-broadcast' }],
    ['Network change', 'A0 38 FF', { type: 'network-change', address: 2 }],
    ['Controller header is not a reply', '81 41 FF', { type: 'unknown', bytes: h('81 41 FF') }],
    ['Too short', '90 FF', { type: 'unknown', bytes: h('90 FF') }],
  ];
  it.each(cases)('%s: %s', (_name, bytes, reply) => {
    expect(visca.decodeReply(h(bytes))).toEqual(reply);
  });

  it.each([
    ['centre', '00 00 00 00 00 00 00 00', { pan: 0, tilt: 0 }],
    ['+170° / +90°', '00 09 09 00 00 05 01 00', { pan: 0x0990, tilt: 0x0510 }],
    ['-170° / -30°', '0F 06 07 00 0F 0E 05 00', { pan: -0x0990, tilt: -0x01b0 }],
  ])('Pan-tiltPosInq answer %s', (_name, data, position) => {
    expect(visca.decodePanTiltPosition(h(data))).toEqual(position);
  });

  it('decodes zoom and power answers and refuses wrong lengths', () => {
    expect(visca.decodeZoomPosition(h('04 00 00 00'))).toBe(0x4000);
    expect(visca.decodeZoomPosition(h('00 0A 0B 0C'))).toBe(0x0abc);
    expect(visca.decodePower(h('02'))).toBe(true);
    expect(visca.decodePower(h('03'))).toBe(false);
    expect(() => visca.decodeZoomPosition(h('04 00 00'))).toThrow(RangeError);
    expect(() => visca.decodePanTiltPosition(h('00'))).toThrow(RangeError);
    expect(() => visca.decodePower(h('04'))).toThrow(RangeError);
  });

  it.each([
    [undefined, 0x18, 0x0c],
    [0, 0x18, 1],
    [1, 0x18, 0x18],
    [0.5, 0x14, 0x0a],
    [7, 0x14, 0x14],
    [Number.NaN, 0x18, 0x0c],
  ])('scales speed %s to 1…%i as %i', (speed, max, expected) => {
    expect(visca.scaleSpeed(speed, max)).toBe(expected);
  });
});
