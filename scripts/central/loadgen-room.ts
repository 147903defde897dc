import type { NatsConnection } from '@nats-io/nats-core';
import { connectRoom, readUserCredential } from '../../kiosk/fleet/nats/connection.js';
import { RoomPublisher } from '../../kiosk/fleet/nats/publish.js';
import { serveCommands } from '../../kiosk/fleet/nats/responder.js';
import {
  nextDelay,
  nextEventDelay,
  roomEvent,
  roomState,
  seededRandom,
  telemetrySample,
  type TrafficMix,
} from './loadgen-mix.js';
import { simulatedCommandHandlers } from './sim-commands.js';

/** What every simulated room of one process adds to (latencies in ms; reset by whoever reads them). */
export interface RoomCounters {
  eventAcks: number[];
  stateAcks: number[];
  eventFailures: number;
  duplicates: number;
  telemetrySent: number;
  commandsAnswered: number;
  disconnects: number;
}

export const newCounters = (): RoomCounters => ({
  eventAcks: [],
  stateAcks: [],
  eventFailures: 0,
  duplicates: 0,
  telemetrySent: 0,
  commandsAnswered: 0,
  disconnects: 0,
});

export interface SimulatedRoomOptions {
  roomId: string;
  seedFile: string;
  servers: string[];
  caFile: string;
  mix: TrafficMix;
  counters: RoomCounters;
  /** Publish→ack longer than this is a failure (the daemon's own timeout). */
  ackTimeoutMs?: number;
}

/**
 * One room as central monitoring sees it: its own wss connection and nkey, with the daemon's
 * connection options, telemetry on a jittered timer, events one at a time through JetStream with the
 * id `room:seq` (the daemon's outbox order), its state key rewritten on a heartbeat, and ping answered.
 */
export class SimulatedRoom {
  #nc: NatsConnection | undefined;
  #publisher: RoomPublisher | undefined;
  #timers = new Set<NodeJS.Timeout>();
  #eventTimer: NodeJS.Timeout | undefined;
  #random: () => number;
  #telemetrySeq = 0;
  #lastFullAt = 0;
  #eventSeq = 0;
  #queue: number[] = [];
  #sending: Promise<void> | undefined;
  #running = false;

  constructor(private readonly options: SimulatedRoomOptions) {
    this.#random = seededRandom([...options.roomId].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7));
  }

  get connected(): boolean {
    return this.#nc !== undefined && !this.#nc.isClosed();
  }

