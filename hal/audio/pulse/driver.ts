import { BadConfigError, type DriverContext } from '../../core/driver.js';
import { ToolError, toolRunner, type ToolRunner } from '../../core/tool-runner.js';
import type { AudioConfig } from '../config.js';
import { PolledMuteDriver } from '../polled-mute-driver.js';
import { parseMute, parseShortSources } from './pactl.js';

type PulseOptions = Extract<AudioConfig, { driver: 'pulse' }>;

const DEFAULT_SOURCE = '@DEFAULT_SOURCE@';

/** A PulseAudio (or PipeWire-pulse) source; selection by name, mute through `pactl`. */
export class PulseAudio extends PolledMuteDriver {
  readonly driverName = 'pulse';
  readonly #name: string;

  constructor(
    context: DriverContext,
    override readonly source: PulseOptions,
    private readonly tools: ToolRunner = toolRunner(),
  ) {
    super(context, source);
    this.#name = source.device ?? DEFAULT_SOURCE;
  }

  protected override async open(): Promise<void> {
    if (this.source.device) {
      const sources = parseShortSources(await this.#pactl(['list', 'short', 'sources']));
      const found = sources.find((s) => s.name === this.source.device);
      // A USB array not plugged in yet: keep retrying (status failed, with the names that do exist).
      if (!found)
        throw new Error(
          `pulse source ${this.source.device} is not present (present: ${
            sources
              .filter((s) => !s.monitor)
              .map((s) => s.name)
              .join(', ') || 'none'
          })`,
        );
      if (found.monitor) throw new BadConfigError(`${found.name} is a monitor of an output, not a microphone`);
    }
    await super.open();
  }

  protected async readMute(): Promise<boolean> {
    return parseMute(await this.#pactl(['get-source-mute', this.#name]));
  }

  protected async writeMute(muted: boolean): Promise<void> {
    await this.#pactl(['set-source-mute', this.#name, muted ? '1' : '0']);
  }

  async #pactl(args: string[]): Promise<string> {
    try {
      return await this.tools.run('pactl', args, { timeoutMs: 3000 });
    } catch (error) {
      if (error instanceof ToolError && error.reason === 'missing')
        throw new BadConfigError('pactl is not installed (apt install pulseaudio-utils)');
      throw error;
    }
  }
}
