import { readFile } from 'node:fs/promises';
import { BadConfigError, Driver, describeError, type DeviceSnapshot, type DriverContext } from '../../core/driver.js';
import {
  PtzBusyError,
  PtzCommandError,
  PtzNotConnectedError,
  PtzTimeoutError,
  PtzUnsupportedError,
} from '../errors.js';
import type { Direction, PtzCapabilities, PtzDevice, PtzMove, PtzPosition } from '../types.js';
import { OnvifClient, OnvifError, type OnvifEndpoint } from './client.js';
import { clockDriftSeconds, credentialProblem, presetName, velocityOf } from './mapping.js';

export interface OnvifPtzOptions {
  host: string;
  port: number;
  path: string;
  username: string;
  passwordFile: string;
  profileToken?: string | undefined;
  timeoutMs: number;
  checkMs: number;
}

/** Commands waiting behind the one in flight: a held button must not queue seconds of moves. */
const MAX_WAITING = 4;
const DEFAULT_SPEED = 0.5;

/**
 * A PTZ camera over ONVIF Profile S, through the npm `onvif` client. Open = the camera's clock, its
 * services and profiles read with the configured credentials; a refused password is `bad-config` (it
 * will not start working by retrying). While ok, GetSystemDateAndTime every `checkMs` is both the
 * "still there" check (a network camera sends no unplug) and the clock drift shown in health.
 *
 * Positions are ONVIF's generic spaces: pan and tilt −1…1, zoom 0…1. Presets live in the camera under
 * the name `diemcau-<slot>` (cameras choose their own tokens). A command that timed out is reported
 * and never re-sent, as for every family.
 */
export class OnvifPtz extends Driver implements PtzDevice {
  readonly kind = 'ptz' as const;
  readonly driverName: string = 'onvif';
  readonly capabilities: PtzCapabilities = {
    presets: 'camera',
    position: true,
    absolute: true,
    focus: false,
    power: false,
  };
  #client: OnvifClient | undefined;
  #profileToken: string | undefined;
  #clock: DeviceSnapshot['clock'];
  #timer: NodeJS.Timeout | undefined;
  #checking = false;
  #queue: Promise<unknown> = Promise.resolve();
  #waiting = 0;

  constructor(
    context: DriverContext,
    protected readonly options: OnvifPtzOptions,
  ) {
    super(context);
  }

  /** Where the camera answers; the emulated family decides it when the emulator is up. */
  protected endpoint(): Pick<OnvifEndpoint, 'host' | 'port' | 'path'> {
    return { host: this.options.host, port: this.options.port, path: this.options.path };
  }

  override snapshot(): DeviceSnapshot {
    const snapshot = super.snapshot();
    return this.#clock ? { ...snapshot, clock: this.#clock } : snapshot;
  }

