import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { connectRoom, readUserCredential } from '../../../kiosk/fleet/nats/connection.js';
import { RoomPublisher } from '../../../kiosk/fleet/nats/publish.js';
import { initCentral } from '../central-dir.js';
import { startNatsServer } from '../nats-process.js';
import { addOperator } from './http/operators.js';
import { startMonitoring } from './service.js';
import { websocketUrl } from '../../../config/server-url.js';
import { prepareCentralStreams } from '../prepare-streams.js';
import { roomState } from '../loadgen-mix.js';

/**
 * First figures for the monitoring service on this machine (127.0.0.1, a temp folder): how fast
 * events go from rooms' publishes to the store, and what the dashboard's room list and /metrics cost
 * with many registered rooms (their states and telemetry written straight into the store).
 *
 *   node dist/scripts/central/monitoring/measure.js [--events 2000] [--rooms 2000]
 */
const { values } = parseArgs({
  options: { events: { type: 'string', default: '2000' }, rooms: { type: 'string', default: '2000' } },
});
const eventCount = Math.min(Number(values.events), 50_000);
const roomCount = Math.max(10, Math.min(Number(values.rooms), 20_000));

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const summary = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(1)} ms, p99 ${percentile(s, 99).toFixed(1)} ms (n=${s.length})`;
};

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'diemcau-monitoring-measure-'));
  let server: Awaited<ReturnType<typeof startNatsServer>> | undefined;
  try {
    const provinces = ['Hà Nội', 'Thừa Thiên Huế', 'Đà Nẵng', 'TP. Hồ Chí Minh', 'Cần Thơ'];
    const rooms = Array.from({ length: roomCount }, (_, i) => `room-${String(i + 1).padStart(5, '0')}`);
    const { layout } = await initCentral({
      dir,
      rooms,
      websocket: { host: '127.0.0.1', port: -1 },
      client: { host: '127.0.0.1', port: -1 },
      placement: Object.fromEntries(
        rooms.map((id, i) => [id, { province: provinces[i % provinces.length]!, district: `Quận ${(i % 12) + 1}` }]),
      ),
    });
    server = await startNatsServer({ configFile: layout.configFile, readyTimeoutMs: 60_000 });
    const url = websocketUrl('127.0.0.1', server.websocketPort);
    await prepareCentralStreams(layout, url);

    const monitoring = await startMonitoring({
      layout,
      servers: [url],
      dataDir: join(dir, 'monitoring'),
      http: { host: '127.0.0.1', port: 0 },
      logger: pino({ level: 'warn' }),
    });
    await addOperator(monitoring.store, 'giamsat', 'mật khẩu đo đạc 1');

    // Events: 10 rooms publishing in parallel, each waiting for its acks (what a daemon's outbox does).
    const publishers = await Promise.all(
      rooms.slice(0, 10).map(
        async (roomId) =>
          new RoomPublisher(
            await connectRoom({
              servers: url,
              credential: { roomId, user: await readUserCredential(layout.roomSeedFile(roomId)) },
              caFile: layout.caFile,
            }),
            roomId,
          ),
      ),
    );
    const started = performance.now();
    await Promise.all(
      publishers.map(async (publisher, p) => {
        for (let seq = 1; seq <= eventCount / publishers.length; seq++)
          await publisher.event({
            v: 1,
            seq,
            at: new Date().toISOString(),
            topic: 'disk',
            severity: 'info',
            data: { level: 'ok', room: p },
          });
      }),
    );
    const published = performance.now();
    const total = Math.floor(eventCount / publishers.length) * publishers.length;
    while ((await monitoring.store.eventKeys()).length < total) await new Promise((resolve) => setTimeout(resolve, 20));
    const stored = performance.now();

    // Many rooms: a state and a telemetry sample each, straight into the store.
    const now = new Date();
    for (const roomId of rooms) {
      await monitoring.store.putState(roomId, roomState(now), 1, Date.now());
      await monitoring.store.addTelemetry(
        roomId,
        {
          at: now.toISOString(),
          system: { uptimeS: 1, load1: 0.1, cpuPct: 12, cpuTempC: 48, memUsedPct: 40, memTotalMB: 4096 },
          disks: [{ mount: '/', sizeBytes: 100, usedBytes: 40 }],
        },
        1,
        Date.now(),
      );
    }
    const login = await fetch(`${monitoring.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'giamsat', password: 'mật khẩu đo đạc 1' }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const list: number[] = [];
    let listBytes = 0;
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      listBytes = (await (await fetch(`${monitoring.url}/api/rooms`, { headers: { cookie } })).arrayBuffer())
        .byteLength;
      list.push(performance.now() - t0);
    }
    const scrapes: number[] = [];
    let metricsBytes = 0;
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      metricsBytes = (
        await (
          await fetch(`${monitoring.url}/metrics`, { headers: { authorization: `Bearer ${monitoring.metricsToken}` } })
        ).arrayBuffer()
      ).byteLength;
      scrapes.push(performance.now() - t0);
    }
    const lines = [
      `events: ${total} from 10 rooms over wss, published (acked) in ${((published - started) / 1000).toFixed(1)} s, all stored ${((stored - started) / 1000).toFixed(1)} s after the first: ${Math.round(total / ((stored - started) / 1000))} events/s end to end`,
      `GET /api/rooms with ${roomCount} rooms: ${summary(list)}, ${(listBytes / 1024).toFixed(0)} KiB`,
      `GET /metrics with ${roomCount} rooms: ${summary(scrapes)}, ${(metricsBytes / 1024).toFixed(0)} KiB`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    await Promise.all(publishers.map((p) => (p as unknown as { nc: { close(): Promise<void> } }).nc.close()));
    await monitoring.close();
  } finally {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`measure: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
