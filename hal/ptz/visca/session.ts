import type { DriverLogger } from '../../core/driver.js';
import { PtzBusyError, PtzCommandError, PtzNotConnectedError, PtzTimeoutError } from '../errors.js';
import type { ReplyShape, ViscaReply } from './protocol.js';
import { describeError } from '../../core/describe-error.js';

/** A packet to exchange; `control` is VISCA over IP's own control channel (RESET). */
export interface SessionExchange {
  name: string;
  bytes: Buffer;
  reply: ReplyShape | 'control';
  slow?: boolean;
}

/** What a transport hands the session: a decoded VISCA reply, or a VISCA-over-IP control reply. */
export type SessionReply = ViscaReply | { type: 'control-ack' } | { type: 'control-error'; code: number };

export interface ViscaSessionOptions {
  /** Writes one packet on the line; a throw means the line is gone. */
  send(exchange: SessionExchange): Promise<void> | void;
  /** Sent before the next command after a failure: IF_Clear on serial, RESET on IP. */
  recovery(): SessionExchange;
  /** Wait for ACK (or for the answer of an inquiry). */
  ackTimeoutMs: number;
  /** Wait for Completion of a slow command (preset recall, absolute move) after its ACK. */
  slowCompletionTimeoutMs: number;
  /** Called when even the recovery packet got no answer: the camera is gone. */
  onUnresponsive(reason: string): void;
  maxQueued?: number;
  logger: DriverLogger;
  device: string;
}

interface Waiting {
  exchange: SessionExchange;
  resolve(data: Buffer): void;
  reject(error: Error): void;
}

interface InFlight extends Waiting {
  phase: 'ack' | 'completion';
  socket: number;
  timer: NodeJS.Timeout;
}

/**
 * One VISCA conversation, whatever carries it. One command in flight at a time, the rest queued;
 * each waits for ACK then Completion (or its inquiry answer) within a timeout; camera errors become
 * `PtzCommandError`. A command that timed out is reported, never re-sent: the camera may already be
 * moving. After any failure the next command is preceded by the transport's recovery packet, so a
 * camera stuck on a half-received or still-running command is cleared first.
 */
export class ViscaSession {
  #queue: Waiting[] = [];
  #current: InFlight | undefined;
  #open = false;
  #pumping = false;
  #needsRecovery = false;

  constructor(private readonly options: ViscaSessionOptions) {}

  get isOpen(): boolean {
    return this.#open;
  }

  /** Starts accepting commands (after the transport is up). */
  open(): void {
    this.#open = true;
    this.#needsRecovery = false;
  }