  /** Connects and starts the room's traffic; rejects when the first connect fails. */
  async start(): Promise<void> {
    await this.#connect();
    this.#running = true;
    this.#every(
      () => nextDelay(this.options.mix.telemetryIntervalMs, this.options.mix.jitter, this.#random),
      () => this.#telemetry(),
      this.#random() * this.options.mix.telemetryIntervalMs,
    );
    this.#every(
      () => this.options.mix.stateHeartbeatMs,
      () => this.#state(),
      this.#random() * this.options.mix.stateHeartbeatMs,
    );
    this.#scheduleEvent();
  }

  async #connect(): Promise<void> {
    const { roomId, seedFile, servers, caFile, counters } = this.options;
    const nc = await connectRoom({
      servers,
      credential: { roomId, user: await readUserCredential(seedFile) },
      caFile,
      options: {
        timeout: 10_000,
        reconnect: true,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 1000,
        reconnectJitter: 500,
        pingInterval: 20_000,
        maxPingOut: 2,
      },
    });
    this.#nc = nc;
    this.#publisher = new RoomPublisher(nc, roomId);
    serveCommands(
      nc,
      roomId,
      simulatedCommandHandlers(() => counters.commandsAnswered++),
    );
    void (async () => {
      for await (const status of nc.status()) if (status.type === 'disconnect') counters.disconnects++;
    })();
  }

  /** A new event now, queued behind any not yet acknowledged (the outbox sends one at a time). */
  queueEvent(): void {
    this.#queue.push(++this.#eventSeq);
    this.#sending ??= this.#send().finally(() => (this.#sending = undefined));
  }

  /**
   * The end of an outage: `stored` events the stream already has (their acks were lost) and `pending`
   * new ones, published again from the first, in order, on a fresh connection. Resolves when all are acknowledged.
   */
  async replayBacklog(stored: number, pending: number): Promise<{ acked: number; duplicates: number }> {
    const first = this.#eventSeq - stored + 1;
    this.#eventSeq += pending;
    await this.#nc?.close();
    await this.#connect();
    let duplicates = 0;
    let acked = 0;
    for (let seq = Math.max(first, 1); seq <= this.#eventSeq; ) {
      try {
        const ack = await this.#publisher!.event(
          roomEvent(seq, new Date(), this.#random),
          this.options.ackTimeoutMs ?? 5000,
        );
        if (ack.duplicate) duplicates++;
        acked++;
        seq++;
      } catch {
        this.options.counters.eventFailures++;
      }
    }
    return { acked, duplicates };
  }

  /** Publishes `count` events now and waits for every ack (what is stored before an outage). */
  async publishNow(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const seq = ++this.#eventSeq;
      await this.#publisher!.event(roomEvent(seq, new Date(), this.#random), this.options.ackTimeoutMs ?? 5000);
    }
  }

  async stop(): Promise<void> {
    this.#running = false;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await this.#nc?.close().catch(() => undefined);
  }

  #every(delay: () => number, work: () => void, firstMs: number): void {
    const run = (ms: number) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        if (!this.#running) return;
        work();
        run(delay());
      }, ms);
      this.#timers.add(timer);
    };
    run(firstMs);
  }

  /** The event rate of the mix changed: the next event is drawn again at the new rate. */
  rescheduleEvents(): void {
    if (!this.#running) return;
    this.#scheduleEvent();
  }

  #scheduleEvent(): void {
    if (this.#eventTimer) {
      clearTimeout(this.#eventTimer);
      this.#timers.delete(this.#eventTimer);
      this.#eventTimer = undefined;
    }
    const ms = nextEventDelay(this.options.mix.eventsPerRoomPerDay, this.#random);
    if (!Number.isFinite(ms)) return;
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        this.#eventTimer = undefined;
        if (!this.#running) return;
        this.queueEvent();
        this.#scheduleEvent();
      },
      Math.min(ms, 2 ** 31 - 1),
    );
    this.#eventTimer = timer;
    this.#timers.add(timer);
  }

  #telemetry(): void {
    if (!this.connected) return;
    const now = Date.now();
    const full = now - this.#lastFullAt >= this.options.mix.fullSampleEveryMs;
    if (full) this.#lastFullAt = now;
    this.#publisher!.telemetry(telemetrySample(++this.#telemetrySeq, new Date(now), full, this.#random));
    this.options.counters.telemetrySent++;
  }

  #state(): void {
    if (!this.connected) return;
    const started = performance.now();
    this.#publisher!.state(roomState(new Date())).then(
      () => this.options.counters.stateAcks.push(performance.now() - started),
      () => undefined,
    );
  }

  async #send(): Promise<void> {
    const timeout = this.options.ackTimeoutMs ?? 5000;
    while (this.#queue.length > 0 && this.#running) {
      const seq = this.#queue[0]!;
      const started = performance.now();
      try {
        const ack = await this.#publisher!.event(roomEvent(seq, new Date(), this.#random), timeout);
        this.options.counters.eventAcks.push(performance.now() - started);
        if (ack.duplicate) this.options.counters.duplicates++;
        this.#queue.shift();
      } catch {
        // Counted at the timeout, so that a failure weighs in the percentiles; sent again, as the daemon does.
        this.options.counters.eventAcks.push(Math.max(timeout, performance.now() - started));
        this.options.counters.eventFailures++;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }
}
