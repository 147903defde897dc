import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { EmulatedSerialLine } from '../../core/serial/emulated-line.js';
import { ViscaCameraModel } from './emulated-camera.js';
import { ViscaFramer } from './framer.js';
import { CONTROL_ACK, CONTROL_RESET, PayloadType, decodeIpMessage, encodeIpMessage } from './ip-header.js';

/** Everything the emulated camera heard, for tests that check the exact bytes a driver sent. */
export interface Heard {
  bytes: Buffer;
  /** VISCA over IP only. */
  payloadType?: number;
  sequence?: number;
}

/**
 * A VISCA camera on a pty pair made by socat: the driver opens `devicePath` (a stable symlink, as
 * /dev/serial/by-id would be), the emulator holds the other end. `unplug()` kills socat so the
 * driver's port dies; `plugIn()` brings a fresh pair up behind the same path.
 */
export class ViscaPtyEmulator {
  readonly model = new ViscaCameraModel();
  readonly heard: Heard[] = [];
  readonly #line: EmulatedSerialLine;
  readonly #framer = new ViscaFramer();
  #noise: Buffer | undefined;

  constructor(links: { driverSide: string; cameraSide: string }) {
    this.#line = new EmulatedSerialLine({ driverSide: links.driverSide, deviceSide: links.cameraSide }, 9600, (chunk) =>
      this.#onData(chunk),
    );
  }

  get devicePath(): string {
    return this.#line.devicePath;
  }

  get pluggedIn(): boolean {
    return this.#line.pluggedIn;
  }

  async plugIn(): Promise<void> {
    this.#framer.reset();
    await this.#line.plugIn();
  }

  unplug(): Promise<void> {
    return this.#line.unplug();
  }

  /** Puts raw bytes on the line now (line noise, a reply from nowhere). */
  sendRaw(bytes: Buffer): void {
    void this.#line.write(bytes);
  }

  /** Line noise written just before the next reply, in the same write (the driver must skip it). */
  noiseBeforeNextReply(bytes: Buffer): void {
    this.#noise = bytes;
  }

  #onData(chunk: Buffer): void {
    for (const output of this.#framer.push(chunk)) {
      if (output.type !== 'packet') continue;
      this.heard.push({ bytes: output.bytes });
      const replies = this.model.handle(output.bytes);
      if (replies.length === 0) continue;
      const noise = this.#noise;
      this.#noise = undefined;
      void this.#line.write(Buffer.concat(noise ? [noise, ...replies] : replies));
    }
  }
}

/**
 * A VISCA-over-IP camera on UDP (127.0.0.1): answers RESET with the control ACK, VISCA commands and
 * inquiries with replies carrying the request's sequence number. `unplug()` closes the socket (the
 * camera goes silent); `plugIn()` binds the same port again.
 */
export class ViscaUdpEmulator {
  readonly model = new ViscaCameraModel();
  readonly heard: Heard[] = [];
  #socket: Socket | undefined;
  #port: number;

  constructor(options: { port?: number; host?: string } = {}) {
    this.#port = options.port ?? 0;
    this.host = options.host ?? '127.0.0.1';
  }

  readonly host: string;

  get port(): number {
    return this.#port;
  }

  async plugIn(): Promise<void> {
    if (this.#socket) return;
    const socket = createSocket('udp4');
    socket.on('message', (datagram, from) => this.#onDatagram(datagram, from));
    socket.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.#port, this.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    this.#port = socket.address().port;
    this.#socket = socket;
  }

  async unplug(): Promise<void> {
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  /** Sends a raw datagram to the last controller heard (garbage, stale replies). */
  sendRaw(datagram: Buffer): void {
    if (this.#lastPeer) this.#socket?.send(datagram, this.#lastPeer.port, this.#lastPeer.address);
  }

  #lastPeer: RemoteInfo | undefined;

  #onDatagram(datagram: Buffer, from: RemoteInfo): void {
    this.#lastPeer = from;
    const message = decodeIpMessage(datagram);
    if (!message) return;
    this.heard.push({ bytes: message.payload, payloadType: message.payloadType, sequence: message.sequence });
    const reply = (payloadType: number, payload: Buffer) =>
      this.#socket?.send(encodeIpMessage(payloadType, message.sequence, payload), from.port, from.address);
    if (this.model.silent) return;
    if (message.payloadType === PayloadType.control) {
      if (message.payload.equals(CONTROL_RESET)) reply(PayloadType.controlReply, Buffer.from([CONTROL_ACK]));
      return;
    }
    if (message.payloadType !== PayloadType.command && message.payloadType !== PayloadType.inquiry) {
      reply(PayloadType.control, Buffer.from([0x0f, 0x02]));
      return;
    }
    for (const packet of this.model.handle(message.payload)) reply(PayloadType.reply, packet);
  }
}
