import type { DriverContext } from '../../core/driver.js';
import { NutHarness, defaultUpsVariables } from './nut-harness.js';
import { NutUps } from './driver.js';

export interface EmulatedNutOptions {
  runtimeSeconds: number;
  pollMs: number;
}

/**
 * Sim mode's UPS: the real NUT driver against a real `upsd` + `dummy-ups` it starts on 127.0.0.1.
 * `simulate()` rewrites the dummy file, as a power cut would change what the UPS reports.
 */
export class EmulatedNutUps extends NutUps {
  override readonly driverName = 'nut-emulated';
  #server: NutHarness | undefined;

  constructor(
    context: DriverContext,
    private readonly emulated: EmulatedNutOptions,
  ) {
    super(context, {
      driver: 'nut',
      host: '127.0.0.1',
      port: 3493,
      upsName: 'sim',
      starttls: false,
      pollMs: emulated.pollMs,
    });
  }

  protected override target(): { host: string; port: number; upsName: string } {
    if (!this.#server) throw new Error('emulated upsd is not running');
    return { host: '127.0.0.1', port: this.#server.port, upsName: this.#server.upsName };
  }

  protected override async open(): Promise<void> {
    this.#server ??= await NutHarness.start({
      upsName: 'sim',
      variables: { ...defaultUpsVariables, 'battery.runtime': String(this.emulated.runtimeSeconds) },
    });
    await super.open();
  }

  /** What the UPS reports next, e.g. `{ 'ups.status': 'OB LB', 'battery.runtime': '90' }`. */
  async simulate(variables: Record<string, string>): Promise<void> {
    if (!this.#server) throw new Error('emulated upsd is not running');
    await this.#server.setVariables(variables);
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.#server?.stop();
    this.#server = undefined;
  }
}
