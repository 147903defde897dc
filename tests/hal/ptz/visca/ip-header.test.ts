import { describe, expect, it } from 'vitest';
import {
  CONTROL_RESET,
  PayloadType,
  SEQUENCE_MAX,
  decodeIpMessage,
  encodeIpMessage,
  nextSequence,
} from '../../../../hal/ptz/visca/ip-header.js';

const h = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const hex = (b: Buffer) =>
  b
    .toString('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1 ');

describe('VISCA over IP payload header (Sony SRG/BRC command lists)', () => {
  it.each([
    ['VISCA command, seq 0', PayloadType.command, 0, '81 01 06 04 FF', '01 00 00 05 00 00 00 00 81 01 06 04 FF'],
    ['VISCA inquiry, seq 1', PayloadType.inquiry, 1, '81 09 06 12 FF', '01 10 00 05 00 00 00 01 81 09 06 12 FF'],
    ['control RESET, seq 0x1234', PayloadType.control, 0x1234, '01', '02 00 00 01 00 00 12 34 01'],
    ['VISCA reply, seq max', PayloadType.reply, 0xffffffff, '90 41 FF', '01 11 00 03 FF FF FF FF 90 41 FF'],
  ])('%s', (_name, type, sequence, payload, datagram) => {
    expect(hex(encodeIpMessage(type, sequence, h(payload)))).toBe(datagram);
    expect(decodeIpMessage(h(datagram))).toEqual({ payloadType: type, sequence, payload: h(payload) });
  });

  it('RESET is control payload 01', () => {
    expect(hex(CONTROL_RESET)).toBe('01');
  });

  it.each([
    ['shorter than a header', '01 11 00 03 00 00'],
    ['length field larger than the payload', '01 11 00 05 00 00 00 01 90 41 FF'],
    ['length field zero', '01 11 00 00 00 00 00 01'],
    ['length field beyond 16', `01 11 00 11 00 00 00 01${' 00'.repeat(17)}`],
  ])('drops a datagram %s', (_name, datagram) => {
    expect(decodeIpMessage(h(datagram))).toBeUndefined();
  });

  it('refuses empty and oversized payloads', () => {
    expect(() => encodeIpMessage(PayloadType.command, 0, Buffer.alloc(0))).toThrow(RangeError);
    expect(() => encodeIpMessage(PayloadType.command, 0, Buffer.alloc(17))).toThrow(RangeError);
  });

  it('wraps the sequence number to 0 after the maximum', () => {
    expect(nextSequence(0)).toBe(1);
    expect(nextSequence(SEQUENCE_MAX - 1)).toBe(SEQUENCE_MAX);
    expect(nextSequence(SEQUENCE_MAX)).toBe(0);
  });
});
