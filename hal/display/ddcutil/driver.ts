import { BadConfigError, Driver, type DriverContext } from '../../core/driver.js';
import { ToolError, toolRunner, type ToolRunner } from '../../core/tool-runner.js';
import type { DisplayConfig } from '../config.js';
import type { DisplayDevice, DisplayState } from '../types.js';
import {
  POWER_OFF_DPM,
  POWER_ON,
  VCP_BRIGHTNESS,
  VCP_POWER_MODE,
  isDisplayNotFound,
  parseBriefVcp,
  percentToRaw,
  rawToPercent,
  type VcpValue,
} from './vcp.js';

type DdcutilOptions = Extract<DisplayConfig, { driver: 'ddcutil' }>;

/** DDC/CI needs several round trips of 40–50 ms each on the I2C bus; ddcutil retries on its own. */
const DDC_TIMEOUT_MS = 10_000;

/** A monitor on HDMI/DP controlled over DDC/CI through `ddcutil` (power: VCP 0xD6, brightness: VCP 0x10). */
export class DdcutilDisplay extends Driver implements DisplayDevice {
  readonly kind = 'display' as const;
  readonly driverName = 'ddcutil';
  #brightnessMax = 100;

  constructor(
    context: DriverContext,
    private readonly options: DdcutilOptions,
    private readonly tools: ToolRunner = toolRunner(),
  ) {
    super(context);
  }

  async state(): Promise<DisplayState> {
    const power = await this.#get(VCP_POWER_MODE);
    const brightness = await this.#get(VCP_BRIGHTNESS);
    return {
      on: power.type === 'non-continuous' ? power.value === POWER_ON : true,
      brightness: brightness.type === 'continuous' ? rawToPercent(brightness.current, brightness.max) : null,
    };
  }

  async setPower(on: boolean): Promise<void> {
    // --noverify: a monitor going to standby often stops answering the read-back and would fail the command.
    await this.#ddcutil(['--noverify', 'setvcp', hex(VCP_POWER_MODE), String(on ? POWER_ON : POWER_OFF_DPM)]);
  }

  async setBrightness(percent: number): Promise<void> {
    if (!Number.isFinite(percent) || percent < 0 || percent > 100) throw new RangeError('brightness must be 0…100');
    await this.#ddcutil(['setvcp', hex(VCP_BRIGHTNESS), String(percentToRaw(percent, this.#brightnessMax))]);
  }

  protected async open(): Promise<void> {
    const brightness = await this.#get(VCP_BRIGHTNESS);
    if (brightness.type === 'continuous' && brightness.max > 0) this.#brightnessMax = brightness.max;
  }

  protected async close(): Promise<void> {}

  async #get(code: number): Promise<VcpValue> {
    const output = await this.#ddcutil(['--brief', 'getvcp', hex(code)]);
    const value = parseBriefVcp(output).find((v) => v.code === code);
    if (!value) throw new Error(`ddcutil gave no value for VCP ${hex(code)}`);
    return value;
  }

  async #ddcutil(args: string[]): Promise<string> {
    try {
      return await this.tools.run('ddcutil', ['--display', String(this.options.display), ...args], {
        timeoutMs: DDC_TIMEOUT_MS,
      });
    } catch (error) {
      if (error instanceof ToolError && error.reason === 'missing')
        throw new BadConfigError('ddcutil is not installed (apt install ddcutil)');
      if (error instanceof ToolError && isDisplayNotFound(`${error.stderr}\n${error.message}`))
        this.connectionLost(`display ${this.options.display} not found on DDC/CI`);
      throw error;
    }
  }
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(2, '0');
}
