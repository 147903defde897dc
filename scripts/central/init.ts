import { parseArgs } from 'node:util';
import { connectVerified, readUserCredential } from '../../kiosk/fleet/nats/connection.js';
import { initCentral, parseRoomOption } from './central-dir.js';
import { startNatsServer } from './nats-process.js';
import { ensureCentralStreams } from './streams.js';

const usage = `Sets up central monitoring's NATS server on this machine (dev and test; see scripts/central/README.md).

  node dist/scripts/central/init.js --dir DIR [--rooms N] [--room ID]... [options]

  --dir DIR          the central folder (created; run again to add rooms: existing keys stay)
  --rooms N          dev rooms room-001 … room-N
  --room ID[:PROVINCE[:DISTRICT]]
                     a room by its id (config room.id), repeatable; the simulation's is sim-room.
                     Province and district (tỉnh, huyện) are for the monitoring dashboard's filters,
                     e.g. --room "phong-ba-dinh:Hà Nội:Ba Đình"; given again, they replace the registered ones
  --ws-host HOST     where the wss listener binds (default 127.0.0.1; 0.0.0.0 for a LAN)
  --ws-port PORT     its port (default 8443; --ws-port=-1: any free port)
  --tls-host NAME    a name or address the server certificate must carry, repeatable
                     (default localhost, 127.0.0.1, ::1 and this machine's name)
  --renew-cert       issue a new server certificate from the existing CA (done anyway when the names change)
  --start            then run nats-server in the foreground and create the streams (Ctrl-C stops it)
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      rooms: { type: 'string' },
      room: { type: 'string', multiple: true, default: [] },
      'ws-host': { type: 'string' },
      'ws-port': { type: 'string' },
      'tls-host': { type: 'string', multiple: true },
      'renew-cert': { type: 'boolean', default: false },
      start: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || !values.dir) {
    process.stdout.write(usage);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const count = values.rooms === undefined ? 0 : Number(values.rooms);
  if (!Number.isInteger(count) || count < 0 || count > 100_000) throw new Error(`--rooms ${values.rooms}: a number of rooms`);
  const named = values.room.map(parseRoomOption);
  const rooms = [...Array.from({ length: count }, (_, i) => `room-${String(i + 1).padStart(3, '0')}`), ...named.map((r) => r.id)];
  const placement = Object.fromEntries(named.map(({ id, ...place }) => [id, place]));
  const wsPort = values['ws-port'] === undefined ? undefined : Number(values['ws-port']);
  if (wsPort !== undefined && (!Number.isInteger(wsPort) || wsPort < -1 || wsPort > 65535)) throw new Error(`--ws-port ${values['ws-port']}: a port`);

  const { layout, registry, addedRooms, notary } = await initCentral({
    dir: values.dir,
    rooms,
    ...(values['ws-host'] !== undefined || wsPort !== undefined ? { websocket: { host: values['ws-host'] ?? '127.0.0.1', port: wsPort ?? 8443 } } : {}),
    ...(values['tls-host'] ? { tlsHosts: values['tls-host'] } : {}),
    renewCertificate: values['renew-cert'],
    placement,
  });
  const lines = [
    `central folder   ${layout.dir}`,
    `server config    ${layout.configFile}  (nats-server -c ${layout.configFile})`,
    `rooms            ${registry.rooms.length} registered${addedRooms.length ? `, ${addedRooms.length} new: ${summarise(addedRooms)}` : ''}`,
    `server listens   wss://${registry.websocket.host}:${registry.websocket.port}  (certificate for ${registry.tlsHosts.join(', ')})`,
    `give each room   its seed ${layout.roomSeedFile('<room-id>')} (secret, 0600) and the CA ${layout.caFile}`,
    `monitoring       ${layout.monitoringSeedFile}; set-up tools: ${layout.adminSeedFile}`,
    `notary key       ${notary.fingerprint}: every room's fleet.notaryKeys: ["${notary.publicKey}"] (also ${layout.notaryPublicKeyFile})`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (!values.start) return;

  const server = await startNatsServer({ configFile: layout.configFile, echo: true });
  const url = `wss://${registry.websocket.host === '0.0.0.0' ? '127.0.0.1' : registry.websocket.host}:${server.websocketPort}`;
  const admin = await connectVerified({ servers: url, user: await readUserCredential(layout.adminSeedFile), caFile: layout.caFile });
  await ensureCentralStreams(admin);
  await admin.close();
  process.stdout.write(`nats-server ${server.pid} ready on ${url}; streams and bucket in place. Ctrl-C stops it.\n`);
  const stop = () => void server.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = await server.exited;
  process.exitCode = code ?? 0;
}

function summarise(ids: readonly string[]): string {
  return ids.length <= 4 ? ids.join(', ') : `${ids.slice(0, 2).join(', ')} … ${ids.at(-1)}`;
}

main().catch((error: unknown) => {
  process.stderr.write(`central init: ${(error as Error).message ?? error}\n`);
  process.exitCode = 1;
});
