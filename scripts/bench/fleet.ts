import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { pino } from 'pino';
import { connectVerified, readUserCredential } from '../../kiosk/fleet/nats/connection.js';
import { EVENTS_STREAM } from '../../kiosk/fleet/nats/subjects.js';
import { initCentral } from '../central/central-dir.js';
import type { CentralLayout } from '../../config/central-layout.js';
import { CLUSTER_REPLICAS, roomServerUrls, startCluster, type ClusterSpec } from '../central/cluster.js';
import { LoadGenerator, pingRooms } from '../central/loadgen.js';
import { summarise } from '../central/loadgen-mix.js';
import { startNatsServer } from '../central/nats-process.js';
import { startMonitoring } from '../central/monitoring/service.js';
import type { BenchFigure, BenchSuite } from './types.js';
import { freePort } from '../../tests/support/free-port.js';
import { prepareCentralStreams } from '../central/prepare-streams.js';

/**
 * Central monitoring under a province's or a nation's rooms, on this machine (everything on 127.0.0.1):
 *
 * - capacity: simulated rooms (scripts/central/loadgen.ts, each its own wss connection and nkey, one
 *   telemetry sample per 30 s) against one nats-server plus the monitoring service, stepped up until
 *   event acknowledgement p99 crosses 1 s or connections fail (the knee); the server's CPU and RSS at each step;
 * - backlog: 100 rooms back from a one-hour outage all at once, each replaying its outbox in order
 *   (a few events already stored whose acks were lost: the stream drops them as duplicates);
 * - peer: the same stress backlog into a three-node cluster (R3 stream), in the same run.
 *
 * Limits from the environment: FLEET_BENCH_STEPS (room counts, "1000,2500,…"), FLEET_BENCH_HOLD_S
 * (seconds measured at each step, 30), FLEET_BENCH_WORKERS (load generator processes, 2),
 * FLEET_BENCH_RAMP (connects per second, 150).
 */

/** What else runs on the central side during the capacity steps, given the running server(s). */
export type CentralServices = (central: {
  servers: string[];
  caFile: string;
  layout: CentralLayout;
}) => Promise<{ stop(): Promise<void> }>;

export interface CentralSide {
  servers: string[];
  layout: CentralLayout;
  /** The nats-server processes (one, or one per node). */
  pids: number[];
  stop(): Promise<void>;
}

