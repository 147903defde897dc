import { BROADCAST_HEADER, TERMINATOR, fromNibbles, toNibbles } from './protocol.js';

/** Limits of a typical 1080p PTZ head (±170° pan, -30…+90° tilt), in VISCA units. */
export const PAN_LIMIT = 0x0990;
export const TILT_LIMIT_UP = 0x0510;
export const TILT_LIMIT_DOWN = -0x01b0;
export const ZOOM_TELE_END = 0x4000;
/** How far one drive command moves the emulated head per unit of speed (it does not move with time). */
const DRIVE_STEP = 0x10;

export interface CameraState {
  address: number;
  power: boolean;
  pan: number;
  tilt: number;
  zoom: number;
  focus: 'auto' | 'manual';
  presets: Map<number, { pan: number; tilt: number; zoom: number }>;
}

/** One-shot misbehaviour for the next addressed packet, for fault-injection tests. */
export type CameraFault =
  /** Swallow the packet: no ACK, no Completion (a camera that froze or a cut cable). */
  | { kind: 'silent' }
  /** Answer with this error code at once (before any ACK): 02 syntax, 03 buffer full… */
  | { kind: 'error'; code: number }
  /** ACK, then this error on the command's socket (04 cancelled, 41 not executable). */
  | { kind: 'error-after-ack'; code: number }
  /** ACK but never Completion (a move that never finishes). */
  | { kind: 'ack-only' };

const SOCKET = 1;

/**
 * The behaviour of a VISCA camera, with no I/O: takes one packet, changes state, returns the reply
 * packets a Sony-compatible camera would send. The pty and UDP emulators wrap this.
 */
export class ViscaCameraModel {
  readonly state: CameraState = {
    address: 1,
    power: true,
    pan: 0,
    tilt: 0,
    zoom: 0,
    focus: 'auto',
    presets: new Map(),
  };
  readonly faults: CameraFault[] = [];
  /** Answers nothing at all while set (powered down at the mains, cable cut). */
  silent = false;

