import net from 'node:net';
import tls from 'node:tls';
import { ListVarCollector, NutProtocolError, expectOk, nutRequest, parseGetVarReply } from './protocol.js';

export interface NutConnectOptions {
  host: string;
  port: number;
  connectTimeoutMs?: number;
  /** upsd answers in milliseconds; a silent server is treated as a dead connection. */
  replyTimeoutMs?: number;
}

/** Bounds a line from the server so a broken peer cannot make us buffer without end. */
const maxLineLength = 64 * 1024;

interface PendingRequest {
  line: string;
  /** Gets each reply line; returns true when the reply is complete. Throws to fail the request. */
  onLine(raw: string): boolean;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * One TCP connection to upsd: requests go one at a time (upsd answers in order, and one in flight
 * keeps the framing trivial), replies are split on LF. Any framing fault, timeout or socket error
 * closes the connection; the owner learns it through `onClose` and decides about reconnecting.
 */
export class NutClient {
  #socket: net.Socket;
  #buffer = '';
  readonly #queue: PendingRequest[] = [];
  #inFlight: PendingRequest | undefined;
  #replyTimer: NodeJS.Timeout | undefined;
  #closed = false;
  #closeListeners: ((reason: string) => void)[] = [];
  readonly #replyTimeoutMs: number;
  readonly #onData = (chunk: string) => this.#receive(chunk);

  private constructor(socket: net.Socket, replyTimeoutMs: number) {
    this.#socket = socket;
    this.#replyTimeoutMs = replyTimeoutMs;
    this.#attach(socket);
  }

  static connect(options: NutConnectOptions): Promise<NutClient> {
    const { host, port, connectTimeoutMs = 5000, replyTimeoutMs = 5000 } = options;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no answer from upsd at ${host}:${port} within ${connectTimeoutMs} ms`));
      }, connectTimeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`cannot connect to upsd at ${host}:${port}: ${error.message}`));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        resolve(new NutClient(socket, replyTimeoutMs));
      });
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  onClose(listener: (reason: string) => void): void {
    this.#closeListeners.push(listener);
  }

  /**
   * Upgrades the connection to TLS (must come before USERNAME/PASSWORD so they never travel in clear).
   * `options` are passed to `tls.connect`, e.g. `ca` and `servername`.
   */
  async startTls(options: tls.ConnectionOptions): Promise<void> {
    await this.#simple(nutRequest.starttls());
    const plain = this.#socket;
    plain.off('data', this.#onData);
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    const secure = await new Promise<tls.TLSSocket>((resolve, reject) => {
      const socket = tls.connect({ ...options, socket: plain });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('TLS handshake with upsd timed out'));
      }, this.#replyTimeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(`TLS handshake with upsd failed: ${error.message}`));
      });
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(socket);
      });
    }).catch((error: Error) => {
      this.#shutdown(error.message);
      throw error;
    });
    this.#socket = secure;
    this.#attach(secure);
  }

  /** Authenticates and attaches as a secondary monitor of `ups` (what upsmon secondaries do). */
  async login(ups: string, username: string, password: string): Promise<void> {
    await this.#simple(nutRequest.username(username));
    await this.#simple(nutRequest.password(password));
    await this.#simple(nutRequest.login(ups));
  }

  async listVar(ups: string): Promise<Map<string, string>> {
    const collector = new ListVarCollector(ups);
    let result: Map<string, string> | undefined;
    await this.#request(nutRequest.listVar(ups), (raw) => {
      result = collector.feed(raw);
      return result !== undefined;
    });
    return result!;
  }

  async getVar(ups: string, variable: string): Promise<string> {
    let value = '';
    await this.#request(nutRequest.getVar(ups, variable), (raw) => {
      value = parseGetVarReply(raw, ups, variable);
      return true;
    });
    return value;
  }

  /** Says goodbye when the server still listens, then closes; never throws. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#simple(nutRequest.logout()).catch(() => undefined);
    this.#shutdown('closed by client');
  }

  #simple(line: string): Promise<void> {
    return this.#request(line, (raw) => {
      expectOk(raw);
      return true;
    });
  }

  #request(line: string, onLine: (raw: string) => boolean): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('upsd connection is closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ line, onLine, resolve, reject });
      this.#sendNext();
    });
  }

  #sendNext(): void {
    if (this.#inFlight || this.#closed) return;
    const next = this.#queue.shift();
    if (!next) return;
    this.#inFlight = next;
    this.#replyTimer = setTimeout(
      () => this.#shutdown(`upsd did not answer within ${this.#replyTimeoutMs} ms`),
      this.#replyTimeoutMs,
    );
    this.#socket.write(next.line);
  }

  #attach(socket: net.Socket): void {
    socket.setEncoding('utf8');
    socket.on('data', this.#onData);
    socket.on('error', (error) => this.#shutdown(`upsd connection error: ${error.message}`));
    socket.on('close', () => this.#shutdown('upsd closed the connection'));
  }

  #receive(chunk: string): void {
    this.#buffer += chunk;
    while (!this.#closed) {
      const newline = this.#buffer.indexOf('\n');
      if (newline < 0) break;
      const raw = this.#buffer.slice(0, newline);
      this.#buffer = this.#buffer.slice(newline + 1);
      this.#line(raw);
    }
    if (this.#buffer.length > maxLineLength) this.#shutdown('upsd sent an over-long line');
  }

  #line(raw: string): void {
    const request = this.#inFlight;
    if (!request) {
      this.#shutdown(`unsolicited line from upsd: ${raw.slice(0, 80)}`);
      return;
    }
    let done: boolean;
    try {
      done = request.onLine(raw);
    } catch (error) {
      this.#finish();
      request.reject(error as Error);
      // A NUT ERR reply is a complete answer and the stream stays in step; anything else does not.
      if (error instanceof NutProtocolError) this.#shutdown(error.message);
      else this.#sendNext();
      return;
    }
    if (!done) return;
    this.#finish();
    request.resolve();
    this.#sendNext();
  }

  #finish(): void {
    clearTimeout(this.#replyTimer);
    this.#replyTimer = undefined;
    this.#inFlight = undefined;
  }

  #shutdown(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#replyTimer);
    this.#socket.destroy();
    const failed = [...(this.#inFlight ? [this.#inFlight] : []), ...this.#queue.splice(0)];
    this.#inFlight = undefined;
    for (const request of failed) request.reject(new Error(reason));
    for (const listener of this.#closeListeners.splice(0)) listener(reason);
  }
}
