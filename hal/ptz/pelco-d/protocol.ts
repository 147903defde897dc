/**
 * Pelco-D: 7-byte frames on RS-485, no replies for motion and preset commands. Pure code.
 *
 *   FF | address | command 1 | command 2 | data 1 | data 2 | checksum
 *
 * checksum = (address + command 1 + command 2 + data 1 + data 2) mod 256 (bytes 2–6; the sync
 * byte is not summed). Command 2 bits: 0x02 right, 0x04 left, 0x08 up, 0x10 down, 0x20 zoom tele,
 * 0x40 zoom wide; data 1 is the pan speed 00–3F, data 2 the tilt speed 00–3F. With bit 0 of
 * command 2 set, command 2 is an extended command: 03 set preset, 05 clear preset, 07 call preset
 * (preset number in data 2), 2B auto focus (data 2: 00 auto, 01 off).
 */

export const SYNC = 0xff;
export const FRAME_LENGTH = 7;
export const SPEED_MAX = 0x3f;

const RIGHT = 0x02;
const LEFT = 0x04;
const UP = 0x08;
const DOWN = 0x10;
const ZOOM_TELE = 0x20;
const ZOOM_WIDE = 0x40;

export const Extended = { setPreset: 0x03, clearPreset: 0x05, callPreset: 0x07, autoFocus: 0x2b } as const;

export function checksum(address: number, cmd1: number, cmd2: number, data1: number, data2: number): number {
  return (address + cmd1 + cmd2 + data1 + data2) % 256;
}

function frame(address: number, cmd1: number, cmd2: number, data1: number, data2: number): Buffer {
  if (!Number.isInteger(address) || address < 1 || address > 255)
    throw new RangeError(`Pelco-D address must be 1–255, got ${address}`);
  return Buffer.from([SYNC, address, cmd1, cmd2, data1, data2, checksum(address, cmd1, cmd2, data1, data2)]);
}

function speed(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > SPEED_MAX)
    throw new RangeError(`Pelco-D speed must be 0–${SPEED_MAX}, got ${value}`);
  return value;
}

export interface PelcoMotion {
  /** -1 left, 1 right. */
  pan: -1 | 0 | 1;
  /** -1 down, 1 up. */
  tilt: -1 | 0 | 1;
  /** -1 wide, 1 tele. */
  zoom: -1 | 0 | 1;
  panSpeed: number;
  tiltSpeed: number;
}

/** One frame carries pan, tilt and zoom together; all zero is the stop frame. */
export function motion(address: number, m: PelcoMotion): Buffer {
  let cmd2 = 0;
  if (m.pan === 1) cmd2 |= RIGHT;
  if (m.pan === -1) cmd2 |= LEFT;
  if (m.tilt === 1) cmd2 |= UP;
  if (m.tilt === -1) cmd2 |= DOWN;
  if (m.zoom === 1) cmd2 |= ZOOM_TELE;
  if (m.zoom === -1) cmd2 |= ZOOM_WIDE;
  return frame(address, 0x00, cmd2, m.pan === 0 ? 0 : speed(m.panSpeed), m.tilt === 0 ? 0 : speed(m.tiltSpeed));
}

export function stop(address: number): Buffer {
  return frame(address, 0x00, 0x00, 0x00, 0x00);
}

export type PresetAction = 'set' | 'clear' | 'call';
const PRESET_CODE: Record<PresetAction, number> = {
  set: Extended.setPreset,
  clear: Extended.clearPreset,
  call: Extended.callPreset,
};

/** Presets 1–255 (0 is not a preset on Pelco-D domes). */
export function preset(address: number, action: PresetAction, id: number): Buffer {
  if (!Number.isInteger(id) || id < 1 || id > 255) throw new RangeError(`Pelco-D preset must be 1–255, got ${id}`);
  return frame(address, 0x00, PRESET_CODE[action], 0x00, id);
}

export function autoFocus(address: number, auto: boolean): Buffer {
  return frame(address, 0x00, Extended.autoFocus, 0x00, auto ? 0x00 : 0x01);
}

