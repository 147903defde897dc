/**
 * VISCA (Sony) serial protocol: pure encoders and the reply decoder. No I/O.
 *
 * Byte layouts follow the Sony VISCA command lists (EVI/SRG/FCB manuals): a packet is a header
 * byte, 1–14 message bytes and the terminator 0xFF. Controller → camera header 0x8x (x = camera
 * address 1–7, 8 = broadcast); camera → controller header y0 with y = address + 8.
 */

export const TERMINATOR = 0xff;
export const BROADCAST_HEADER = 0x88;
/** Longest packet the protocol allows, terminator included. */
export const MAX_PACKET_LENGTH = 16;

export const PAN_SPEED_MAX = 0x18;
export const TILT_SPEED_MAX = 0x14;
export const ZOOM_SPEED_MAX = 0x07;
export const PRESET_SLOT_MAX = 0x7f;

/** How the session must wait for the answer to a packet. */
export type ReplyShape =
  /** ACK (socket z) then Completion on the same socket. */
  | 'command'
  /** One Completion carrying data on socket 0, no ACK. */
  | 'inquiry'
  /** IF_Clear: a bare Completion on socket 0 (or the broadcast echo 88 01 00 01 FF). */
  | 'clear'
  /** AddressSet: 88 30 0w FF where w is the next free address. */
  | 'address-set';

/** One packet to send, with what it is called in logs and how to wait for its answer. */
export interface ViscaRequest {
  name: string;
  bytes: Buffer;
  reply: ReplyShape;
  /**
   * The camera sends Completion only once the head stops (preset recall, absolute move, home):
   * the wait after ACK may be longer than the ACK timeout.
   */
  slow?: boolean;
}

export type PanDirection = 'left' | 'right' | 'stop';
export type TiltDirection = 'up' | 'down' | 'stop';

const PAN_CODE: Record<PanDirection, number> = { left: 0x01, right: 0x02, stop: 0x03 };
const TILT_CODE: Record<TiltDirection, number> = { up: 0x01, down: 0x02, stop: 0x03 };

function header(address: number): number {
  if (!Number.isInteger(address) || address < 1 || address > 7)
    throw new RangeError(`VISCA camera address must be 1–7, got ${address}`);
  return 0x80 | address;
}

function checkRange(what: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new RangeError(`${what} must be an integer ${min}–${max}, got ${value}`);
  return value;
}

/** A 16-bit value as four bytes carrying one nibble each (0p 0q 0r 0s), two's complement for negatives. */
export function toNibbles(value: number): number[] {
  const word = value & 0xffff;
  return [(word >> 12) & 0x0f, (word >> 8) & 0x0f, (word >> 4) & 0x0f, word & 0x0f];
}

export function fromNibbles(bytes: ArrayLike<number>, offset: number, signed: boolean): number {
  let word = 0;
  for (let i = 0; i < 4; i++) word = (word << 4) | ((bytes[offset + i] ?? 0) & 0x0f);
  return signed && word & 0x8000 ? word - 0x10000 : word;
}

function request(name: string, reply: ReplyShape, bytes: number[], slow = false): ViscaRequest {
  return { name, reply, bytes: Buffer.from([...bytes, TERMINATOR]), ...(slow ? { slow } : {}) };
}

/** AddressSet (broadcast): the first camera on the chain takes address 1 and passes 2 on. */
export function addressSet(): ViscaRequest {
  return request('AddressSet', 'address-set', [BROADCAST_HEADER, 0x30, 0x01]);
}

/** IF_Clear: empties the camera's command buffers, cancelling whatever it was executing. */
export function ifClear(address: number): ViscaRequest {
  return request('IF_Clear', 'clear', [header(address), 0x01, 0x00, 0x01]);
}

export function ifClearBroadcast(): ViscaRequest {
  return request('IF_Clear(broadcast)', 'clear', [BROADCAST_HEADER, 0x01, 0x00, 0x01]);
}

