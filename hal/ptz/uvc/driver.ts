import { execFile } from 'node:child_process';
import { BadConfigError, Driver, type DriverContext } from '../../core/driver.js';
import { PtzCommandError, PtzNotConnectedError, PtzTimeoutError, PtzUnsupportedError } from '../errors.js';
import type { Direction, FocusMode, PtzCapabilities, PtzDevice, PtzMove, PtzPosition } from '../types.js';
import * as ctl from './v4l2-ctl.js';

export interface UvcOptions {
  device: string;
}

/** Where `v4l2-ctl` comes from; tests put a fake first on PATH. */
export interface V4l2CtlTool {
  command?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** One kiosk tap moves a UVC head by this share of its range (UVC has absolute controls only). */
const NUDGE = 0.05;

/**
 * A UVC PTZ webcam through its V4L2 controls, set and read with `v4l2-ctl` (execFile, no shell).
 * UVC has no preset memory and no continuous drive here: presets are positions the host stores
 * (capabilities.presets = 'host'), a move is a nudge of the absolute position, and stop is a no-op.
 * A camera without pan/tilt/zoom controls is a configuration error; a camera that cannot be opened
 * (unplugged) is retried by the base.
 */
export class UvcPtz extends Driver implements PtzDevice {
  readonly kind = 'ptz' as const;
  readonly driverName = 'uvc';
  readonly capabilities: PtzCapabilities = {
    presets: 'host',
    position: true,
    absolute: true,
    focus: false,
    power: false,
  };
  #ranges = new Map<ctl.PtzControl, ctl.ControlRange>();
  /** Positions by slot, for callers that use slots; the kiosk keeps them in its database. */
  readonly #presets = new Map<number, PtzPosition>();
  /** v4l2-ctl runs are serialised so a read never interleaves with a write. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    context: DriverContext,
    private readonly options: UvcOptions,
    private readonly tool: V4l2CtlTool = {},
  ) {
    super(context);
  }

  protected async open(): Promise<void> {
    const listed = ctl.parseListControls(await this.#run(ctl.listControlsArgs(this.options.device)));
    const ranges = new Map<ctl.PtzControl, ctl.ControlRange>();
    for (const name of ctl.PTZ_CONTROLS) {
      const range = listed.get(name);
      if (range) ranges.set(name, range);
    }
    if (!ranges.has('pan_absolute') && !ranges.has('tilt_absolute') && !ranges.has('zoom_absolute')) {
      throw new BadConfigError(
        `${this.options.device} has no pan_absolute, tilt_absolute or zoom_absolute control: not a UVC PTZ camera`,
      );
    }
    this.#ranges = ranges;
  }

  protected async close(): Promise<void> {}

  async move(move: PtzMove): Promise<void> {
    const speed = Math.min(1, Math.max(0.1, move.speed ?? 0.5));
    const now = await this.position();
    const nudge = (control: ctl.PtzControl, direction: number, from: number) => {
      const range = this.#ranges.get(control);
      return range && direction !== 0
        ? from + direction * Math.max(range.step, (range.max - range.min) * NUDGE * speed)
        : from;
    };
    await this.goTo({
      pan: nudge('pan_absolute', move.pan, now.pan),
      tilt: nudge('tilt_absolute', move.tilt, now.tilt),
      zoom: now.zoom,
    });
  }

  async stopMove(): Promise<void> {
    this.#assertOk();
  }

  async zoom(direction: Direction, speed?: number): Promise<void> {
    if (direction === 0) return this.stopMove();
    const range = this.#range('zoom_absolute');
    const now = await this.position();
    const step = Math.max(range.step, (range.max - range.min) * NUDGE * Math.min(1, Math.max(0.1, speed ?? 0.5)));
    await this.goTo({ ...now, zoom: now.zoom + direction * step });
  }

  async home(): Promise<void> {
    const home: Partial<Record<ctl.PtzControl, number>> = {};
    for (const [name, range] of this.#ranges) home[name] = range.default;
    await this.#set(home);
  }

  async recallPreset(slot: number): Promise<void> {
    const position = this.#presets.get(slot);
    if (!position) throw new PtzCommandError(`UVC preset ${slot} is not stored on this host`, 'preset-not-stored');
    await this.goTo(position);
  }

  async storePreset(slot: number): Promise<void> {
    this.#presets.set(slot, await this.position());
  }

  async position(): Promise<PtzPosition> {
    this.#assertOk();
    const names = [...this.#ranges.keys()];
    const values = ctl.parseGetControls(await this.#run(ctl.getControlsArgs(this.options.device, names)));
    return {
      pan: values.get('pan_absolute') ?? 0,
      tilt: values.get('tilt_absolute') ?? 0,
      zoom: values.get('zoom_absolute') ?? 0,
    };
  }

  async goTo(position: PtzPosition): Promise<void> {
    const values: Partial<Record<ctl.PtzControl, number>> = {};
    const setFitted = (name: ctl.PtzControl, value: number) => {
      const range = this.#ranges.get(name);
      if (range) values[name] = ctl.fitToRange(value, range);
    };
    setFitted('pan_absolute', position.pan);
    setFitted('tilt_absolute', position.tilt);
    setFitted('zoom_absolute', position.zoom);
    await this.#set(values);
  }

  async focus(_mode: FocusMode): Promise<void> {
    throw new PtzUnsupportedError('focus is not handled by the UVC PTZ driver');
  }

  async power(_on: boolean): Promise<void> {
    throw new PtzUnsupportedError('a UVC camera has no power control');
  }

  async #set(values: Partial<Record<ctl.PtzControl, number>>): Promise<void> {
    this.#assertOk();
    await this.#run(ctl.setControlsArgs(this.options.device, values));
  }

  #range(name: ctl.PtzControl): ctl.ControlRange {
    const range = this.#ranges.get(name);
    if (!range) throw new PtzUnsupportedError(`${this.options.device} has no ${name} control`);
    return range;
  }

  #assertOk(): void {
    if (this.status !== 'ok') throw new PtzNotConnectedError(`PTZ camera is ${this.status}`);
  }

  /** Runs v4l2-ctl; a device that cannot be opened any more is a lost connection. */
  #run(args: string[]): Promise<string> {
    const command = this.tool.command ?? 'v4l2-ctl';
    const timeout = this.tool.timeoutMs ?? 5000;
    const run = this.#queue.then(
      () =>
        new Promise<string>((resolve, reject) => {
          execFile(
            command,
            args,
            { timeout, env: this.tool.env ?? process.env, maxBuffer: 1 << 20 },
            (error, stdout, stderr) => {
              if (!error) return resolve(stdout);
              const text = `${stderr}`.trim() || error.message;
              if ((error as NodeJS.ErrnoException).code === 'ENOENT')
                return reject(new BadConfigError(`${command} is not installed (apt install v4l-utils)`));
              if (error.killed) return reject(new PtzTimeoutError(`${command} did not finish within ${timeout} ms`));
              if (/cannot open device|no such file|no such device/i.test(text)) {
                this.connectionLost(`cannot open ${this.options.device}`);
                return reject(new PtzNotConnectedError(`cannot open ${this.options.device}: ${text}`));
              }
              reject(new PtzCommandError(`${command} failed: ${text}`, 'v4l2-ctl'));
            },
          );
        }),
    );
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
