import { parseArgs } from 'node:util';
import { initCentral, parseRoomOption } from './central-dir.js';
import { CLUSTER_REPLICAS, loopbackCluster, roomServerUrls, startCluster, type ClusterSpec } from './cluster.js';
import { startNatsServer } from './nats-process.js';
import { describeError } from '../../hal/core/describe-error.js';
import { websocketUrl } from '../../config/server-url.js';
import { prepareCentralStreams } from './prepare-streams.js';

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
  --cluster N        a JetStream cluster of N nodes (at least 3) on this machine, n1 … nN on 127.0.0.1
  --node NAME=HOST   a cluster node on its own machine, repeatable (at least 3); HOST must be a --tls-host
  --cluster-port P   the route port (default 6222); with --cluster the next nodes count up from it and from --ws-port
                     one config per node: nats-server-NAME.conf; streams and bucket are kept on 3 nodes
  --start            then run nats-server (every node of a cluster) in the foreground and create the streams (Ctrl-C stops it)
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
      cluster: { type: 'string' },
      node: { type: 'string', multiple: true },
      'cluster-port': { type: 'string' },
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
  if (!Number.isInteger(count) || count < 0 || count > 100_000)
    throw new Error(`--rooms ${values.rooms}: a number of rooms`);
  const named = values.room.map(parseRoomOption);
  const rooms = [
    ...Array.from({ length: count }, (_, i) => `room-${String(i + 1).padStart(3, '0')}`),
    ...named.map((r) => r.id),
  ];
  const placement = Object.fromEntries(named.map(({ id, ...place }) => [id, place]));
  const wsPort = values['ws-port'] === undefined ? undefined : Number(values['ws-port']);
  if (wsPort !== undefined && (!Number.isInteger(wsPort) || wsPort < -1 || wsPort > 65535))
    throw new Error(`--ws-port ${values['ws-port']}: a port`);

  const cluster = clusterOption(values.cluster, values.node, values['cluster-port'], wsPort);

  const { layout, registry, addedRooms, notary } = await initCentral({
    dir: values.dir,
    rooms,
    ...(values['ws-host'] !== undefined || wsPort !== undefined
      ? { websocket: { host: values['ws-host'] ?? '127.0.0.1', port: wsPort ?? 8443 } }
      : {}),
    ...(values['tls-host'] ? { tlsHosts: values['tls-host'] } : {}),
    renewCertificate: values['renew-cert'],
    placement,
    ...(cluster ? { cluster } : {}),
  });
  const lines = [
    `central folder   ${layout.dir}`,
    registry.cluster
      ? `cluster          ${registry.cluster.nodes.map((n) => `${n.name} wss://${n.host}:${n.websocketPort}`).join(', ')}: on each node's machine nats-server -c ${layout.nodeConfigFile('<node>')}`
      : `server config    ${layout.configFile}  (nats-server -c ${layout.configFile})`,
    ...(registry.cluster
      ? [`rooms list       fleet.servers = ${JSON.stringify(roomServerUrls(registry.cluster))}`]
      : []),
    `rooms            ${registry.rooms.length} registered${addedRooms.length ? `, ${addedRooms.length} new: ${summarise(addedRooms)}` : ''}`,
    registry.cluster
      ? `certificate for  ${registry.tlsHosts.join(', ')}`
      : `server listens   wss://${registry.websocket.host}:${registry.websocket.port}  (certificate for ${registry.tlsHosts.join(', ')})`,
    `give each room   its seed ${layout.roomSeedFile('<room-id>')} (secret, 0600) and the CA ${layout.caFile}`,
    `monitoring       ${layout.monitoringSeedFile}; set-up tools: ${layout.adminSeedFile}`,
    `notary key       ${notary.fingerprint}: every room's fleet.notaryKeys: ["${notary.publicKey}"] (also ${layout.notaryPublicKeyFile})`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (!values.start) return;
  if (registry.cluster) return runCluster(registry.cluster, layout);

  const server = await startNatsServer({ configFile: layout.configFile, echo: true });
  const url = websocketUrl(registry.websocket.host, server.websocketPort);
  await prepareCentralStreams(layout, url);
  process.stdout.write(`nats-server ${server.pid} ready on ${url}; streams and bucket in place. Ctrl-C stops it.\n`);
  const stop = () => void server.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = await server.exited;
  process.exitCode = code ?? 0;
}

/** `--cluster N` (this machine) or `--node NAME=HOST`… (one machine each); ports count up from the bases. */
function clusterOption(
  count: string | undefined,
  nodes: string[] | undefined,
  clusterPort: string | undefined,
  wsPort: number | undefined,
): ClusterSpec | undefined {
  if (count === undefined && !nodes?.length) return undefined;
  if (count !== undefined && nodes?.length) throw new Error('--cluster N and --node: one or the other');
  const ports = {
    websocket: wsPort === undefined || wsPort === -1 ? 8443 : wsPort,
    cluster: clusterPort === undefined ? 6222 : Number(clusterPort),
  };
  if (!Number.isInteger(ports.cluster) || ports.cluster < 1 || ports.cluster > 65535)
    throw new Error(`--cluster-port ${clusterPort}: a port`);
  if (count !== undefined) {
    const n = Number(count);
    if (!Number.isInteger(n) || n < CLUSTER_REPLICAS || n > 9)
      throw new Error(`--cluster ${count}: ${CLUSTER_REPLICAS} to 9 nodes`);
    return loopbackCluster(n, ports);
  }
  return {
    name: 'diemcau',
    nodes: nodes!.map((spec) => {
      const match = /^([a-z0-9][a-z0-9_-]{0,31})=(.+)$/.exec(spec);
      if (!match) throw new Error(`--node ${spec}: NAME=HOST`);
      // One machine per node: the same ports on each.
      return { name: match[1]!, host: match[2]!, websocketPort: ports.websocket, clusterPort: ports.cluster };
    }),
  };
}

async function runCluster(spec: ClusterSpec, layout: Awaited<ReturnType<typeof initCentral>>['layout']): Promise<void> {
  const cluster = await startCluster(spec, layout.nodeConfigFile);
  const servers = roomServerUrls(spec);
  await prepareCentralStreams(layout, servers, { replicas: CLUSTER_REPLICAS });
  process.stdout.write(
    `cluster ready: ${[...cluster.nodes].map(([name, s]) => `${name} (pid ${s.pid})`).join(', ')}; streams and bucket on ${CLUSTER_REPLICAS} nodes. Ctrl-C stops it.\n`,
  );
  const stop = () => void cluster.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await Promise.all([...cluster.nodes.values()].map((s) => s.exited));
}

function summarise(ids: readonly string[]): string {
  return ids.length <= 4 ? ids.join(', ') : `${ids.slice(0, 2).join(', ')} … ${ids.at(-1)}`;
}

main().catch((error: unknown) => {
  process.stderr.write(`central init: ${describeError(error)}\n`);
  process.exitCode = 1;
});
