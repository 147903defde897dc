import { EmulatedSerialLine } from '../../core/serial/emulated-line.js';
import { formatQ1, formatRating, type MegatecRating, type MegatecStatus } from './codec.js';
import { CrLineReader } from './line-reader.js';

/**
 * A Megatec/Q1 UPS on one end of a socat pty pair; the driver opens the other end (through a stable
 * symlink, so a "re-plug" brings the same path back, like /dev/serial/by-id). It answers Q1 and F
 * from its state, and can misbehave on demand: stay silent, answer garbage, prefix line noise, or
 * vanish (socat killed) and come back.
 */
export type MegatecFault = 'none' | 'silent' | 'garbage' | 'noisy';

export const lineInteractiveOnMains: MegatecStatus = {
  inputVoltage: 229.5,
  inputFaultVoltage: 229.5,
  outputVoltage: 229.5,
  loadPercent: 30,
  frequencyHz: 50,
  batteryVoltage: 13.6,
  temperatureC: 25,
  bits: {
    utilityFail: false,
    batteryLow: false,
    bypassBoost: false,
    upsFailed: false,
    standbyType: true,
    testInProgress: false,
    shutdownActive: false,
    beeperOn: false,
  },
};

export const twelveVoltRating: MegatecRating = { voltage: 220, current: 3, batteryVoltage: 12, frequencyHz: 50 };

const lineNoise = Buffer.from([0x00, 0xff, 0x3f, 0x8a, 0x23, 0x28, 0x0d]);

export class MegatecEmulator {
  status: MegatecStatus = structuredClone(lineInteractiveOnMains);
  /** null: the unit does not answer F (common on clones). */
  rating: MegatecRating | null = twelveVoltRating;
  fault: MegatecFault = 'none';
  /** Every request line received, for assertions. */
  readonly requests: string[] = [];
  readonly #line: EmulatedSerialLine;
  readonly #reader = new CrLineReader();

  private constructor(links: [string, string]) {
    this.#line = new EmulatedSerialLine({ driverSide: links[0], deviceSide: links[1] }, 2400, (chunk) =>
      this.#onData(chunk),
    );
  }

  /** `devicePath` is where the driver connects; `links` are created in `dir`. */
  static async start(dir: string): Promise<MegatecEmulator> {
    const emulator = new MegatecEmulator([`${dir}/ttyUPS`, `${dir}/ttyUPS-emulator`]);
    await emulator.plug();
    return emulator;
  }

  get devicePath(): string {
    return this.#line.devicePath;
  }

  /** Changes the state the next Q1 reports. */
  set(change: Partial<Omit<MegatecStatus, 'bits'>> & { bits?: Partial<MegatecStatus['bits']> }): void {
    this.status = { ...this.status, ...change, bits: { ...this.status.bits, ...change.bits } };
  }

  async plug(): Promise<void> {
    this.#reader.reset();
    await this.#line.plugIn();
  }

  /** Both pty ends vanish, as when the USB-serial cable is pulled. */
  unplug(): Promise<void> {
    return this.#line.unplug();
  }

  async stop(): Promise<void> {
    await this.unplug();
  }

  #onData(chunk: Buffer): void {
    for (const line of this.#reader.push(chunk)) {
      this.requests.push(line);
      void this.#answer(line).catch(() => undefined);
    }
  }

  async #answer(request: string): Promise<void> {
    const reply =
      request === 'Q1' ? formatQ1(this.status) : request === 'F' && this.rating ? formatRating(this.rating) : undefined;
    if (reply === undefined || this.fault === 'silent') return;
    let bytes = Buffer.from(reply, 'latin1');
    if (this.fault === 'garbage') bytes = Buffer.concat([lineNoise, Buffer.from('(2#0.0 ?? 229.5\r', 'latin1')]);
    if (this.fault === 'noisy') bytes = Buffer.concat([lineNoise.subarray(0, 4), bytes]);
    await this.#line.write(bytes);
  }
}