const run = promisify(execFile);
const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const steps = env('FLEET_BENCH_STEPS', '1000,2500,5000,7500,10000,12500,15000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const holdMs = Number(env('FLEET_BENCH_HOLD_S', '30')) * 1000;
const workers = Number(env('FLEET_BENCH_WORKERS', '2'));
const rampPerSecond = Number(env('FLEET_BENCH_RAMP', '150'));
/** Events per second over all rooms while measuring acks: a real day's few per room would give too few samples for a p99. */
const probeEventsPerSecond = 20;
const ACK_TARGET_MS = 1000;

const makeBenchDir = (name: string) => mkdtemp(join(tmpdir(), `diemcau-bench-${name}-`));
const removeBenchDir = (dir: string) => rm(dir, { recursive: true, force: true });

const roomIds = (n: number) => Array.from({ length: n }, (_, i) => `room-${String(i + 1).padStart(5, '0')}`);

/**
 * The real monitoring service (scripts/central/monitoring) during the capacity steps: its durable
 * consumer stores every event, it records every room's telemetry and watches the KV bucket. Its
 * process is this one (the rooms are in the load generator's child processes).
 */
export const monitoringService: CentralServices = async ({ servers, layout }) => {
  const monitoring = await startMonitoring({
    layout,
    servers,
    dataDir: join(layout.dir, 'monitoring'),
    http: { host: '127.0.0.1', port: 0 },
    logger: pino({ level: 'warn' }),
  });
  return { stop: () => monitoring.close() };
};

/** One central nats-server (or a three-node cluster) with `rooms` registered, its streams in place. */
export async function startCentralSide(
  dir: string,
  rooms: readonly string[],
  cluster?: ClusterSpec,
): Promise<CentralSide> {
  const { layout } = await initCentral({
    dir,
    rooms,
    websocket: { host: '127.0.0.1', port: -1 },
    ...(cluster ? { cluster } : {}),
  });
  if (cluster) {
    const running = await startCluster(cluster, layout.nodeConfigFile, { readyTimeoutMs: 60_000 });
    const servers = roomServerUrls(cluster);
    await prepareCentralStreams(layout, servers, { replicas: CLUSTER_REPLICAS });
    return { servers, layout, pids: [...running.nodes.values()].map((s) => s.pid), stop: () => running.stop() };
  }
  const server = await startNatsServer({ configFile: layout.configFile, readyTimeoutMs: 60_000 });
  const servers = [`wss://127.0.0.1:${server.websocketPort}`];
  await prepareCentralStreams(layout, servers);
  return { servers, layout, pids: [server.pid], stop: () => server.stop() };
}

export function fleetBenchWith(centralServices: CentralServices = monitoringService): BenchSuite {
  return {
    name: 'fleet',
    async run(): Promise<BenchFigure[]> {
      // The device's side first (a quiet machine): its idle bytes on the wire, CPU and RSS; then central's.
      // FLEET_BENCH_PARTS=link,capacity,backlog (the default: all three) runs some of them.
      const parts = new Set(env('FLEET_BENCH_PARTS', 'link,capacity,backlog').split(','));
      return [
        ...(parts.has('link') ? await fleetLinkInItsOwnProcess() : []),
        ...(parts.has('capacity') ? await capacity(centralServices) : []),
        ...(parts.has('backlog') ? await backlogs() : []),
      ];
    },
  };
}

export const fleetBench: BenchSuite = fleetBenchWith();

async function capacity(centralServices: CentralServices): Promise<BenchFigure[]> {
  const dir = await makeBenchDir('fleet-capacity');
  const rooms = roomIds(Math.max(...steps));
  const initStarted = performance.now();
  const central = await startCentralSide(dir, rooms);
  process.stderr.write(
    `fleet: ${rooms.length} rooms registered, server up in ${((performance.now() - initStarted) / 1000).toFixed(1)} s\n`,
  );
  const services = await centralServices({
    servers: central.servers,
    caFile: central.layout.caFile,
    layout: central.layout,
  });
  const load = new LoadGenerator({
    servers: central.servers,
    caFile: central.layout.caFile,
    seedFile: central.layout.roomSeedFile,
    workers,
  });
  const monitoring = await connectVerified({
    servers: central.servers,
    user: await readUserCredential(central.layout.monitoringSeedFile),
    caFile: central.layout.caFile,
  });
  const figures: BenchFigure[] = [];
  let held = 0;
  let knee: string | undefined;
  try {
    for (const count of steps) {
      const ramp = await load.add(rooms.slice(load.rooms, count), rampPerSecond);
      await load.setMix({ eventsPerRoomPerDay: Math.max(6, (probeEventsPerSecond * 86_400) / count) });
      // Discard the ramp's figures: what is measured is the rooms held, not their arrival.
      await new Promise((resolve) => setTimeout(resolve, 5000));
      await load.collect();
      const cpuBefore = await cpuSeconds(central.pids[0]!);
      const pings = await pingRooms(monitoring, rooms.slice(0, count), 10, holdMs);
      const stats = await load.collect();
      const serverCpuPct = (((await cpuSeconds(central.pids[0]!)) - cpuBefore) / (holdMs / 1000)) * 100;
      const rssMB = (await rssBytes(central.pids[0]!)) / 2 ** 20;
      const events = summarise(stats.eventAcks);
      const states = summarise(stats.stateAcks);
      const ping = summarise(pings.rtts);
      const generatorCpuPct = (stats.workers.reduce((s, w) => s + w.cpuSeconds, 0) / (holdMs / 1000)) * 100;
      const generatorRssMB = stats.workers.reduce((s, w) => s + w.rssBytes, 0) / 2 ** 20;
      process.stderr.write(
        `fleet: ${count} rooms: connected ${stats.connected} (${ramp.connectRetries} connects retried, ${ramp.connectFailures} rooms failed to connect${ramp.connectErrors.length ? `: ${ramp.connectErrors.join('; ')}` : ''}; ${stats.disconnects} disconnects); event ack p50 ${events.p50.toFixed(1)} p99 ${events.p99.toFixed(1)} ms (n=${events.n}, ${stats.eventFailures} failed); state p99 ${states.p99.toFixed(1)} ms; ping p99 ${ping.p99.toFixed(1)} ms (${pings.failures} failed); nats-server ${serverCpuPct.toFixed(0)} % CPU, ${rssMB.toFixed(0)} MB; generator ${generatorCpuPct.toFixed(0)} % CPU, ${generatorRssMB.toFixed(0)} MB\n`,
      );
      figures.push(
        {
          name: `${count} rooms: event publish→ack p99`,
          value: events.p99,
          unit: 'ms',
          target: `< ${ACK_TARGET_MS} ms`,
        },
        { name: `${count} rooms: event publish→ack p50`, value: events.p50, unit: 'ms' },
        { name: `${count} rooms: command (ping) round trip p99`, value: ping.p99, unit: 'ms' },
        { name: `${count} rooms: state KV put p99`, value: states.p99, unit: 'ms' },
        { name: `${count} rooms: nats-server CPU`, value: serverCpuPct, unit: '% of one core' },
        { name: `${count} rooms: nats-server RSS`, value: rssMB, unit: 'MB' },
        {
          name: `${count} rooms: load generator CPU (${workers} processes)`,
          value: generatorCpuPct,
          unit: '% of one core',
        },
        { name: `${count} rooms: load generator RSS`, value: generatorRssMB, unit: 'MB' },
      );
      const failed = ramp.connectFailures > 0 || stats.connected < count || pings.failures > 0;
      if (events.p99 >= ACK_TARGET_MS || failed) {
        knee = failed
          ? `connections failed at ${count} rooms (${ramp.connectFailures} failed to connect, ${count - stats.connected} not connected, ${pings.failures} pings failed)`
          : `p99 ${events.p99.toFixed(0)} ms at ${count} rooms`;
        break;
      }
      held = count;
    }
  } finally {
    await monitoring.close().catch(() => undefined);
    await load.stop();
    await services.stop().catch(() => undefined);
    await central.stop();
    await removeBenchDir(dir);
  }
  process.stderr.write(`fleet: knee: ${knee ?? `not reached by ${steps.at(-1)} rooms`}\n`);
  return [
    {
      name: `rooms held by one nats-server with event ack p99 < 1 s, telemetry every 30 s${knee ? ` (knee: ${knee})` : ` (no knee up to ${steps.at(-1)}: the steps stopped there)`}`,
      value: held,
      unit: 'rooms',
      target: '≥ 10000',
    },
    ...figures,
  ];
}

/** 100 rooms, each `pending` events queued during an outage plus `stored` already in the stream, all back at once. */
async function backlog(
  label: string,
  pending: number,
  stored: number,
  cluster?: ClusterSpec,
): Promise<{ figures: BenchFigure[]; rate: number }> {
  const dir = await makeBenchDir('fleet-backlog');
  const rooms = roomIds(100);
  const central = await startCentralSide(dir, rooms, cluster);
  const load = new LoadGenerator({
    servers: central.servers,
    caFile: central.layout.caFile,
    seedFile: central.layout.roomSeedFile,
    workers,
    mix: { eventsPerRoomPerDay: 0 },
  });
  try {
    const up = await load.add(rooms, rampPerSecond);
    if (up.connectFailures > 0) throw new Error(`${up.connectFailures} rooms could not connect`);
    await load.publishNow(stored);
    const result = await load.backlog(stored, pending);
    const admin = await connectVerified({
      servers: central.servers,
      user: await readUserCredential(central.layout.adminSeedFile),
      caFile: central.layout.caFile,
    });
    const inStream = (await (await jetstreamManager(admin)).streams.info(EVENTS_STREAM)).state.messages;
    await admin.close();
    const expected = rooms.length * (stored + pending);
    if (inStream !== expected) throw new Error(`${label}: ${inStream} events in the stream, expected ${expected}`);
    const rate = result.acked / (result.ms / 1000);
    process.stderr.write(
      `fleet: backlog ${label}: ${result.acked} published (${result.duplicates} duplicates dropped) in ${(result.ms / 1000).toFixed(1)} s, ${rate.toFixed(0)} events/s; ${inStream} in the stream\n`,
    );
    return {
      rate,
      figures: [
        { name: `backlog ${label}: drain rate`, value: rate, unit: 'events/s' },
        { name: `backlog ${label}: time to drain (reconnect included)`, value: result.ms / 1000, unit: 's' },
        {
          name: `backlog ${label}: duplicates dropped by the stream`,
          value: result.duplicates,
          unit: `of ${rooms.length * stored} replayed`,
        },
      ],
    };
  } finally {
    await load.stop();
    await central.stop();
    await removeBenchDir(dir);
  }
}

async function backlogs(): Promise<BenchFigure[]> {
  // A heavy day's hour: two sessions (live, ending, closed), two readiness runs and alerts: 30 events. The stress case: 1,000 each.
  const realistic = await backlog('100 rooms × 30 events (a heavy-day hour), 2 already stored each', 30, 2);
  const stress = await backlog('100 rooms × 1000 events, 10 already stored each', 1000, 10);
  const ports = await Promise.all(Array.from({ length: 6 }, () => freePort()));
  const spec: ClusterSpec = {
    name: 'bench',
    nodes: [0, 1, 2].map((i) => ({
      name: `n${i + 1}`,
      host: '127.0.0.1',
      websocketPort: ports[i]!,
      clusterPort: ports[i + 3]!,
    })),
  };
  const clustered = await backlog('100 rooms × 1000 events into a 3-node cluster (R3)', 1000, 10, spec);
  const [first, ...rest] = stress.figures;
  return [
    ...realistic.figures,
    {
      ...first!,
      ratio: {
        peer: 'the same backlog into a 3-node cluster, stream on 3 replicas',
        value: stress.rate / clustered.rate,
      },
    },
    ...rest,
    ...clustered.figures,
  ];
}

async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime, fields 14 and 15 of the whole line, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) * 1024;
}

/**
 * The device's side (fleet-link.ts) in a process of its own, as a room runs apart from central. Run
 * in this process, the capacity step after it stalled: its initCentral stopped writing room seeds
 * after 101 files, with this process idle (0 CPU) and no child left; a fresh process never did.
 */
async function fleetLinkInItsOwnProcess(): Promise<BenchFigure[]> {
  const script = fileURLToPath(new URL('./fleet-link.js', import.meta.url));
  const { stdout } = await run(process.execPath, [script, '--json'], { maxBuffer: 1 << 20, timeout: 30 * 60_000 });
  const line = stdout.trim().split('\n').at(-1) ?? '[]';
  return JSON.parse(line) as BenchFigure[];
}