  /** Rejects the command in flight and every queued one: the line is gone or the driver stops. */
  close(reason: string): void {
    this.#open = false;
    const error = new PtzNotConnectedError(`PTZ connection closed: ${reason}`);
    // Settling the exchange in flight clears #current and rejects its caller.
    this.#current?.reject(error);
    for (const waiting of this.#queue.splice(0)) waiting.reject(error);
  }

  /** Queues an exchange; resolves with the inquiry data (empty for commands). */
  request(exchange: SessionExchange): Promise<Buffer> {
    if (!this.#open) return Promise.reject(new PtzNotConnectedError('PTZ camera is not connected'));
    const max = this.options.maxQueued ?? 8;
    if (this.#queue.length >= max) return Promise.reject(new PtzBusyError(`PTZ busy: ${max} commands already waiting`));
    return new Promise<Buffer>((resolve, reject) => {
      this.#queue.push({ exchange, resolve, reject });
      void this.#pump();
    });
  }

  /** Feeds one reply from the transport. Replies nobody waits for (late, stray) are logged and dropped. */
  receive(reply: SessionReply): void {
    const current = this.#current;
    if (!current || !this.#matches(current, reply)) {
      this.options.logger.debug(
        { device: this.options.device, reply: reply.type },
        'VISCA reply nobody waits for, dropped',
      );
    }
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#open) {
        const next = this.#queue.shift();
        if (!next) break;
        if (this.#needsRecovery) {
          const recovery = this.options.recovery();
          try {
            await this.#exchange(recovery);
            this.#needsRecovery = false;
          } catch (error) {
            if (error instanceof PtzTimeoutError) {
              next.reject(
                new PtzTimeoutError(
                  `PTZ camera does not answer (${recovery.name} got no reply); ${next.exchange.name} was not sent`,
                ),
              );
              this.options.onUnresponsive(`camera did not answer ${recovery.name}`);
            } else {
              next.reject(error as Error);
            }
            continue;
          }
        }
        try {
          next.resolve(await this.#exchange(next.exchange));
        } catch (error) {
          if (!(error instanceof PtzNotConnectedError)) this.#needsRecovery = true;
          next.reject(error as Error);
        }
      }
    } finally {
      this.#pumping = false;
    }
  }

  #exchange(exchange: SessionExchange): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      if (!this.#open) return reject(new PtzNotConnectedError('PTZ camera is not connected'));
      const inFlight: InFlight = {
        exchange,
        phase: 'ack',
        socket: 0,
        resolve: (data) => this.#settle(inFlight, () => resolve(data)),
        reject: (error) => this.#settle(inFlight, () => reject(error)),
        timer: this.#timer(exchange, 'ack', this.options.ackTimeoutMs),
      };
      this.#current = inFlight;
      Promise.resolve()
        .then(() => this.options.send(exchange))
        .catch((error: unknown) =>
          inFlight.reject(new PtzNotConnectedError(`cannot write to the PTZ line: ${describeError(error)}`)),
        );
    });
  }

  #settle(inFlight: InFlight, finish: () => void): void {
    if (this.#current !== inFlight) return;
    clearTimeout(inFlight.timer);
    this.#current = undefined;
    finish();
  }

  #timer(exchange: SessionExchange, phase: InFlight['phase'], ms: number): NodeJS.Timeout {
    return setTimeout(() => {
      const waited = phase === 'ack' ? (exchange.reply === 'command' ? 'acknowledgement' : 'answer') : 'completion';
      this.#current?.reject(
        new PtzTimeoutError(
          `no ${waited} from the camera for ${exchange.name} within ${ms} ms; it may have acted and was not re-sent`,
        ),
      );
    }, ms);
  }

  #matches(current: InFlight, reply: SessionReply): boolean {
    const { exchange } = current;
    if (reply.type === 'error') {
      // A refusal comes on socket 0 before ACK (syntax, buffer full) or on the command's own socket after it.
      if (current.phase === 'completion' && reply.socket !== current.socket && reply.socket !== 0) return false;
      current.reject(
        new PtzCommandError(
          `camera refused ${exchange.name}: ${reply.reason} (0x${reply.code.toString(16).padStart(2, '0')})`,
          reply.reason,
          reply.code,
        ),
      );
      return true;
    }
    if (reply.type === 'control-error') {
      // VISCA over IP: the camera rejects the message itself (bad sequence number or payload type).
      current.reject(
        new PtzCommandError(
          `camera rejected ${exchange.name}: control error 0F ${reply.code.toString(16).padStart(2, '0')}`,
          'control',
          reply.code,
        ),
      );
      return true;
    }
    switch (exchange.reply) {
      case 'command':
        if (current.phase === 'ack' && reply.type === 'ack') {
          clearTimeout(current.timer);
          current.phase = 'completion';
          current.socket = reply.socket;
          current.timer = this.#timer(
            exchange,
            'completion',
            exchange.slow ? this.options.slowCompletionTimeoutMs : this.options.ackTimeoutMs,
          );
          return true;
        }
        // Some cameras answer a quick command with Completion alone; after ACK it must be on ACK's socket.
        if (
          reply.type === 'completion' &&
          reply.data.length === 0 &&
          (current.phase === 'ack' || reply.socket === current.socket)
        ) {
          current.resolve(Buffer.alloc(0));
          return true;
        }
        return false;
      case 'inquiry':
        if (reply.type === 'completion' && reply.data.length > 0) {
          current.resolve(reply.data);
          return true;
        }
        return false;
      case 'clear':
        if (
          (reply.type === 'completion' && reply.socket === 0 && reply.data.length === 0) ||
          reply.type === 'clear-broadcast'
        ) {
          current.resolve(Buffer.alloc(0));
          return true;
        }
        return false;
      case 'address-set':
        if (reply.type === 'address-set') {
          current.resolve(Buffer.from([reply.nextAddress]));
          return true;
        }
        return false;
      case 'control':
        if (reply.type === 'control-ack') {
          current.resolve(Buffer.alloc(0));
          return true;
        }
        return false;
    }
  }
}
