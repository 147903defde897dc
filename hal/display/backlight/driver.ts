import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BadConfigError, Driver, type DriverContext } from '../../core/driver.js';
import type { DisplayConfig } from '../config.js';
import type { DisplayDevice, DisplayState } from '../types.js';
import { BL_POWER_OFF, BL_POWER_ON, levelToPercent, parseSysfsInteger, percentToLevel } from './levels.js';

type BacklightOptions = Extract<DisplayConfig, { driver: 'backlight' }>;

export const defaultBacklightRoot = '/sys/class/backlight';

/**
 * The backlight of a DSI/eDP panel through sysfs (`brightness`, `max_brightness`, `bl_power`).
 * `sysfsRoot` is injectable so tests run the same file I/O against a temp directory.
 */
export class BacklightDisplay extends Driver implements DisplayDevice {
  readonly kind = 'display' as const;
  readonly driverName = 'backlight';
  readonly #dir: string;
  #max = 0;
  #hasBlPower = false;
  /** Where brightness goes back to when a panel without `bl_power` is switched on again. */
  #restoreLevel = 0;

  constructor(context: DriverContext, options: BacklightOptions, sysfsRoot = defaultBacklightRoot) {
    super(context);
    if (options.device.includes('/') || options.device === '..' || options.device === '.')
      throw new BadConfigError('backlight device must be a name under /sys/class/backlight, e.g. 10-0045');
    this.#dir = join(sysfsRoot, options.device);
  }

  async state(): Promise<DisplayState> {
    const level = await this.#read('brightness');
    const on = this.#hasBlPower ? (await this.#read('bl_power')) === BL_POWER_ON : level > 0;
    return { on, brightness: levelToPercent(level, this.#max) };
  }

  async setPower(on: boolean): Promise<void> {
    if (this.#hasBlPower) {
      await this.#write('bl_power', on ? BL_POWER_ON : BL_POWER_OFF);
      return;
    }
    if (on) {
      await this.#write('brightness', this.#restoreLevel || this.#max);
    } else {
      const level = await this.#read('brightness');
      if (level > 0) this.#restoreLevel = level;
      await this.#write('brightness', 0);
    }
  }

  async setBrightness(percent: number): Promise<void> {
    if (!Number.isFinite(percent) || percent < 0 || percent > 100) throw new RangeError('brightness must be 0…100');
    const level = percentToLevel(percent, this.#max);
    if (level > 0) this.#restoreLevel = level;
    await this.#write('brightness', level);
  }

  protected async open(): Promise<void> {
    this.#max = await this.#read('max_brightness');
    if (this.#max <= 0) throw new BadConfigError(`${this.#dir}/max_brightness is ${this.#max}`);
    this.#hasBlPower = await access(join(this.#dir, 'bl_power')).then(
      () => true,
      () => false,
    );
    const level = await this.#read('brightness');
    this.#restoreLevel = level > 0 ? level : this.#max;
  }

  protected async close(): Promise<void> {}

  async #read(attribute: string): Promise<number> {
    try {
      return parseSysfsInteger(await readFile(join(this.#dir, attribute), 'utf8'), attribute);
    } catch (error) {
      this.#lostIfGone(error);
      throw error;
    }
  }

  async #write(attribute: string, value: number): Promise<void> {
    try {
      await writeFile(join(this.#dir, attribute), `${value}\n`);
    } catch (error) {
      this.#lostIfGone(error);
      throw error;
    }
  }

  /** The panel's driver unbound (e.g. the DSI ribbon came loose): the base driver retries until it is back. */
  #lostIfGone(error: unknown): void {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') this.connectionLost(`${this.#dir} disappeared`);
  }
}
