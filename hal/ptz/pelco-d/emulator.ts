import { EmulatedSerialLine } from '../../core/serial/emulated-line.js';
import { PelcoFramer, decodeFrame, type PelcoDecoded } from './protocol.js';

/** How far the emulated dome moves per motion frame per unit of speed (it does not move with time). */
const STEP = 4;

export interface PelcoDomeState {
  pan: number;
  tilt: number;
  zoom: number;
  autoFocus: boolean;
  presets: Map<number, { pan: number; tilt: number; zoom: number }>;
}

/**
 * A Pelco-D dome on a pty pair (socat). It never answers — like the real thing — but it decodes
 * every frame, keeps a position and presets, and counts frames it had to throw away (bad checksum,
 * noise), so tests can see exactly what reached the camera.
 */
export class PelcoDPtyEmulator {
  readonly state: PelcoDomeState = { pan: 0, tilt: 0, zoom: 0, autoFocus: true, presets: new Map() };
  readonly heard: { bytes: Buffer; decoded: PelcoDecoded }[] = [];
  readonly rejected: Buffer[] = [];
  readonly #line: EmulatedSerialLine;
  readonly #framer = new PelcoFramer();

  constructor(
    links: { driverSide: string; cameraSide: string },
    readonly address = 1,
  ) {
    this.#line = new EmulatedSerialLine({ driverSide: links.driverSide, deviceSide: links.cameraSide }, 9600, (chunk) =>
      this.#onData(chunk),
    );
  }

  get devicePath(): string {
    return this.#line.devicePath;
  }

  async plugIn(): Promise<void> {
    this.#framer.reset();
    await this.#line.plugIn();
  }

  unplug(): Promise<void> {
    return this.#line.unplug();
  }

  #onData(chunk: Buffer): void {
    for (const output of this.#framer.push(chunk)) {
      if (output.type === 'garbage') {
        this.rejected.push(output.bytes);
        continue;
      }
      const decoded = decodeFrame(output.frame);
      this.heard.push({ bytes: output.bytes, decoded });
      if (output.frame.address === this.address) this.#apply(decoded);
    }
  }

  #apply(d: PelcoDecoded): void {
    const s = this.state;
    if (d.type === 'motion') {
      s.pan += d.pan * d.panSpeed * STEP;
      s.tilt += d.tilt * d.tiltSpeed * STEP;
      s.zoom = Math.max(0, s.zoom + d.zoom * 0x100);
    } else if (d.type === 'preset') {
      if (d.action === 'set') s.presets.set(d.id, { pan: s.pan, tilt: s.tilt, zoom: s.zoom });
      else if (d.action === 'clear') s.presets.delete(d.id);
      else Object.assign(s, s.presets.get(d.id) ?? {});
    } else if (d.type === 'auto-focus') {
      s.autoFocus = d.auto;
    }
  }
}
