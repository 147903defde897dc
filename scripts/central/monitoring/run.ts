import { access } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { initCentral, parseRoomOption, readCentralRegistry } from '../central-dir.js';
import { centralLayout } from '../../../config/central-layout.js';
import { startNatsServer } from '../nats-process.js';
import { ensureFirstOperator } from './http/operators.js';
import { startMonitoring } from './service.js';
import type { NatsConnection } from '@nats-io/nats-core';
import { loadNotaryKey, serveNotary } from '../notary.js';
import { describeError } from '../../../hal/core/describe-error.js';
import { websocketUrl } from '../../../config/server-url.js';
import { prepareCentralStreams } from '../prepare-streams.js';

const usage = `Central monitoring on this machine, in one command (npm run central): creates the central folder
if missing (with the simulation's room sim-room), runs nats-server, creates the stream and bucket,
and serves the monitoring dashboard. Ctrl-C stops everything.

  npm run central -- [--dir ./central] [--host 127.0.0.1] [--port 8090] [--room ID[:PROVINCE[:DISTRICT]]]...

  --dir DIR     the central folder (default ./central); the dashboard's data is DIR/monitoring
  --host HOST   where the dashboard listens (default 127.0.0.1; 0.0.0.0 for a LAN)
  --port PORT   its port (default 8090)
  --host-name NAME  a DNS name the dashboard is reached by, repeatable (IP addresses, localhost and this
                machine's name always work; other names are refused, against DNS rebinding)
  --room …      rooms for a new folder besides sim-room (see scripts/central/init.js --help)
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', default: './central' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8090' },
      room: { type: 'string', multiple: true, default: [] },
      'host-name': { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void process.stdout.write(usage);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${values.port}: a port`);

  const layout = centralLayout(values.dir);
  const isNew = !(await access(layout.registryFile).then(
    () => true,
    () => false,
  ));
  if (isNew) {
    const named = [parseRoomOption('sim-room:Mô phỏng:Phòng thử nghiệm'), ...values.room.map(parseRoomOption)];
    await initCentral({
      dir: values.dir,
      rooms: named.map((r) => r.id),
      placement: Object.fromEntries(named.map(({ id, ...place }) => [id, place])),
    });
  }
  const registry = (await readCentralRegistry(layout))!;

  const server = await startNatsServer({ configFile: layout.configFile });
  const url = websocketUrl(registry.websocket.host, server.websocketPort);
  await prepareCentralStreams(layout, url);

  const dataDir = join(layout.dir, 'monitoring');
  // The notary signs the rooms' evidence anchors (kiosk/evidence/ANCHORING.md) on the monitoring connection.
  const notaryKey = await loadNotaryKey(layout.notaryKeyFile).catch(() => undefined);
  if (!notaryKey)
    process.stderr.write(
      `no notary key at ${layout.notaryKeyFile}: anchor receipts are not signed (node dist/scripts/central/init.js --dir ${values.dir} makes one)\n`,
    );
  const extraResponders = notaryKey ? [(nc: NatsConnection) => serveNotary(nc, { notaryKey })] : [];
  const monitoring = await startMonitoring({
    layout,
    servers: [url],
    dataDir,
    extraResponders,
    http: { host: values.host, port, hostNames: ['localhost', hostname(), ...values['host-name']] },
  }).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  const first = await ensureFirstOperator(monitoring.store);
  const shown = relative(process.cwd(), layout.dir) || '.';
  const lines = [
    '',
    `Điểm Cầu — central monitoring${isNew ? ` (new folder ${shown})` : ''}`,
    `  nats-server     ${url}  (pid ${server.pid}; ${registry.rooms.length} ${registry.rooms.length === 1 ? 'room' : 'rooms'} registered)`,
    `  dashboard       ${monitoring.url}`,
    first
      ? `  login           ${first.username} / ${first.password}   (shown once: note it now; more operators: node dist/scripts/central/monitoring/operators.js --help)`
      : `  login           an operator of ${join(shown, 'monitoring')} (node dist/scripts/central/monitoring/operators.js --help)`,
    `  /metrics        Authorization: Bearer <${join(shown, 'monitoring', 'metrics.token')}>`,
    `  report a room   npm start -- --central ${shown}     (in another terminal: the simulated room sim-room)`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  // Ctrl-C reaches nats-server too (one process group): the service's connection then has no server
  // to drain to, so the stop is bounded, and a second Ctrl-C ends it at once.
  const stop = async () => {
    if (stopping) {
      process.stderr.write('central: stopped without waiting\n');
      process.exit(130);
    }
    stopping = true;
    const deadline = setTimeout(() => {
      process.stderr.write('central: the monitoring service did not stop within 5 s; exiting\n');
      process.exit(1);
    }, 5000);
    await monitoring.close().catch((error: unknown) => process.stderr.write(`central: ${describeError(error)}\n`));
    await server.stop();
    clearTimeout(deadline);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  const code = await server.exited;
  if (!stopping) {
    process.stderr.write(`nats-server exited (${code}):\n${server.output().slice(-2000)}\n`);
    await monitoring.close();
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`central: ${describeError(error)}\n`);
  process.exitCode = 1;
});