export function panTiltDrive(
  address: number,
  pan: PanDirection,
  tilt: TiltDirection,
  panSpeed: number,
  tiltSpeed: number,
): ViscaRequest {
  checkRange('pan speed', panSpeed, 1, PAN_SPEED_MAX);
  checkRange('tilt speed', tiltSpeed, 1, TILT_SPEED_MAX);
  const name = pan === 'stop' && tilt === 'stop' ? 'Pan-tiltDrive Stop' : `Pan-tiltDrive ${pan}/${tilt}`;
  return request(name, 'command', [
    header(address),
    0x01,
    0x06,
    0x01,
    panSpeed,
    tiltSpeed,
    PAN_CODE[pan],
    TILT_CODE[tilt],
  ]);
}

/** Stop keeps the speed bytes (they are ignored); mid-range values are what most controllers send. */
export function panTiltStop(address: number): ViscaRequest {
  return panTiltDrive(address, 'stop', 'stop', 0x01, 0x01);
}

export function panTiltHome(address: number): ViscaRequest {
  return request('Pan-tiltDrive Home', 'command', [header(address), 0x01, 0x06, 0x04], true);
}

export function panTiltAbsolute(
  address: number,
  pan: number,
  tilt: number,
  panSpeed: number,
  tiltSpeed: number,
): ViscaRequest {
  checkRange('pan speed', panSpeed, 1, PAN_SPEED_MAX);
  checkRange('tilt speed', tiltSpeed, 1, TILT_SPEED_MAX);
  checkRange('pan position', pan, -0x8000, 0x7fff);
  checkRange('tilt position', tilt, -0x8000, 0x7fff);
  return request(
    'Pan-tiltDrive AbsolutePosition',
    'command',
    [header(address), 0x01, 0x06, 0x02, panSpeed, tiltSpeed, ...toNibbles(pan), ...toNibbles(tilt)],
    true,
  );
}

export type ZoomAction = { kind: 'stop' } | { kind: 'tele' | 'wide'; speed?: number };

/** CAM_Zoom: stop 00, tele standard 02 / variable 2p, wide standard 03 / variable 3p (p 0–7). */
export function zoom(address: number, action: ZoomAction): ViscaRequest {
  let code: number;
  if (action.kind === 'stop') code = 0x00;
  else {
    const base = action.kind === 'tele' ? 0x20 : 0x30;
    code = action.speed === undefined ? base >> 4 : base | checkRange('zoom speed', action.speed, 0, ZOOM_SPEED_MAX);
  }
  return request(`CAM_Zoom ${action.kind}`, 'command', [header(address), 0x01, 0x04, 0x07, code]);
}

/** CAM_Zoom Direct: 0 (wide end) … 0x4000 (optical tele end) on most models. */
export function zoomDirect(address: number, position: number): ViscaRequest {
  checkRange('zoom position', position, 0, 0xffff);
  return request('CAM_Zoom Direct', 'command', [header(address), 0x01, 0x04, 0x47, ...toNibbles(position)], true);
}

export function focusMode(address: number, mode: 'auto' | 'manual'): ViscaRequest {
  return request(`CAM_Focus ${mode}`, 'command', [header(address), 0x01, 0x04, 0x38, mode === 'auto' ? 0x02 : 0x03]);
}

export type PresetAction = 'reset' | 'set' | 'recall';
const PRESET_CODE: Record<PresetAction, number> = { reset: 0x00, set: 0x01, recall: 0x02 };

/** CAM_Memory: 8x 01 04 3F 0p pp FF; a recall completes when the head arrives. */
export function preset(address: number, action: PresetAction, slot: number): ViscaRequest {
  checkRange('preset slot', slot, 0, PRESET_SLOT_MAX);
  return request(
    `CAM_Memory ${action} ${slot}`,
    'command',
    [header(address), 0x01, 0x04, 0x3f, PRESET_CODE[action], slot],
    action === 'recall',
  );
}

export function power(address: number, on: boolean): ViscaRequest {
  return request(
    `CAM_Power ${on ? 'on' : 'off'}`,
    'command',
    [header(address), 0x01, 0x04, 0x00, on ? 0x02 : 0x03],
    true,
  );
}

/** Pan-tiltPosInq: reply y0 50 0w 0w 0w 0w 0z 0z 0z 0z FF. */
export function panTiltPositionInquiry(address: number): ViscaRequest {
  return request('Pan-tiltPosInq', 'inquiry', [header(address), 0x09, 0x06, 0x12]);
}

