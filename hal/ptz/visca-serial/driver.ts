import { SerialPort } from 'serialport';
import type { DriverContext } from '../../core/driver.js';
import { ViscaFramer } from '../visca/framer.js';
import { decodeReply, hex, ifClear } from '../visca/protocol.js';
import type { SessionExchange } from '../visca/session.js';
import { ViscaPtz } from '../visca/visca-ptz.js';

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
  readonly driverName = 'visca-serial';
  #port: SerialPort | undefined;
  readonly #framer = new ViscaFramer();

  constructor(context: DriverContext, private readonly options: ViscaSerialOptions) {
    super(context, options.address, options);
  }

  protected async open(): Promise<void> {
    const port = new SerialPort({ path: this.options.port, baudRate: this.options.baudRate, dataBits: 8, stopBits: 1, parity: 'none', autoOpen: false });
    this.#port = port;
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(new Error(`cannot open ${this.options.port}: ${error.message}`)) : resolve())));
    this.#framer.reset();
    // A 'data' listener keeps the port reading, which is also how a vanished device is noticed.
    port.on('data', (chunk: Buffer) => this.#onData(chunk));
    port.on('close', () => {
      if (this.#port !== port) return;
      this.session.close('serial port closed');
      this.connectionLost(`serial port ${this.options.port} closed`);
    });
    port.on('error', (error) => this.logger.warn({ device: this.id, err: error.message }, 'serial port error'));
    await this.handshake();
  }

  protected async close(): Promise<void> {
    this.session.close('driver closing');
    const port = this.#port;
    this.#port = undefined;
    if (!port) return;
    port.removeAllListeners('data');
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    port.removeAllListeners();
  }

  protected recoveryExchange(): SessionExchange {
    return ifClear(this.address);
  }

  protected async sendPacket(exchange: SessionExchange): Promise<void> {
    const port = this.#port;
    if (!port?.isOpen) throw new Error('serial port is not open');
    this.logger.debug({ device: this.id, packet: exchange.name, bytes: hex(exchange.bytes) }, 'VISCA send');
    await new Promise<void>((resolve, reject) => port.write(exchange.bytes, (error) => (error ? reject(error) : resolve())));
  }

  #onData(chunk: Buffer): void {
    for (const output of this.#framer.push(chunk)) {
      if (output.type === 'garbage') {
        this.logger.warn({ device: this.id, bytes: hex(output.bytes.subarray(0, 32)), length: output.bytes.length }, 'VISCA line noise skipped');
        continue;
      }
      this.received(decodeReply(output.bytes));
    }
  }
}
