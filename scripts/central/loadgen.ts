import { fork, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { NatsConnection } from '@nats-io/nats-core';
import { connectVerified, readUserCredential } from '../../kiosk/fleet/nats/connection.js';
import { centralLayout } from '../../config/central-layout.js';
import { roomServerUrls } from './cluster.js';
import { sendCommand } from './commands.js';
import { realisticMix, summarise, type TrafficMix } from './loadgen-mix.js';
import type { WorkerReply, WorkerRequest, WorkerStats } from './loadgen-worker.js';
import { websocketUrl } from '../../config/server-url.js';

/**
 * The load generator: N simulated rooms against a central server or cluster, each its own wss
 * connection with its own nkey (from `initCentral`'s registry), with a real room's traffic
 * (loadgen-mix.ts). The rooms are spread over several worker processes: one Node event loop spends
 * most of its time in TLS and websocket framing well before 10,000 connections.
 *
 *   node dist/scripts/central/loadgen.js --dir CENTRAL --rooms 1000 [--workers 2] [--ramp 200] [--seconds 120]
 */

export interface LoadOptions {
  servers: string[];
  caFile: string;
  /** Seed file of a room (the central folder's `credentials/rooms/<id>.nk`). */
  seedFile: (roomId: string) => string;
  workers?: number;
  mix?: Partial<TrafficMix>;
}

/** Everything the rooms did since the last `collect`, over every worker. */
export interface LoadStats extends Omit<WorkerStats, 'cpuSeconds' | 'rssBytes'> {
  workers: { cpuSeconds: number; rssBytes: number }[];
}

const workerFile = fileURLToPath(new URL('./loadgen-worker.js', import.meta.url));

export class LoadGenerator {
  readonly #workers: ChildProcess[];
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  readonly #mix: TrafficMix;
  #nextId = 1;
  #rooms = 0;

  constructor(private readonly options: LoadOptions) {
    this.#mix = { ...realisticMix, ...options.mix };
    this.#workers = Array.from({ length: Math.max(1, options.workers ?? 2) }, () => {
      const child = fork(workerFile, [], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        execArgv: ['--max-old-space-size=4096'],
      });
      child.on('message', (reply: WorkerReply) => {
        const waiting = this.#pending.get(reply.id);
        if (!waiting) return;
        this.#pending.delete(reply.id);
        if (reply.ok) waiting.resolve(reply.result);
        else waiting.reject(new Error(reply.error));
      });
      child.once('exit', (code) => {
        for (const [id, waiting] of this.#pending) {
          this.#pending.delete(id);
          waiting.reject(new Error(`load generator worker exited (${code})`));
        }
      });
      return child;
    });
  }

  get rooms(): number {
    return this.#rooms;
  }

  /** Connects these rooms too, `connectsPerSecond` in all, spread over the workers; resolves when every one has connected or failed. */
  async add(
    roomIds: readonly string[],
    connectsPerSecond = 200,
  ): Promise<{ connected: number; connectFailures: number; connectRetries: number; connectErrors: string[] }> {
    const shares = this.#workers.map(() => [] as { roomId: string; seedFile: string }[]);
    for (const [i, roomId] of roomIds.entries())
      shares[(this.#rooms + i) % shares.length]!.push({ roomId, seedFile: this.options.seedFile(roomId) });
    this.#rooms += roomIds.length;
    const perWorker = connectsPerSecond / this.#workers.length;
    const results = (await Promise.all(
      this.#workers.map((worker, i) =>
        this.#ask(worker, {
          type: 'add',
          id: 0,
          rooms: shares[i]!,
          servers: this.options.servers,
          caFile: this.options.caFile,
          mix: this.#mix,
          connectsPerSecond: perWorker,
        }),
      ),
    )) as { connected: number; connectFailures: number; connectRetries: number; connectErrors: string[] }[];
    return {
      connected: results.reduce((s, r) => s + r.connected, 0),
      connectFailures: results.reduce((s, r) => s + r.connectFailures, 0),
      connectRetries: results.reduce((s, r) => s + r.connectRetries, 0),
      connectErrors: [...new Set(results.flatMap((r) => r.connectErrors))],
    };
  }

  /** Changes the traffic of every room from now on (e.g. more events per room to measure acks at a small room count). */
  async setMix(mix: Partial<TrafficMix>): Promise<void> {
    Object.assign(this.#mix, mix);
    await Promise.all(this.#workers.map((worker) => this.#ask(worker, { type: 'mix', id: 0, mix })));
  }

  async collect(): Promise<LoadStats> {
    const all = (await Promise.all(
      this.#workers.map((worker) => this.#ask(worker, { type: 'collect', id: 0 })),
    )) as WorkerStats[];
    const sum = (key: keyof WorkerStats) => all.reduce((s, w) => s + (w[key] as number), 0);
    return {
      rooms: sum('rooms'),
      connected: sum('connected'),
      connectFailures: sum('connectFailures'),
      connectRetries: sum('connectRetries'),
      connectErrors: [...new Set(all.flatMap((w) => w.connectErrors))],
      eventAcks: all.flatMap((w) => w.eventAcks),
      stateAcks: all.flatMap((w) => w.stateAcks),
      eventFailures: sum('eventFailures'),
      duplicates: sum('duplicates'),
      telemetrySent: sum('telemetrySent'),
      commandsAnswered: sum('commandsAnswered'),
      disconnects: sum('disconnects'),
      workers: all.map((w) => ({ cpuSeconds: w.cpuSeconds, rssBytes: w.rssBytes })),
    };
  }

  /** Every room publishes `count` events now and waits for their acks. */
  async publishNow(count: number): Promise<void> {
    await Promise.all(this.#workers.map((worker) => this.#ask(worker, { type: 'publish', id: 0, count })));
  }

  /**
   * An outage ends: every room reconnects at once and replays its outbox, the last `stored` events
   * (already in the stream, their acks lost) and `pending` new ones, one at a time in order.
   */
  async backlog(stored: number, pending: number): Promise<{ ms: number; acked: number; duplicates: number }> {
    const started = performance.now();
    const results = (await Promise.all(
      this.#workers.map((worker) => this.#ask(worker, { type: 'backlog', id: 0, stored, pending })),
    )) as { acked: number; duplicates: number }[];
    return {
      ms: performance.now() - started,
      acked: results.reduce((s, r) => s + r.acked, 0),
      duplicates: results.reduce((s, r) => s + r.duplicates, 0),
    };
  }

  async stop(): Promise<void> {
    await Promise.all(this.#workers.map((worker) => this.#ask(worker, { type: 'stop', id: 0 }).catch(() => undefined)));
    for (const worker of this.#workers) worker.disconnect();
  }

  #ask(worker: ChildProcess, request: WorkerRequest): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.send({ ...request, id });
    });
  }
}

/** Central monitoring's side of commands: `perSecond` pings to rooms picked in turn, for `durationMs`; the round trips in ms and the failures. */
export async function pingRooms(
  nc: NatsConnection,
  roomIds: readonly string[],
  perSecond: number,
  durationMs: number,
): Promise<{ rtts: number[]; failures: number }> {
  const rtts: number[] = [];
  let failures = 0;
  const inFlight: Promise<void>[] = [];
  const until = Date.now() + durationMs;
  for (let i = 0; Date.now() < until && roomIds.length > 0; i++) {
    const roomId = roomIds[(i * 7919) % roomIds.length]!;
    const started = performance.now();
    inFlight.push(
      sendCommand(nc, roomId, 'ping', {}, 5000).then(
        (reply) => void (reply.ok ? rtts.push(performance.now() - started) : failures++),
        () => void failures++,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond));
  }
  await Promise.all(inFlight);
  return { rtts, failures };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      rooms: { type: 'string', default: '100' },
      workers: { type: 'string', default: '2' },
      ramp: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '120' },
      'events-per-day': { type: 'string', default: String(realisticMix.eventsPerRoomPerDay) },
      'pings-per-second': { type: 'string', default: '5' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.dir) {
    process.stdout.write(`Simulates rooms against a running central server or cluster (scripts/central/README.md, "Load generator").

  node dist/scripts/central/loadgen.js --dir CENTRAL [--rooms N] [--workers K] [--ramp CONNECTS/S] [--seconds S]
                                       [--events-per-day E] [--pings-per-second P]

  Rooms are the first N of CENTRAL/central.json (init --rooms N made them); the servers are its
  listener or every node of its cluster. Prints event acks, state acks and ping round trips every 10 s.
`);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const layout = centralLayout(values.dir);
  const registry = JSON.parse(await readFile(layout.registryFile, 'utf8')) as {
    rooms: { id: string }[];
    websocket: { host: string; port: number };
    cluster?: Parameters<typeof roomServerUrls>[0];
  };
  const servers = registry.cluster
    ? roomServerUrls(registry.cluster)
    : [websocketUrl(registry.websocket.host, registry.websocket.port)];
  const roomIds = registry.rooms.slice(0, Number(values.rooms)).map((r) => r.id);
  const load = new LoadGenerator({
    servers,
    caFile: layout.caFile,
    seedFile: layout.roomSeedFile,
    workers: Number(values.workers),
    mix: { eventsPerRoomPerDay: Number(values['events-per-day']) },
  });
  const monitoring = await connectVerified({
    servers,
    user: await readUserCredential(layout.monitoringSeedFile),
    caFile: layout.caFile,
  });
  try {
    const ramp = await load.add(roomIds, Number(values.ramp));
    process.stdout.write(
      `${ramp.connected} rooms connected, ${ramp.connectRetries} connects retried, ${ramp.connectFailures} rooms failed${ramp.connectErrors.length ? ` (${ramp.connectErrors.join('; ')})` : ''}\n`,
    );
    const until = Date.now() + Number(values.seconds) * 1000;
    while (Date.now() < until) {
      const pings = await pingRooms(monitoring, roomIds, Number(values['pings-per-second']), 10_000);
      const stats = await load.collect();
      const f = (s: ReturnType<typeof summarise>) => `p50 ${s.p50.toFixed(1)} p99 ${s.p99.toFixed(1)} ms (n=${s.n})`;
      process.stdout.write(
        `connected ${stats.connected}/${stats.rooms}; events ${f(summarise(stats.eventAcks))}, ${stats.eventFailures} failed; state ${f(summarise(stats.stateAcks))}; ping ${f(summarise(pings.rtts))}, ${pings.failures} failed; telemetry ${stats.telemetrySent}; generator RSS ${stats.workers.map((w) => `${Math.round(w.rssBytes / 2 ** 20)} MB`).join(' + ')}\n`,
      );
    }
  } finally {
    await monitoring.close();
    await load.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    process.stderr.write(`loadgen: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 1;
  });
}