  protected async open(): Promise<void> {
    let password: string;
    try {
      password = (await readFile(this.options.passwordFile, 'utf8')).trim();
    } catch (error) {
      throw new BadConfigError(
        `ONVIF password file ${this.options.passwordFile} cannot be read: ${(error as NodeJS.ErrnoException).code ?? describeError(error)}`,
      );
    }
    const problem = credentialProblem(this.options.username, password);
    if (problem) throw new BadConfigError(problem);
    let client: OnvifClient;
    let token: string;
    try {
      client = await OnvifClient.connect({
        ...this.endpoint(),
        username: this.options.username,
        password,
        timeoutMs: this.options.timeoutMs,
      });
      token = await this.#chooseProfile(client);
      this.#clock = clockDriftSeconds(await client.cameraTime(), new Date());
    } catch (error) {
      if (error instanceof OnvifError && error.failure === 'auth')
        throw new BadConfigError(
          `the camera refused user "${this.options.username}": check the user and the password file`,
        );
      throw error;
    }
    this.#client = client;
    this.#profileToken = token;
    if (Math.abs(this.#clock.driftSeconds) >= 2)
      this.logger.warn(
        { device: this.id, driftSeconds: this.#clock.driftSeconds },
        'camera clock differs from the room clock',
      );
    clearInterval(this.#timer);
    this.#timer = setInterval(() => void this.#check(), this.options.checkMs);
    this.#timer.unref?.();
  }

  protected async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#client = undefined;
  }

  async #chooseProfile(client: OnvifClient): Promise<string> {
    const profiles = await client.profiles();
    const wanted = this.options.profileToken;
    const chosen = wanted ? profiles.find((p) => p.token === wanted) : profiles.find((p) => p.hasPtz);
    if (!chosen)
      throw new BadConfigError(
        wanted
          ? `the camera has no media profile "${wanted}" (it has ${profiles.map((p) => p.token).join(', ') || 'none'})`
          : 'the camera has no media profile with PTZ',
      );
    return chosen.token;
  }

  async #check(): Promise<void> {
    const client = this.#client;
    if (this.#checking || !client || this.status !== 'ok') return;
    this.#checking = true;
    try {
      this.#clock = clockDriftSeconds(await client.cameraTime(), new Date());
    } catch (error) {
      if (client === this.#client) this.connectionLost(describeError(error));
    } finally {
      this.#checking = false;
    }
  }

  move(move: PtzMove): Promise<void> {
    return this.#run('ContinuousMove', (client, token) =>
      client.continuousMove(token, velocityOf(move.pan, move.tilt, move.speed ?? DEFAULT_SPEED)),
    );
  }

  stopMove(): Promise<void> {
    return this.#run('Stop', (client, token) => client.stop(token, { panTilt: true, zoom: true }));
  }

  zoom(direction: Direction, speed = DEFAULT_SPEED): Promise<void> {
    if (direction === 0)
      return this.#run('Stop', (client, token) => client.stop(token, { panTilt: false, zoom: true }));
    return this.#run('ContinuousMove', (client, token) =>
      client.continuousMove(token, { zoom: direction * Math.min(1, Math.max(0, speed)) }),
    );
  }

  home(): Promise<void> {
    return this.#run('GotoHomePosition', (client, token) => client.gotoHome(token));
  }

  recallPreset(slot: number): Promise<void> {
    return this.#run('GotoPreset', async (client, token) => {
      const presetToken = (await client.presets(token)).get(presetName(slot));
      if (presetToken === undefined)
        throw new PtzCommandError(`the camera has no preset ${presetName(slot)}`, 'no-preset');
      await client.gotoPreset(token, presetToken);
    });
  }

  storePreset(slot: number): Promise<void> {
    return this.#run('SetPreset', async (client, token) => {
      // Overwrite the camera's preset of that name when there is one, else let the camera pick a token.
      const existing = (await client.presets(token)).get(presetName(slot));
      await client.setPreset(token, presetName(slot), existing);
    });
  }

  position(): Promise<PtzPosition> {
    return this.#run('GetStatus', async (client, token) => {
      const { x, y, zoom } = await client.status(token);
      return { pan: x, tilt: y, zoom };
    });
  }

  goTo(position: PtzPosition): Promise<void> {
    return this.#run('AbsoluteMove', (client, token) =>
      client.absoluteMove(token, { x: position.pan, y: position.tilt, zoom: position.zoom }),
    );
  }

  /** A step from where the head is, in the same generic units (not in the contract: VISCA and Pelco-D have none). */
  relativeMove(delta: PtzPosition): Promise<void> {
    return this.#run('RelativeMove', (client, token) =>
      client.relativeMove(token, { x: delta.pan, y: delta.tilt, zoom: delta.zoom }),
    );
  }

  async focus(): Promise<void> {
    throw new PtzUnsupportedError('focus is in the ONVIF imaging service, which this driver does not use');
  }

  async power(): Promise<void> {
    throw new PtzUnsupportedError('ONVIF Profile S has no power command');
  }

  /** One command at a time, in order; errors mapped to the PTZ contract's types. */
  #run<T>(operation: string, command: (client: OnvifClient, profileToken: string) => Promise<T>): Promise<T> {
    if (this.#waiting >= MAX_WAITING)
      return Promise.reject(new PtzBusyError(`${MAX_WAITING} PTZ commands are already waiting`));
    this.#waiting++;
    const result = this.#queue.then(async () => {
      this.#waiting--;
      const client = this.#client;
      const token = this.#profileToken;
      if (this.status !== 'ok' || !client || !token) throw new PtzNotConnectedError(`ONVIF camera is ${this.status}`);
      try {
        return await command(client, token);
      } catch (error) {
        throw this.#mapped(error, operation);
      }
    });
    this.#queue = result.catch(() => undefined);
    return result;
  }

  #mapped(error: unknown, operation: string): Error {
    if (!(error instanceof OnvifError)) return error instanceof Error ? error : new Error(String(error));
    switch (error.failure) {
      case 'timeout':
        return new PtzTimeoutError(`${operation}: the camera did not answer within ${this.options.timeoutMs} ms`);
      case 'unreachable':
        this.connectionLost(error.message);
        return new PtzNotConnectedError(error.message);
      case 'auth':
        return new PtzCommandError(error.message, 'not-authorized');
      case 'fault':
        return new PtzCommandError(error.message, 'fault');
    }
  }
}