  handle(packet: Buffer): Buffer[] {
    const head = packet[0];
    if (this.silent || head === undefined || packet[packet.length - 1] !== TERMINATOR) return [];
    if (head === BROADCAST_HEADER) return this.#broadcast(packet);
    if (head !== (0x80 | this.state.address)) return [];
    const body = [...packet.subarray(1, packet.length - 1)];
    // IF_Clear always works (faults are for the commands it recovers from).
    if (body.length === 3 && body[0] === 0x01 && body[1] === 0x00 && body[2] === 0x01) return [this.#reply(0x50)];
    const fault = this.faults.shift();
    if (fault?.kind === 'silent') return [];
    if (fault?.kind === 'error') return [this.#error(0, fault.code)];
    if (body[0] === 0x09) return this.#inquiry(body);
    if (body[0] !== 0x01) return [this.#error(0, 0x02)];
    const run = this.#command(body);
    if (!run) return [this.#error(0, 0x02)];
    if (fault?.kind === 'error-after-ack') return [this.#reply(0x40 | SOCKET), this.#error(SOCKET, fault.code)];
    if (!this.state.power && !isPowerCommand(body)) return [this.#reply(0x40 | SOCKET), this.#error(SOCKET, 0x41)];
    if (fault?.kind === 'ack-only') return [this.#reply(0x40 | SOCKET)];
    run();
    return [this.#reply(0x40 | SOCKET), this.#reply(0x50 | SOCKET)];
  }

  #broadcast(packet: Buffer): Buffer[] {
    if (packet.length === 4 && packet[1] === 0x30) {
      // We are the only camera on the chain: we take the address offered and pass on the next one.
      this.state.address = packet[2]!;
      return [Buffer.from([BROADCAST_HEADER, 0x30, packet[2]! + 1, TERMINATOR])];
    }
    if (packet.length === 5 && packet[1] === 0x01 && packet[2] === 0x00 && packet[3] === 0x01)
      return [Buffer.from(packet)];
    return [];
  }

  /** Returns the state change to apply, or undefined when the packet is not a command we know. */
  #command(b: number[]): (() => void) | undefined {
    const s = this.state;
    const [, category, id, ...args] = b;
    if (category === 0x06 && id === 0x01 && args.length === 4) {
      const [vv, ww, p, t] = args as [number, number, number, number];
      if (vv < 1 || vv > 0x18 || ww < 1 || ww > 0x14 || p < 1 || p > 3 || t < 1 || t > 3) return undefined;
      return () => {
        const panDir = p === 1 ? -1 : p === 2 ? 1 : 0;
        const tiltDir = t === 1 ? 1 : t === 2 ? -1 : 0;
        s.pan = clamp(s.pan + panDir * vv * DRIVE_STEP, -PAN_LIMIT, PAN_LIMIT);
        s.tilt = clamp(s.tilt + tiltDir * ww * DRIVE_STEP, TILT_LIMIT_DOWN, TILT_LIMIT_UP);
      };
    }
    if (category === 0x06 && id === 0x02 && args.length === 10 && allNibbles(args.slice(2))) {
      return () => {
        s.pan = clamp(fromNibbles(args, 2, true), -PAN_LIMIT, PAN_LIMIT);
        s.tilt = clamp(fromNibbles(args, 6, true), TILT_LIMIT_DOWN, TILT_LIMIT_UP);
      };
    }
    if (category === 0x06 && id === 0x04 && args.length === 0) return () => Object.assign(s, { pan: 0, tilt: 0 });
    if (category === 0x04 && id === 0x07 && args.length === 1) {
      const code = args[0]!;
      const step = (speed: number) => (speed + 1) * 0x100;
      if (code === 0x00) return () => undefined;
      if (code === 0x02 || code === 0x03)
        return () => (s.zoom = clamp(s.zoom + (code === 0x02 ? 1 : -1) * step(3), 0, ZOOM_TELE_END));
      if ((code & 0xf0) === 0x20 && (code & 0x0f) <= 7)
        return () => (s.zoom = clamp(s.zoom + step(code & 0x0f), 0, ZOOM_TELE_END));
      if ((code & 0xf0) === 0x30 && (code & 0x0f) <= 7)
        return () => (s.zoom = clamp(s.zoom - step(code & 0x0f), 0, ZOOM_TELE_END));
      return undefined;
    }
    if (category === 0x04 && id === 0x47 && args.length === 4 && allNibbles(args))
      return () => (s.zoom = clamp(fromNibbles(args, 0, false), 0, ZOOM_TELE_END));
    if (category === 0x04 && id === 0x38 && args.length === 1 && (args[0] === 0x02 || args[0] === 0x03))
      return () => (s.focus = args[0] === 0x02 ? 'auto' : 'manual');
    if (category === 0x04 && id === 0x3f && args.length === 2 && args[0]! <= 0x02 && args[1]! <= 0x7f) {
      const [action, slot] = args as [number, number];
      if (action === 0x00) return () => s.presets.delete(slot);
      if (action === 0x01) return () => s.presets.set(slot, { pan: s.pan, tilt: s.tilt, zoom: s.zoom });
      // Recalling an empty slot sends a Sony head to its home position.
      return () => Object.assign(s, s.presets.get(slot) ?? { pan: 0, tilt: 0, zoom: 0 });
    }
    if (category === 0x04 && id === 0x00 && args.length === 1 && (args[0] === 0x02 || args[0] === 0x03))
      return () => (s.power = args[0] === 0x02);
    return undefined;
  }

  #inquiry(b: number[]): Buffer[] {
    const s = this.state;
    const key = b.slice(1).join(',');
    if (key === '6,18') return [this.#reply(0x50, [...toNibbles(s.pan), ...toNibbles(s.tilt)])];
    if (key === '4,71') return [this.#reply(0x50, toNibbles(s.zoom))];
    if (key === '4,0') return [this.#reply(0x50, [s.power ? 0x02 : 0x03])];
    if (key === '4,56') return [this.#reply(0x50, [s.focus === 'auto' ? 0x02 : 0x03])];
    return [this.#error(0, 0x02)];
  }

  #reply(second: number, data: number[] = []): Buffer {
    return Buffer.from([(this.state.address + 8) << 4, second, ...data, TERMINATOR]);
  }

  #error(socket: number, code: number): Buffer {
    return this.#reply(0x60 | socket, [code]);
  }
}

function isPowerCommand(b: number[]): boolean {
  return b[1] === 0x04 && b[2] === 0x00;
}

function allNibbles(bytes: number[]): boolean {
  return bytes.every((b) => b <= 0x0f);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
