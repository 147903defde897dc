import { BadConfigError, type DriverContext } from '../../core/driver.js';
import { ToolError, toolRunner, type ToolRunner } from '../../core/tool-runner.js';
import type { AudioConfig } from '../config.js';
import { PolledMuteDriver } from '../polled-mute-driver.js';
import { classifyAmixerError, isCaptureMuted, mixerDeviceOf, parseCaptureControl } from './amixer.js';

type AlsaOptions = Extract<AudioConfig, { driver: 'alsa' }>;

/** An ALSA capture device; mute is the capture switch of a mixer control, through `amixer`. */
export class AlsaAudio extends PolledMuteDriver {
  readonly driverName = 'alsa';
  readonly #mixer: string;

  constructor(
    context: DriverContext,
    override readonly source: AlsaOptions,
    private readonly tools: ToolRunner = toolRunner(),
  ) {
    super(context, source);
    this.#mixer = mixerDeviceOf(source.device);
  }

  protected async readMute(): Promise<boolean> {
    const control = parseCaptureControl(await this.#amixer(['sget', this.source.control]));
    if (!control) throw new Error(`amixer gave no state for control ${this.source.control}`);
    return isCaptureMuted(control);
  }

  protected async writeMute(muted: boolean): Promise<void> {
    await this.#amixer(['sset', this.source.control, muted ? 'nocap' : 'cap']);
  }

  async #amixer(args: string[]): Promise<string> {
    try {
      return await this.tools.run('amixer', ['-D', this.#mixer, ...args], { timeoutMs: 3000 });
    } catch (error) {
      if (error instanceof ToolError && error.reason === 'missing')
        throw new BadConfigError('amixer is not installed (apt install alsa-utils)');
      if (error instanceof ToolError && classifyAmixerError(error.stderr) === 'no-control') {
        throw new BadConfigError(
          `${this.#mixer} has no mixer control "${this.source.control}" (see amixer -D ${this.#mixer} scontrols)`,
        );
      }
      throw error;
    }
  }
}
