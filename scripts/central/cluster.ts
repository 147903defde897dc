import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstreamManager } from '@nats-io/jetstream';
import { startNatsServer, type RunningNatsServer } from './nats-process.js';
import { describeError } from '../../hal/core/describe-error.js';
import { urlHost, websocketUrl } from '../../config/server-url.js';

/**
 * A JetStream cluster of central servers (a province's or the nation's): every node has the same
 * users, TLS and account, its own JetStream store, its own websocket listener, and routes to the
 * others. Streams and the bucket are replicated on three nodes (`streams.ts`), so one node may die.
 *
 * What a node announces to clients: its own `wss://<host>:<websocketPort>` (`websocket.advertise`),
 * i.e. the name rooms dial and the certificate carries. That passes the room's check of every
 * announced server (`kiosk/fleet/nats/connection.ts`), and a room learns of a node added later; the
 * room's `fleet.servers` still lists every node, so it does not depend on announcements to fail over.
 */

export interface ClusterNode {
  /** The node's server_name (unique in the cluster; also its JetStream identity). */
  name: string;
  /** The name or address rooms dial and peers route to; on the server certificate. */
  host: string;
  websocketPort: number;
  clusterPort: number;
  /** nats-server's /varz, /connz on loopback (tests and the bench read them). */
  httpPort?: number;
}

export interface ClusterSpec {
  name: string;
  nodes: readonly ClusterNode[];
}

/** JetStream replicates on this many nodes when clustered: a majority survives one node lost. */
export const CLUSTER_REPLICAS = 3;

const NODE_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** Checks a node list: unique names, unique listeners per host, at least three nodes (an R3 stream needs three). Pure. */
export function checkClusterSpec(spec: ClusterSpec): void {
  if (spec.nodes.length < CLUSTER_REPLICAS)
    throw new Error(
      `a cluster needs at least ${CLUSTER_REPLICAS} nodes (streams are kept on ${CLUSTER_REPLICAS}), not ${spec.nodes.length}`,
    );
  const names = new Set<string>();
  const listeners = new Set<string>();
  for (const node of spec.nodes) {
    if (!NODE_NAME.test(node.name))
      throw new Error(`cluster node ${JSON.stringify(node.name)}: lower-case letters, digits, _ and -, at most 32`);
    if (names.has(node.name)) throw new Error(`cluster node ${node.name} is listed twice`);
    names.add(node.name);
    for (const port of [
      node.websocketPort,
      node.clusterPort,
      ...(node.httpPort === undefined ? [] : [node.httpPort]),
    ]) {
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new Error(`cluster node ${node.name}: port ${port} is not a fixed port (peers and rooms must know it)`);
      const listener = `${node.host}:${port}`;
      if (listeners.has(listener)) throw new Error(`cluster node ${node.name}: ${listener} is used twice`);
      listeners.add(listener);
    }
  }
}

/** `count` nodes on this machine (n1 … nN), ports counted up from the bases: for tests, the bench and a dev cluster. Pure. */
export function loopbackCluster(
  count: number,
  ports: { websocket: number; cluster: number; http?: number },
  name = 'diemcau',
): ClusterSpec {
  return {
    name,
    nodes: Array.from({ length: count }, (_, i) => ({
      name: `n${i + 1}`,
      host: '127.0.0.1',
      websocketPort: ports.websocket + i,
      clusterPort: ports.cluster + i,
      ...(ports.http === undefined ? {} : { httpPort: ports.http + i }),
    })),
  };
}

/** The rooms' `fleet.servers` for a cluster: every node, so a room fails over without waiting for an announcement. Pure. */
export function roomServerUrls(spec: ClusterSpec): string[] {
  return spec.nodes.map((node) => websocketUrl(node.host, node.websocketPort));
}

/** The route listeners of every node but `node`. Pure. */
export function peersOf(spec: ClusterSpec, node: ClusterNode): string[] {
  return spec.nodes.filter((n) => n.name !== node.name).map((n) => `${urlHost(n.host)}:${n.clusterPort}`);
}

/** The route password shared by the nodes: made once, 0600, kept beside the seeds. */
export async function routePassword(file: string): Promise<string> {
  const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing !== undefined) return existing.trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  return password;
}

export interface RunningCluster {
  nodes: Map<string, RunningNatsServer>;
  /** Starts a node that is not running (again, on its own store: it catches up from the others). */
  start(name: string): Promise<RunningNatsServer>;
  /** SIGKILL, no goodbye to the peers: what a power cut does. */
  kill(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts every node of a cluster from its config file (`nodeConfigFile`), all at once (each keeps dialling its peers). */
export async function startCluster(
  spec: ClusterSpec,
  nodeConfigFile: (name: string) => string,
  options: { readyTimeoutMs?: number } = {},
): Promise<RunningCluster> {
  const nodes = new Map<string, RunningNatsServer>();
  const start = async (name: string) => {
    if (nodes.has(name)) throw new Error(`cluster node ${name} is already running`);
    const server = await startNatsServer({
      configFile: nodeConfigFile(name),
      readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
    });
    nodes.set(name, server);
    void server.exited.then(() => {
      if (nodes.get(name) === server) nodes.delete(name);
    });
    return server;
  };
  try {
    await Promise.all(spec.nodes.map((node) => start(node.name)));
  } catch (error) {
    await Promise.all([...nodes.values()].map((server) => server.stop()));
    throw error;
  }
  return {
    nodes,
    start,
    async kill(name) {
      const server = nodes.get(name);
      if (!server) throw new Error(`cluster node ${name} is not running`);
      process.kill(server.pid, 'SIGKILL');
      await server.exited;
    },
    async stop() {
      await Promise.all([...nodes.values()].map((server) => server.stop()));
    },
  };
}

/**
 * Waits until the cluster's JetStream has a meta leader (a few seconds after the nodes meet): before
 * that, creating a stream fails with "JetStream system temporarily unavailable".
 */
export async function waitForJetStream(nc: NatsConnection, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const jsm = await jetstreamManager(nc, { timeout: 2000 });
      await jsm.getAccountInfo();
      return;
    } catch (error) {
      if (Date.now() > until) throw new Error(`JetStream not available after ${timeoutMs} ms: ${describeError(error)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
