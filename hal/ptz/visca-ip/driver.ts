import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import type { DriverContext } from '../../core/driver.js';
import {
  CONTROL_ACK,
  CONTROL_ERROR,
  CONTROL_RESET,
  PayloadType,
  decodeIpMessage,
  encodeIpMessage,
  nextSequence,
} from '../visca/ip-header.js';
import { decodeReply, hex } from '../visca/protocol.js';
import type { SessionExchange } from '../visca/session.js';
import { ViscaPtz } from '../visca/visca-ptz.js';

export interface ViscaIpOptions {
  host: string;
  port: number;
  timeoutMs: number;
  slowCompletionTimeoutMs?: number;
}

/** Over IP the camera address inside VISCA packets is always 1. */
const IP_ADDRESS = 1;

const RESET: SessionExchange = { name: 'RESET', bytes: CONTROL_RESET, reply: 'control' };

/**
 * VISCA over IP (Sony, UDP 52381). Each datagram carries the payload header with a sequence number;
 * replies are matched to the one message in flight by that number, so a late reply to a command
 * that timed out cannot be taken for the answer to the next one. RESET (control 01) at open and
 * after any error or timeout puts the camera's sequence counter back to 0.
 *
 * UDP has no connection to lose: a camera that disappears shows as timeouts, and when even RESET
 * goes unanswered the session reports it unresponsive and the base reconnects.
 */
export class ViscaIpPtz extends ViscaPtz {
  readonly driverName: string = 'visca-ip';
  #socket: Socket | undefined;
  #sequence = 0;
  #inFlight: number | undefined;

  constructor(
    context: DriverContext,
    private readonly options: ViscaIpOptions,
  ) {
    super(context, IP_ADDRESS, options);
  }

  /** Where the camera listens; a subclass may decide it at open time. */
  protected target(): { host: string; port: number } {
    return { host: this.options.host, port: this.options.port };
  }

  protected async open(): Promise<void> {
    const target = this.target();
    const { address } = await lookup(target.host, { family: 4 });
    const socket = createSocket('udp4');
    this.#socket = socket;
    socket.on('message', (datagram) => this.#onDatagram(socket, datagram));
    // ECONNREFUSED (ICMP port unreachable) and the like: the command in flight will time out.
    socket.on('error', (error) =>
      this.logger.warn({ device: this.id, err: error.message }, 'VISCA over IP socket error'),
    );
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(target.port, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    this.session.open();
    await this.session.request(RESET);
  }

  protected async close(): Promise<void> {
    this.session.close('driver closing');
    const socket = this.#socket;
    this.#socket = undefined;
    this.#inFlight = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  protected recoveryExchange(): SessionExchange {
    return RESET;
  }

  protected async sendPacket(exchange: SessionExchange): Promise<void> {
    const socket = this.#socket;
    if (!socket) throw new Error('UDP socket is not open');
    const payloadType =
      exchange.reply === 'control'
        ? PayloadType.control
        : exchange.reply === 'inquiry'
          ? PayloadType.inquiry
          : PayloadType.command;
    const sequence = this.#sequence;
    this.#sequence = nextSequence(sequence);
    this.#inFlight = sequence;
    this.logger.debug(
      { device: this.id, packet: exchange.name, sequence, bytes: hex(exchange.bytes) },
      'VISCA over IP send',
    );
    await new Promise<void>((resolve, reject) =>
      socket.send(encodeIpMessage(payloadType, sequence, exchange.bytes), (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  }

  #onDatagram(socket: Socket, datagram: Buffer): void {
    if (socket !== this.#socket) return;
    const message = decodeIpMessage(datagram);
    if (!message) {
      this.logger.warn(
        { device: this.id, bytes: hex(datagram.subarray(0, 32)), length: datagram.length },
        'malformed VISCA over IP datagram skipped',
      );
      return;
    }
    if (message.sequence !== this.#inFlight) {
      this.logger.debug(
        { device: this.id, sequence: message.sequence, expected: this.#inFlight },
        'VISCA over IP reply for another sequence number dropped',
      );
      return;
    }
    const { payloadType, payload } = message;
    if (payloadType === PayloadType.reply) {
      this.received(decodeReply(payload));
    } else if (payloadType === PayloadType.controlReply && payload.length === 1 && payload[0] === CONTROL_ACK) {
      // The camera's counter is at 0 now; ours follows so the next command carries 0.
      this.#sequence = 0;
      this.received({ type: 'control-ack' });
    } else if (payloadType === PayloadType.control && payload.length === 2 && payload[0] === CONTROL_ERROR) {
      this.received({ type: 'control-error', code: payload[1]! });
    } else {
      this.logger.warn(
        { device: this.id, payloadType: payloadType.toString(16), bytes: hex(payload) },
        'unexpected VISCA over IP payload skipped',
      );
    }
  }
}