export interface PelcoFrame {
  address: number;
  cmd1: number;
  cmd2: number;
  data1: number;
  data2: number;
}

export type PelcoDecoded =
  | {
      type: 'motion';
      address: number;
      pan: -1 | 0 | 1;
      tilt: -1 | 0 | 1;
      zoom: -1 | 0 | 1;
      panSpeed: number;
      tiltSpeed: number;
    }
  | { type: 'preset'; address: number; action: PresetAction; id: number }
  | { type: 'auto-focus'; address: number; auto: boolean }
  | { type: 'other'; frame: PelcoFrame };

/** What a Pelco-D receiver makes of one checksum-valid frame (used by the emulator). */
export function decodeFrame(f: PelcoFrame): PelcoDecoded {
  const { address, cmd1, cmd2, data1, data2 } = f;
  if (cmd2 & 0x01) {
    if (cmd1 === 0 && data1 === 0 && cmd2 === Extended.setPreset)
      return { type: 'preset', address, action: 'set', id: data2 };
    if (cmd1 === 0 && data1 === 0 && cmd2 === Extended.clearPreset)
      return { type: 'preset', address, action: 'clear', id: data2 };
    if (cmd1 === 0 && data1 === 0 && cmd2 === Extended.callPreset)
      return { type: 'preset', address, action: 'call', id: data2 };
    if (cmd1 === 0 && data1 === 0 && cmd2 === Extended.autoFocus && data2 <= 1)
      return { type: 'auto-focus', address, auto: data2 === 0 };
    return { type: 'other', frame: f };
  }
  if (cmd1 !== 0 || cmd2 & 0x80) return { type: 'other', frame: f };
  const pan = cmd2 & RIGHT ? 1 : cmd2 & LEFT ? -1 : 0;
  const tilt = cmd2 & UP ? 1 : cmd2 & DOWN ? -1 : 0;
  const zoom = cmd2 & ZOOM_TELE ? 1 : cmd2 & ZOOM_WIDE ? -1 : 0;
  return { type: 'motion', address, pan, tilt, zoom, panSpeed: data1, tiltSpeed: data2 };
}

export type PelcoFramerOutput =
  | { type: 'frame'; frame: PelcoFrame; bytes: Buffer }
  | { type: 'garbage'; bytes: Buffer };

/**
 * Finds frames in a byte stream: a sync byte, six more bytes, and a checksum that matches. On a bad
 * checksum the sync byte is dropped and the search resumes at the next 0xFF, so one corrupted byte
 * costs one frame, not the rest of the stream.
 */
export class PelcoFramer {
  #buffer = Buffer.alloc(0);

  push(chunk: Uint8Array): PelcoFramerOutput[] {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const out: PelcoFramerOutput[] = [];
    let garbage: number[] = [];
    const flush = () => {
      if (garbage.length > 0) out.push({ type: 'garbage', bytes: Buffer.from(garbage) });
      garbage = [];
    };
    while (this.#buffer.length > 0) {
      if (this.#buffer[0] !== SYNC) {
        garbage.push(this.#buffer[0]!);
        this.#buffer = this.#buffer.subarray(1);
        continue;
      }
      if (this.#buffer.length < FRAME_LENGTH) break;
      const [, address, cmd1, cmd2, data1, data2, sum] = this.#buffer as unknown as number[];
      if (checksum(address!, cmd1!, cmd2!, data1!, data2!) === sum && address !== 0) {
        flush();
        out.push({
          type: 'frame',
          frame: { address: address!, cmd1: cmd1!, cmd2: cmd2!, data1: data1!, data2: data2! },
          bytes: Buffer.from(this.#buffer.subarray(0, FRAME_LENGTH)),
        });
        this.#buffer = this.#buffer.subarray(FRAME_LENGTH);
      } else {
        garbage.push(SYNC);
        this.#buffer = this.#buffer.subarray(1);
      }
    }
    flush();
    this.#buffer = Buffer.from(this.#buffer);
    return out;
  }

  reset(): void {
    this.#buffer = Buffer.alloc(0);
  }
}
