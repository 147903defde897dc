import type { SerialPort } from 'serialport';
import { Driver, type DriverContext } from '../../core/driver.js';
import { closeSerialLine, openSerialLine, writeAll } from '../../core/serial/serial-line.js';
import { PtzNotConnectedError, PtzUnsupportedError } from '../errors.js';
import type { Direction, FocusMode, PtzCapabilities, PtzDevice, PtzMove, PtzPosition } from '../types.js';
import * as pelco from './protocol.js';
import { describeError } from '../../core/describe-error.js';

export interface PelcoDOptions {
  port: string;
  baudRate: number;
  address: number;
}

/**
 * Pelco-D over RS-485. The protocol has no acknowledgement, so this driver can confirm only that
 * the serial line is open and that each frame was written out (drained) — never that a camera
 * received, accepted or executed it. `ok` therefore means "line open"; a dead or mis-addressed dome
 * looks the same as a working one. Position cannot be read back (no inquiry in the basic command
 * set), so presets live in the dome and absolute moves are unsupported.
 *
 * Each motion frame carries the whole motion state (pan, tilt and zoom bits together), so the driver
 * remembers what is moving and a zoom while panning keeps panning.
 */
export class PelcoDPtz extends Driver implements PtzDevice {
  readonly kind = 'ptz' as const;
  readonly driverName = 'pelco-d';
  readonly capabilities: PtzCapabilities = {
    presets: 'camera',
    position: false,
    absolute: false,
    focus: true,
    power: false,
  };
  #port: SerialPort | undefined;
  #motion: pelco.PelcoMotion = { pan: 0, tilt: 0, zoom: 0, panSpeed: 0, tiltSpeed: 0 };
  /** Frames are written one after another, never interleaved. */
  #writing: Promise<void> = Promise.resolve();

  constructor(
    context: DriverContext,
    private readonly options: PelcoDOptions,
  ) {
    super(context);
  }

  protected async open(): Promise<void> {
    const path = this.options.port;
    const port = await openSerialLine(path, this.options.baudRate, {
      // Pelco-D receivers do not talk; whatever comes back (another controller on the bus) is ignored.
      data: (chunk) =>
        this.logger.debug({ device: this.id, length: chunk.length }, 'unexpected bytes on the Pelco-D line ignored'),
      closed: () => {
        if (this.#port === port) this.connectionLost(`serial port ${path} closed`);
      },
      error: (error) => this.logger.warn({ device: this.id, err: error.message }, 'serial port error'),
    });
    this.#port = port;
    this.#motion = { pan: 0, tilt: 0, zoom: 0, panSpeed: 0, tiltSpeed: 0 };
    // A dome may still be moving from before a restart: the first frame on the line is a stop.
    await writeAll(port, pelco.stop(this.options.address));
  }

  protected async close(): Promise<void> {
    const port = this.#port;
    this.#port = undefined;
    await closeSerialLine(port);
  }

  async move(move: PtzMove): Promise<void> {
    const speed = scale(move.speed);
    this.#motion = { ...this.#motion, pan: move.pan, tilt: move.tilt, panSpeed: speed, tiltSpeed: speed };
    await this.#sendMotion();
  }

  async stopMove(): Promise<void> {
    this.#motion = { ...this.#motion, pan: 0, tilt: 0 };
    await this.#sendMotion();
  }

  async zoom(direction: Direction, _speed?: number): Promise<void> {
    this.#motion = { ...this.#motion, zoom: direction };
    await this.#sendMotion();
  }

  async home(): Promise<void> {
    throw new PtzUnsupportedError('Pelco-D has no home command; store a preset for it');
  }

  async recallPreset(slot: number): Promise<void> {
    await this.#send(pelco.preset(this.options.address, 'call', slot));
  }

  async storePreset(slot: number): Promise<void> {
    await this.#send(pelco.preset(this.options.address, 'set', slot));
  }

  async position(): Promise<PtzPosition> {
    throw new PtzUnsupportedError('Pelco-D cannot report its position');
  }

  async goTo(_position: PtzPosition): Promise<void> {
    throw new PtzUnsupportedError('Pelco-D has no absolute positioning in its basic command set');
  }

  async focus(mode: FocusMode): Promise<void> {
    await this.#send(pelco.autoFocus(this.options.address, mode === 'auto'));
  }

  async power(_on: boolean): Promise<void> {
    throw new PtzUnsupportedError('Pelco-D power control is not supported');
  }

  #sendMotion(): Promise<void> {
    const m = this.#motion;
    const idle = m.pan === 0 && m.tilt === 0 && m.zoom === 0;
    return this.#send(idle ? pelco.stop(this.options.address) : pelco.motion(this.options.address, m));
  }

  #send(frame: Buffer): Promise<void> {
    if (this.status !== 'ok') return Promise.reject(new PtzNotConnectedError(`PTZ line is ${this.status}`));
    const port = this.#port;
    const write = this.#writing
      .then(() => writeAll(port, frame))
      .catch((error: unknown) => {
        throw new PtzNotConnectedError(`cannot write to the Pelco-D line: ${describeError(error)}`);
      });
    this.#writing = write.catch(() => undefined);
    return write;
  }
}

function scale(speed: number | undefined): number {
  const s = speed === undefined || !Number.isFinite(speed) ? 0.5 : Math.min(1, Math.max(0, speed));
  return Math.max(1, Math.round(s * pelco.SPEED_MAX));
}
