import type { SerialPort } from 'serialport';
import { openPtyPair, type PtyPair } from './pty-pair.js';
import { closeSerialLine, openSerialLine, writeAll } from './serial-line.js';

/**
 * The device end of an emulated serial cable: a socat pty pair whose driver end sits behind a
 * stable link (as /dev/serial/by-id would), the emulator holding the other end. `unplug()` kills
 * socat so the driver's port dies as when a USB-serial adapter is pulled; `plugIn()` brings a fresh
 * pair up behind the same path. Shared by the VISCA, Pelco-D and Megatec emulators.
 */
export class EmulatedSerialLine {
  #pty: PtyPair | undefined;
  #port: SerialPort | undefined;

  constructor(
    private readonly links: { driverSide: string; deviceSide: string },
    private readonly baudRate: number,
    private readonly onData: (chunk: Buffer) => void,
  ) {}

  get devicePath(): string {
    return this.links.driverSide;
  }

  get pluggedIn(): boolean {
    return this.#port?.isOpen ?? false;
  }

  async plugIn(): Promise<void> {
    if (this.#pty) return;
    this.#pty = await openPtyPair({ links: [this.links.driverSide, this.links.deviceSide] });
    this.#port = await openSerialLine(this.links.deviceSide, this.baudRate, {
      data: this.onData,
      closed: () => undefined,
      error: () => undefined,
    });
  }

  async unplug(): Promise<void> {
    const port = this.#port;
    const pty = this.#pty;
    this.#port = undefined;
    this.#pty = undefined;
    await closeSerialLine(port);
    await pty?.close();
  }

  /** Puts bytes on the line; a pulled cable carries nothing, so unplugged writes go nowhere. */
  async write(bytes: Buffer): Promise<void> {
    if (this.#port?.isOpen) await writeAll(this.#port, bytes);
  }
}
