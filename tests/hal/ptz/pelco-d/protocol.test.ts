import { describe, expect, it } from 'vitest';
import * as pelco from '../../../../hal/ptz/pelco-d/protocol.js';
import { h, hex } from '../helpers/wait.js';

describe('Pelco-D frames (vectors from the Pelco-D protocol manual layout)', () => {
  const m = (pan: -1 | 0 | 1, tilt: -1 | 0 | 1, zoom: -1 | 0 | 1, panSpeed = 0, tiltSpeed = 0): pelco.PelcoMotion => ({
    pan,
    tilt,
    zoom,
    panSpeed,
    tiltSpeed,
  });
  it.each([
    ['stop, camera 1', pelco.stop(1), 'FF 01 00 00 00 00 01'],
    ['pan left full speed', pelco.motion(1, m(-1, 0, 0, 0x3f)), 'FF 01 00 04 3F 00 44'],
    ['pan right speed 0x20', pelco.motion(1, m(1, 0, 0, 0x20)), 'FF 01 00 02 20 00 23'],
    ['tilt up full speed', pelco.motion(1, m(0, 1, 0, 0, 0x3f)), 'FF 01 00 08 00 3F 48'],
    ['tilt down', pelco.motion(1, m(0, -1, 0, 0, 0x10)), 'FF 01 00 10 00 10 21'],
    ['down-right', pelco.motion(1, m(1, -1, 0, 0x20, 0x20)), 'FF 01 00 12 20 20 53'],
    ['zoom tele', pelco.motion(1, m(0, 0, 1)), 'FF 01 00 20 00 00 21'],
    ['zoom wide', pelco.motion(1, m(0, 0, -1)), 'FF 01 00 40 00 00 41'],
    ['pan left while zooming tele', pelco.motion(1, m(-1, 0, 1, 0x08)), 'FF 01 00 24 08 00 2D'],
    ['set preset 1', pelco.preset(1, 'set', 1), 'FF 01 00 03 00 01 05'],
    ['clear preset 1', pelco.preset(1, 'clear', 1), 'FF 01 00 05 00 01 07'],
    ['call preset 1', pelco.preset(1, 'call', 1), 'FF 01 00 07 00 01 09'],
    ['call preset 255 on camera 255 (checksum wraps)', pelco.preset(255, 'call', 255), 'FF FF 00 07 00 FF 05'],
    ['auto focus on', pelco.autoFocus(2, true), 'FF 02 00 2B 00 00 2D'],
    ['auto focus off', pelco.autoFocus(2, false), 'FF 02 00 2B 00 01 2E'],
  ])('%s → %s', (_name, frame, bytes) => {
    expect(hex(frame)).toBe(bytes);
  });

  it.each([
    ['address 0', () => pelco.stop(0)],
    ['address 256', () => pelco.stop(256)],
    ['preset 0', () => pelco.preset(1, 'call', 0)],
    ['preset 256', () => pelco.preset(1, 'set', 256)],
    ['speed 0x40', () => pelco.motion(1, m(1, 0, 0, 0x40))],
  ])('refuses %s', (_name, build) => {
    expect(build).toThrow(RangeError);
  });

  it('checksum is the sum of bytes 2–6 modulo 256', () => {
    expect(pelco.checksum(0x01, 0x00, 0x04, 0x3f, 0x00)).toBe(0x44);
    expect(pelco.checksum(0xff, 0xff, 0xff, 0xff, 0xff)).toBe((0xff * 5) % 256);
  });
});

describe('Pelco-D receiver side (the emulator uses it)', () => {
  it.each([
    ['FF 01 00 04 3F 00 44', { type: 'motion', address: 1, pan: -1, tilt: 0, zoom: 0, panSpeed: 0x3f, tiltSpeed: 0 }],
    [
      'FF 01 00 12 20 20 53',
      { type: 'motion', address: 1, pan: 1, tilt: -1, zoom: 0, panSpeed: 0x20, tiltSpeed: 0x20 },
    ],
    ['FF 01 00 07 00 01 09', { type: 'preset', address: 1, action: 'call', id: 1 }],
    ['FF 01 00 03 00 05 09', { type: 'preset', address: 1, action: 'set', id: 5 }],
    ['FF 02 00 2B 00 01 2E', { type: 'auto-focus', address: 2, auto: false }],
  ])('decodes %s', (bytes, decoded) => {
    const framer = new pelco.PelcoFramer();
    const [out] = framer.push(h(bytes));
    expect(out?.type).toBe('frame');
    expect(pelco.decodeFrame((out as { frame: pelco.PelcoFrame }).frame)).toEqual(decoded);
  });

  it('resynchronises after noise and a bad checksum, across chunk boundaries', () => {
    const framer = new pelco.PelcoFramer();
    const outputs = [
      ...framer.push(h('12 34 FF 01 00 04')),
      ...framer.push(h('3F 00 44 FF 01 00 07 00 01 0A')),
      ...framer.push(h('FF 01 00 00 00 00 01')),
    ];
    expect(outputs.map((o) => `${o.type}:${o.bytes.toString('hex')}`)).toEqual([
      'garbage:1234',
      'frame:ff0100043f0044',
      'garbage:ff0100070001' + '0a',
      'frame:ff010000000001',
    ]);
  });
});
