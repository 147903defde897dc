import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DriverContext } from '../../core/driver.js';
import { ViscaPtyEmulator, ViscaUdpEmulator } from '../visca/emulator.js';
import { ViscaIpPtz } from '../visca-ip/driver.js';
import { ViscaSerialPtz } from '../visca-serial/driver.js';

/**
 * Sim mode's default PTZ: the real visca-serial driver on one end of a socat pty pair, a VISCA
 * camera emulator on the other — the same bytes a camera on RS-485 would see.
 */
export class EmulatedViscaSerialPtz extends ViscaSerialPtz {
  override readonly driverName = 'visca-emulated';
  readonly camera: ViscaPtyEmulator;
  readonly #dir: string;

  constructor(context: DriverContext, options: { timeoutMs: number }) {
    // Only a name here: the folder is made when the line is opened (a constructor does no I/O).
    const dir = join(tmpdir(), `diemcau-visca-${randomUUID()}`);
    super(context, { port: join(dir, 'camera'), baudRate: 9600, address: 1, timeoutMs: options.timeoutMs });
    this.#dir = dir;
    this.camera = new ViscaPtyEmulator({ driverSide: join(dir, 'camera'), cameraSide: join(dir, 'emulator') });
  }

  protected override async open(): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    await this.camera.plugIn();
    await super.open();
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.camera.unplug();
    await rm(this.#dir, { recursive: true, force: true });
  }
}

/**
 * The same over VISCA-over-IP: the real visca-ip driver talking UDP to a VISCA camera emulator it starts on
 * 127.0.0.1 (any free port). Faults can be injected through `camera` (readiness drills, tests).
 */
export class EmulatedViscaPtz extends ViscaIpPtz {
  override readonly driverName = 'visca-emulated';
  readonly camera = new ViscaUdpEmulator({ host: '127.0.0.1', port: 0 });

  constructor(context: DriverContext, options: { timeoutMs: number }) {
    super(context, { host: '127.0.0.1', port: 0, timeoutMs: options.timeoutMs });
  }

  protected override target(): { host: string; port: number } {
    return { host: this.camera.host, port: this.camera.port };
  }

  protected override async open(): Promise<void> {
    await this.camera.plugIn();
    await super.open();
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.camera.unplug();
  }
}
