import type { SerialPort } from 'serialport';
import type { DriverContext } from '../../core/driver.js';
import { closeSerialLine, openSerialLine, writeAll } from '../../core/serial/serial-line.js';
import { ViscaFramer } from '../visca/framer.js';
import { decodeReply, hex, ifClear } from '../visca/protocol.js';
import type { SessionExchange } from '../visca/session.js';
import { ViscaPtz } from '../visca/visca-ptz.js';

const NOISE_LOG_INTERVAL_MS = 10_000;

export interface ViscaSerialOptions {
  port: string;
  baudRate: number;
  address: number;
  timeoutMs: number;
  slowCompletionTimeoutMs?: number;
}

/**
 * VISCA over RS-232/RS-422/RS-485 (8N1). At open: AddressSet and IF_Clear, both answered, or the
 * open fails and the base retries. The port closing under us (adapter pulled, pty gone) is a lost
 * connection: the base reopens it when it comes back.
 */
export class ViscaSerialPtz extends ViscaPtz {
  readonly driverName: string = 'visca-serial';
  #port: SerialPort | undefined;
  readonly #framer = new ViscaFramer();
  #noiseBytes = 0;
  #noiseLoggedAt = 0;

  constructor(
    context: DriverContext,
    private readonly options: ViscaSerialOptions,
  ) {
    super(context, options.address, options);
  }

  protected async open(): Promise<void> {
    const path = this.options.port;
    this.#framer.reset();
    const port = await openSerialLine(path, this.options.baudRate, {
      data: (chunk) => this.#onData(chunk),
      closed: () => {
        if (this.#port !== port) return;
        this.session.close('serial port closed');
        this.connectionLost(`serial port ${path} closed`);
      },
      error: (error) => this.logger.warn({ device: this.id, err: error.message }, 'serial port error'),
    });
    this.#port = port;
    await this.handshake();
  }

  protected async close(): Promise<void> {
    this.session.close('driver closing');
    const port = this.#port;
    this.#port = undefined;
    await closeSerialLine(port);
  }

  protected recoveryExchange(): SessionExchange {
    return ifClear(this.address);
  }

  protected async sendPacket(exchange: SessionExchange): Promise<void> {
    this.logger.debug({ device: this.id, packet: exchange.name, bytes: hex(exchange.bytes) }, 'VISCA send');
    await writeAll(this.#port, exchange.bytes);
  }

  /** A noisy RS-485 line must not flood the journal: one warning per interval, with a count. */
  #noteNoise(bytes: Buffer): void {
    this.#noiseBytes += bytes.length;
    const now = Date.now();
    if (now - this.#noiseLoggedAt < NOISE_LOG_INTERVAL_MS) return;
    this.logger.warn(
      { device: this.id, skippedBytes: this.#noiseBytes, sample: hex(bytes.subarray(0, 16)) },
      'VISCA line noise skipped',
    );
    this.#noiseLoggedAt = now;
    this.#noiseBytes = 0;
  }

  #onData(chunk: Buffer): void {
    for (const output of this.#framer.push(chunk)) {
      if (output.type === 'garbage') {
        this.#noteNoise(output.bytes);
        continue;
      }
      this.received(decodeReply(output.bytes));
    }
  }
}
