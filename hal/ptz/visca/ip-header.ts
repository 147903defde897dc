/**
 * VISCA over IP (Sony, UDP port 52381): every datagram is an 8-byte header — payload type (2),
 * payload length (2), sequence number (4), all big-endian — then a 1–16 byte payload. Pure code.
 */

export const VISCA_IP_PORT = 52381;
export const HEADER_LENGTH = 8;

export const PayloadType = {
  command: 0x0100,
  inquiry: 0x0110,
  reply: 0x0111,
  deviceSetting: 0x0120,
  control: 0x0200,
  controlReply: 0x0201,
} as const;
export type PayloadTypeName = keyof typeof PayloadType;

/** Control payloads: RESET sets the camera's expected sequence number back to 0. */
export const CONTROL_RESET = Buffer.from([0x01]);
/** Control reply to RESET. */
export const CONTROL_ACK = 0x01;
/** Control ERROR payload 0F yy: 01 sequence number abnormal, 02 message type abnormal. */
export const CONTROL_ERROR = 0x0f;

export const SEQUENCE_MAX = 0xffffffff;

export interface IpMessage {
  payloadType: number;
  sequence: number;
  payload: Buffer;
}

export function encodeIpMessage(payloadType: number, sequence: number, payload: Buffer): Buffer {
  if (payload.length < 1 || payload.length > 16)
    throw new RangeError(`VISCA over IP payload must be 1–16 bytes, got ${payload.length}`);
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt16BE(payloadType, 0);
  header.writeUInt16BE(payload.length, 2);
  header.writeUInt32BE(sequence >>> 0, 4);
  return Buffer.concat([header, payload]);
}

/** Decodes one datagram; anything malformed (short, length mismatch) is `undefined` and is dropped. */
export function decodeIpMessage(datagram: Buffer): IpMessage | undefined {
  if (datagram.length < HEADER_LENGTH + 1) return undefined;
  const length = datagram.readUInt16BE(2);
  if (length < 1 || length > 16 || datagram.length !== HEADER_LENGTH + length) return undefined;
  return {
    payloadType: datagram.readUInt16BE(0),
    sequence: datagram.readUInt32BE(4),
    payload: datagram.subarray(HEADER_LENGTH),
  };
}

/** Next sequence number: wraps to 0 after the maximum, as the protocol says. */
export function nextSequence(sequence: number): number {
  return sequence >= SEQUENCE_MAX ? 0 : sequence + 1;
}
