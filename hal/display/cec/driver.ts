import { access } from 'node:fs/promises';
import { BadConfigError, Driver, type DriverContext } from '../../core/driver.js';
import { ToolError, toolRunner, type ToolRunner } from '../../core/tool-runner.js';
import type { DisplayConfig } from '../config.js';
import type { DisplayDevice, DisplayState } from '../types.js';
import { isOn, parsePowerStatusReply } from './power-status.js';

type CecOptions = Extract<DisplayConfig, { driver: 'cec' }>;

const CEC_TIMEOUT_MS = 5000;

/**
 * A TV on HDMI driven by HDMI-CEC through `cec-ctl` (v4l-utils). The adapter registers as a
 * playback device; the TV is logical address 0. CEC has no brightness: that stays with the TV's remote.
 */
export class CecDisplay extends Driver implements DisplayDevice {
  readonly kind = 'display' as const;
  readonly driverName = 'cec';

  constructor(
    context: DriverContext,
    private readonly options: CecOptions,
    private readonly tools: ToolRunner = toolRunner(),
  ) {
    super(context);
  }

  async state(): Promise<DisplayState> {
    const reply = parsePowerStatusReply(await this.#cecCtl(['--to', '0', '--give-device-power-status']));
    if (reply.kind === 'not-acknowledged') {
      this.connectionLost('the TV does not acknowledge CEC messages');
      throw new Error('the TV does not acknowledge CEC messages');
    }
    if (reply.kind === 'no-reply') throw new Error('the TV did not report its power status');
    return { on: isOn(reply.status), brightness: null };
  }

  async setPower(on: boolean): Promise<void> {
    await this.#cecCtl(['--to', '0', on ? '--image-view-on' : '--standby']);
  }

  async setBrightness(): Promise<void> {
    throw new Error('HDMI-CEC cannot set brightness');
  }

  protected async open(): Promise<void> {
    try {
      await access(this.options.device);
    } catch {
      throw new Error(`${this.options.device} does not exist (HDMI not connected or CEC driver not loaded)`);
    }
    await this.#cecCtl(['--playback']);
  }

  protected async close(): Promise<void> {}

  async #cecCtl(args: string[]): Promise<string> {
    try {
      return await this.tools.run('cec-ctl', ['--device', this.options.device, ...args], { timeoutMs: CEC_TIMEOUT_MS });
    } catch (error) {
      if (error instanceof ToolError && error.reason === 'missing')
        throw new BadConfigError('cec-ctl is not installed (apt install v4l-utils)');
      throw error;
    }
  }
}
