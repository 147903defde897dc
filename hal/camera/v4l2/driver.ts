import { watch, type FSWatcher } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { BadConfigError, Driver, type DriverContext } from '../../core/driver.js';
import { ToolError, toolRunner, type ToolRunner } from '../../core/tool-runner.js';
import type { CameraConfig } from '../config.js';
import type { CameraDevice } from '../types.js';
import { canCapture, parseV4l2Info, type V4l2Info } from './info.js';

type V4l2Options = Extract<CameraConfig, { driver: 'v4l2' }>;

export interface V4l2Timing {
  /** Existence re-check, the ground truth behind fs.watch (which misses events on some /dev setups). */
  pollMs: number;
}

/**
 * A USB/HDMI-capture camera at a V4L2 node. Open = the node exists and `v4l2-ctl --all` answers;
 * then the node is watched: an unplug is reported at once, and the base driver reopens it when it
 * comes back, so a camera knocked loose mid-session returns without a restart.
 */
export class V4l2Camera extends Driver implements CameraDevice {
  readonly kind = 'camera' as const;
  readonly driverName = 'v4l2';
  #watcher: FSWatcher | undefined;
  #poll: NodeJS.Timeout | undefined;
  #info: V4l2Info | undefined;

  constructor(
    context: DriverContext,
    readonly source: V4l2Options,
    private readonly tools: ToolRunner = toolRunner(),
    private readonly timing: V4l2Timing = { pollMs: 2000 },
  ) {
    super(context);
  }

  /** Driver, card and current format as v4l2-ctl reported them at the last open. */
  get info(): V4l2Info | undefined {
    return this.#info;
  }

  protected async open(): Promise<void> {
    const device = this.source.device;
    if (!(await exists(device))) throw new Error(`${device} is not present (camera unplugged?)`);
    let output: string;
    try {
      output = await this.tools.run('v4l2-ctl', ['-d', device, '--all'], { timeoutMs: 5000 });
    } catch (error) {
      if (error instanceof ToolError && error.reason === 'missing')
        throw new BadConfigError('v4l2-ctl is not installed (apt install v4l-utils)');
      throw error;
    }
    const info = parseV4l2Info(output);
    if (!canCapture(info))
      throw new BadConfigError(
        `${device} cannot capture video (capabilities: ${info.deviceCaps.join(', ')}); a UVC camera's first node is usually the capture one`,
      );
    this.#info = info;
    this.logger.info(
      { device: this.id, node: device, driver: info.driver, card: info.card, format: info.pixelFormat },
      'v4l2 camera opened',
    );
    this.#watch(device);
  }

  protected async close(): Promise<void> {
    this.#watcher?.close();
    this.#watcher = undefined;
    clearInterval(this.#poll);
    this.#poll = undefined;
  }

  #watch(device: string): void {
    const check = () => {
      void exists(device).then((present) => {
        if (!present) this.connectionLost(`${device} disappeared (camera unplugged)`);
      });
    };
    try {
      this.#watcher = watch(dirname(device), (_event, name) => {
        if (name === null || name === basename(device)) check();
      });
      // The folder itself can vanish (/dev/v4l/by-id goes with the last camera): the poll carries on.
      this.#watcher.on('error', () => {
        this.#watcher?.close();
        this.#watcher = undefined;
        check();
      });
    } catch {
      this.#watcher = undefined;
    }
    this.#poll = setInterval(check, this.timing.pollMs);
    this.#poll.unref?.();
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
