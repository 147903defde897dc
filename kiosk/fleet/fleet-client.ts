import WebSocket from 'ws';
import { backoffDelay, type BackoffPolicy } from '../../hal/core/backoff.js';
import type { Logger } from '../core/logger.js';
import type { FleetOutbox } from './outbox.js';
import { parseHubMessage, type DeviceMessage, type HubMessage } from './protocol.js';

export type FleetLinkState = 'connecting' | 'connected' | 'refused' | 'disconnected';

export interface FleetClientOptions {
  url: string;
  credential: string;
  outbox: FleetOutbox;
  hello: () => Extract<DeviceMessage, { type: 'hello' }>;
  health: () => unknown;
  onSchedule: (payload: unknown) => Promise<unknown>;
  onState: (state: FleetLinkState, detail?: string) => void;
  logger: Logger;
  backoff?: BackoffPolicy;
  keepaliveMs?: number;
}

const MAX_FRAME = 1024 * 1024;

/** The outbound websocket to the hub: reconnects forever, replays the outbox in order, answers pushes. */
export class FleetClient {
  #socket: WebSocket | undefined;
  #running = false;
  #attempt = 0;
  #retry: NodeJS.Timeout | undefined;
  #keepalive: NodeJS.Timeout | undefined;
  #awaitingPong = false;
  #sentUpTo = 0;
  #flushing: Promise<void> | undefined;
  #flushRequested = false;

  constructor(private readonly options: FleetClientOptions) {}

  start(): void {
    this.#running = true;
    this.#connect();
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#retry);
    clearInterval(this.#keepalive);
    const socket = this.#socket;
    this.#socket = undefined;
    if (!socket || socket.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.close(1001, 'device stopping');
      setTimeout(() => {
        socket.terminate();
        resolve();
      }, 2000).unref();
    });
  }

  /** A new outbox entry: sent now when connected, otherwise on the next connection. */
  notify(): void {
    this.#flushLogged();
  }

  /** A failed send (database error, full disk) is logged; the outbox keeps the events for the next try. */
  #flushLogged(): void {
    this.#flush().catch((error: unknown) => this.options.logger.error({ err: String((error as Error)?.message ?? error) }, 'fleet outbox not sent'));
  }

  sendHealth(): void {
    this.#send({ type: 'health', at: new Date().toISOString(), data: this.options.health() });
  }

  #connect(): void {
    if (!this.#running) return;
    this.options.onState('connecting');
    const socket = new WebSocket(this.options.url, { headers: { authorization: `Bearer ${this.options.credential}` }, handshakeTimeout: 10_000, maxPayload: MAX_FRAME });
    this.#socket = socket;
    socket.on('unexpected-response', (_request, response) => {
      const refused = response.statusCode === 401 || response.statusCode === 403;
      this.options.onState(refused ? 'refused' : 'disconnected', `hub answered HTTP ${response.statusCode}`);
      this.options.logger.warn({ status: response.statusCode }, refused ? 'fleet hub refused this device credential' : 'fleet hub refused the connection');
      socket.terminate();
    });
    socket.on('open', () => {
      this.#attempt = 0;
      this.#sentUpTo = 0;
      this.options.onState('connected');
      this.#send(this.options.hello());
      this.sendHealth();
      this.#flushLogged();
      this.#startKeepalive(socket);
    });
    socket.on('message', (data, isBinary) => {
      if (isBinary) return this.#send({ type: 'error', error: 'binary frames are not part of the protocol' });
      const parsed = parseHubMessage(data.toString());
      if (!parsed.ok) {
        this.options.logger.warn({ err: parsed.error }, 'bad message from the fleet hub');
        return this.#send({ type: 'error', error: parsed.error });
      }
      this.#onMessage(parsed.message).catch((error: unknown) => this.options.logger.error({ err: String((error as Error)?.message ?? error), type: parsed.message.type }, 'fleet message not handled'));
    });
    socket.on('pong', () => {
      this.#awaitingPong = false;
    });
    socket.on('error', (error) => this.options.logger.debug({ err: error.message }, 'fleet link error'));
    socket.on('close', () => {
      clearInterval(this.#keepalive);
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      if (!this.#running) return;
      this.options.onState('disconnected');
      const delay = backoffDelay(this.#attempt++, this.options.backoff);
      this.#retry = setTimeout(() => this.#connect(), delay);
      this.#retry.unref?.();
    });
  }

  async #onMessage(message: HubMessage): Promise<void> {
    switch (message.type) {
      case 'ack':
        await this.options.outbox.acknowledge(message.upTo);
        return;
      case 'schedule':
        try {
          const result = await this.options.onSchedule(message.payload);
          this.#send({ type: 'schedule-result', requestId: message.requestId, ok: true, result });
        } catch (error) {
          this.#send({ type: 'schedule-result', requestId: message.requestId, ok: false, error: (error as Error).message });
        }
        return;
      case 'ping':
        this.sendHealth();
        return;
      case 'welcome':
        return;
    }
  }

  /** Sends every outbox entry not yet sent on this connection, in order; one drain at a time. */
  #flush(): Promise<void> {
    this.#flushRequested = true;
    this.#flushing ??= this.#drain().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #drain(): Promise<void> {
    // A request arriving while we drain sets the flag again: nothing added meanwhile is left behind.
    while (this.#flushRequested) {
      this.#flushRequested = false;
      for (;;) {
        const socket = this.#socket;
        if (!socket || socket.readyState !== WebSocket.OPEN) return;
        const batch = await this.options.outbox.pending(this.#sentUpTo);
        if (batch.length === 0) break;
        for (const entry of batch) {
          this.#send({ type: 'event', seq: entry.seq, at: entry.at, topic: entry.topic, data: entry.data });
          this.#sentUpTo = entry.seq;
        }
      }
    }
  }

  #startKeepalive(socket: WebSocket): void {
    clearInterval(this.#keepalive);
    this.#awaitingPong = false;
    // A link that silently died (NAT timeout, cable) is noticed within two intervals.
    this.#keepalive = setInterval(() => {
      if (this.#awaitingPong) {
        socket.terminate();
        return;
      }
      this.#awaitingPong = true;
      socket.ping();
    }, this.options.keepaliveMs ?? 30_000);
    this.#keepalive.unref?.();
  }

  #send(message: DeviceMessage): void {
    const socket = this.#socket;
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }
}
