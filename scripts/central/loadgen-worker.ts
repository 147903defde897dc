import { newCounters, type RoomCounters, SimulatedRoom } from './loadgen-room.js';
import type { TrafficMix } from './loadgen-mix.js';
import { describeError } from '../../hal/core/describe-error.js';

/**
 * One process of the load generator (forked by loadgen.ts): holds its share of the simulated rooms,
 * so that thousands of TLS websockets are spread over several event loops. Talks over the IPC channel.
 */

export type WorkerRequest =
  | {
      type: 'add';
      id: number;
      rooms: { roomId: string; seedFile: string }[];
      servers: string[];
      caFile: string;
      mix: TrafficMix;
      connectsPerSecond: number;
    }
  | { type: 'mix'; id: number; mix: Partial<TrafficMix> }
  | { type: 'collect'; id: number }
  | { type: 'publish'; id: number; count: number }
  | { type: 'backlog'; id: number; stored: number; pending: number }
  | { type: 'stop'; id: number };

export interface WorkerStats extends RoomCounters {
  rooms: number;
  connected: number;
  connectFailures: number;
  /** Connects that failed and were tried again (a room retries, as the daemon does). */
  connectRetries: number;
  /** The first few reasons a connect failed, for the report. */
  connectErrors: string[];
  /** This process: CPU seconds since the last collect, and resident memory. */
  cpuSeconds: number;
  rssBytes: number;
}

export type WorkerReply = { id: number; ok: true; result?: unknown } | { id: number; ok: false; error: string };

const rooms: SimulatedRoom[] = [];
let counters = newCounters();
let connectFailures = 0;
let connectRetries = 0;
const connectErrors = new Set<string>();
/** A daemon dials forever; a simulated room gives up after this many tries (about a minute of backoff), and counts as not held. */
const CONNECT_ATTEMPTS = 8;
let mix: TrafficMix | undefined;
let cpu = process.cpuUsage();

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.type) {
    case 'add': {
      // One mix object for every room of this process, so that a change reaches them all.
      if (mix) Object.assign(mix, request.mix);
      else mix = request.mix;
      // A gradual ramp: a province's rooms do not all dial in the same second, and a burst of TLS handshakes measures nothing useful.
      const gapMs = 1000 / request.connectsPerSecond;
      const started: Promise<void>[] = [];
      for (const [i, spec] of request.rooms.entries()) {
        const due = i * gapMs;
        started.push(
          new Promise<void>((resolve) => setTimeout(resolve, due)).then(async () => {
            const room = new SimulatedRoom({
              ...spec,
              servers: request.servers,
              caFile: request.caFile,
              mix: mix!,
              counters,
            });
            for (let attempt = 1; ; attempt++) {
              try {
                await room.start();
                rooms.push(room);
                return;
              } catch (error) {
                if (connectErrors.size < 5) connectErrors.add(describeError(error).slice(0, 200));
                if (attempt === CONNECT_ATTEMPTS) {
                  connectFailures++;
                  return;
                }
                connectRetries++;
                await new Promise((resolve) =>
                  setTimeout(resolve, Math.min(10_000, 500 * 2 ** attempt) + Math.random() * 1000),
                );
              }
            }
          }),
        );
      }
      await Promise.all(started);
      return { connected: rooms.length, connectFailures, connectRetries, connectErrors: [...connectErrors] };
    }
    case 'mix':
      // The rooms read the mix object they were given: changed in place.
      if (mix) Object.assign(mix, request.mix);
      if (request.mix.eventsPerRoomPerDay !== undefined) for (const room of rooms) room.rescheduleEvents();
      return undefined;
    case 'collect': {
      const usage = process.cpuUsage(cpu);
      cpu = process.cpuUsage();
      const stats: WorkerStats = {
        rooms: rooms.length,
        connected: rooms.filter((r) => r.connected).length,
        connectFailures,
        connectRetries,
        connectErrors: [...connectErrors],
        ...counters,
        cpuSeconds: (usage.user + usage.system) / 1e6,
        rssBytes: process.memoryUsage.rss(),
      };
      // The rooms keep the same counters object: emptied in place.
      Object.assign(counters, newCounters());
      return stats;
    }
    case 'publish':
      await Promise.all(rooms.map((room) => room.publishNow(request.count)));
      return undefined;
    case 'backlog': {
      const started = performance.now();
      const results = await Promise.all(rooms.map((room) => room.replayBacklog(request.stored, request.pending)));
      return {
        ms: performance.now() - started,
        acked: results.reduce((s, r) => s + r.acked, 0),
        duplicates: results.reduce((s, r) => s + r.duplicates, 0),
      };
    }
    case 'stop':
      await Promise.all(rooms.splice(0).map((room) => room.stop()));
      counters = newCounters();
      return undefined;
  }
}

process.on('message', (request: WorkerRequest) => {
  handle(request).then(
    (result) => process.send?.({ id: request.id, ok: true, result } satisfies WorkerReply),
    (error: unknown) =>
      process.send?.({ id: request.id, ok: false, error: describeError(error) } satisfies WorkerReply),
  );
});
process.on('disconnect', () => process.exit(0));