/** CAM_ZoomPosInq: reply y0 50 0p 0q 0r 0s FF. */
export function zoomPositionInquiry(address: number): ViscaRequest {
  return request('CAM_ZoomPosInq', 'inquiry', [header(address), 0x09, 0x04, 0x47]);
}

/** CAM_PowerInq: reply y0 50 02 (on) / 03 (standby) FF. */
export function powerInquiry(address: number): ViscaRequest {
  return request('CAM_PowerInq', 'inquiry', [header(address), 0x09, 0x04, 0x00]);
}

// ---- replies ---------------------------------------------------------------------------------

export type ViscaErrorReason =
  | 'message-length'
  | 'syntax'
  | 'buffer-full'
  | 'cancelled'
  | 'no-socket'
  | 'not-executable'
  | 'unknown';

export const ERROR_REASONS: Record<number, ViscaErrorReason> = {
  1: 'message-length',
  2: 'syntax',
  3: 'buffer-full',
  4: 'cancelled',
  5: 'no-socket',
  65: 'not-executable',
};

export type ViscaReply =
  | { type: 'ack'; address: number; socket: number }
  /** `data` is empty for a command's Completion and holds the answer of an inquiry. */
  | { type: 'completion'; address: number; socket: number; data: Buffer }
  | { type: 'error'; address: number; socket: number; code: number; reason: ViscaErrorReason }
  | { type: 'address-set'; nextAddress: number }
  | { type: 'clear-broadcast' }
  | { type: 'network-change'; address: number }
  | { type: 'unknown'; bytes: Buffer };

/** Decodes one whole packet (terminator included), as the framer delivers it. */
export function decodeReply(packet: Buffer): ViscaReply {
  const unknown: ViscaReply = { type: 'unknown', bytes: packet };
  const head = packet[0];
  if (head === undefined || packet.length < 3 || packet[packet.length - 1] !== TERMINATOR) return unknown;
  if (head === BROADCAST_HEADER) {
    if (packet.length === 4 && packet[1] === 0x30) return { type: 'address-set', nextAddress: packet[2]! };
    if (packet.length === 5 && packet[1] === 0x01 && packet[2] === 0x00 && packet[3] === 0x01)
      return { type: 'clear-broadcast' };
    return unknown;
  }
  if ((head & 0x0f) !== 0 || head < 0x90) return unknown;
  const address = (head >> 4) - 8;
  const kind = packet[1]! & 0xf0;
  const socket = packet[1]! & 0x0f;
  if (kind === 0x40 && packet.length === 3) return { type: 'ack', address, socket };
  if (kind === 0x50) return { type: 'completion', address, socket, data: packet.subarray(2, packet.length - 1) };
  if (kind === 0x60 && packet.length === 4) {
    const code = packet[2]!;
    return { type: 'error', address, socket, code, reason: ERROR_REASONS[code] ?? 'unknown' };
  }
  if (packet[1] === 0x38 && packet.length === 3) return { type: 'network-change', address };
  return unknown;
}

export function decodePanTiltPosition(data: Buffer): { pan: number; tilt: number } {
  if (data.length !== 8) throw new RangeError(`Pan-tiltPosInq reply must carry 8 bytes, got ${data.length}`);
  return { pan: fromNibbles(data, 0, true), tilt: fromNibbles(data, 4, true) };
}

export function decodeZoomPosition(data: Buffer): number {
  if (data.length !== 4) throw new RangeError(`CAM_ZoomPosInq reply must carry 4 bytes, got ${data.length}`);
  return fromNibbles(data, 0, false);
}

export function decodePower(data: Buffer): boolean {
  if (data.length !== 1 || (data[0] !== 0x02 && data[0] !== 0x03))
    throw new RangeError('CAM_PowerInq reply must be 02 or 03');
  return data[0] === 0x02;
}

/** Normalised 0…1 speed → 1…max protocol speed (0 or missing means a gentle default). */
export function scaleSpeed(speed: number | undefined, max: number): number {
  const s = speed === undefined || !Number.isFinite(speed) ? 0.5 : Math.min(1, Math.max(0, speed));
  return Math.max(1, Math.round(s * max));
}

export function hex(bytes: ArrayLike<number>): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}
