import { isRoomId } from '../../kiosk/fleet/nats/subjects.js';
import { isUserPublicKey } from '../../kiosk/fleet/keys/nkey.js';
import { isLoopback } from '../../config/server-url.js';
import { adminPermissions, monitoringPermissions, roomPermissions, type Permissions } from './permissions.js';

/** What nats-server.conf is made from; ports may be -1 (the server picks a free one and logs it). */
export interface CentralServerConfig {
  serverName: string;
  /** The plain NATS listener: no TLS, so loopback only (tools on this machine). Rooms and monitoring use the websocket. */
  client: { host: string; port: number };
  websocket: {
    host: string;
    port: number;
    certFile: string;
    keyFile: string;
    compression?: boolean;
    /** `host:port` this node announces to clients of the cluster: the name rooms dial, on the certificate (see cluster.ts). */
    advertise?: string;
  };
  /** nats-server's monitoring endpoints (/varz, /connz): loopback only. */
  http?: { host: string; port: number };
  /** `domain`: a province linked to the nation as a leaf node keeps its own JetStream under this name (`leaf.ts`). */
  jetstream: { storeDir: string; maxFileBytes: number; maxMemoryBytes: number; domain?: string };
  /** Above every payload limit of the schema (kiosk/fleet/nats/codec.ts), so that a parser, not the server, names what is wrong. */
  maxPayload?: number;
  account?: string;
  rooms: readonly { id: string; publicKey: string }[];
  /** Central monitoring service instances (they may share one key or have one each). */
  monitoring: readonly { name: string; publicKey: string }[];
  /** Set-up tools: create and update the streams and the bucket; all permissions in the account. */
  admin: readonly { name: string; publicKey: string }[];
  /** This server as one node of a JetStream cluster (scripts/central/cluster.ts builds it). */
  cluster?: ClusterNodeConfig;
  /** The `leafnodes` block: a province's remote to the national server (scripts/central/leaf.ts builds it). */
  leafnodes?: ConfObject;
}

/** One node's side of the routes between the nodes of a cluster. */
export interface ClusterNodeConfig {
  name: string;
  /** Where this node accepts routes from the other nodes. */
  host: string;
  port: number;
  /** The other nodes' route listeners, `host:port` (the credentials are added here). */
  peers: readonly string[];
  /** The one route user every node presents and accepts. */
  auth: { user: string; password: string };
  /** Routes are TLS too: the dialling node checks the other's certificate against the CA (the password proves the dialler). */
  tls: { certFile: string; keyFile: string; caFile: string };
}

export const DEFAULT_ACCOUNT = 'DIEMCAU';
export const DEFAULT_MAX_PAYLOAD = 256 * 1024;

/**
 * nats-server.conf (nats-server 2.9) for one central server: every user an nkey in one account with
 * JetStream, each with its permissions. Pure; throws on anything that would make a wrong or unsafe
 * server (a duplicate room, a key that is not a user public key, a plain listener off loopback).
 */
export function natsServerConfig(input: CentralServerConfig): string {
  const account = input.account ?? DEFAULT_ACCOUNT;
  if (!/^[A-Z][A-Z0-9_]{0,31}$/.test(account))
    throw new Error(`account ${account}: upper-case letters, digits and _ only`);
  if (!isLoopback(input.client.host))
    throw new Error(`client.host ${input.client.host}: the plain NATS listener has no TLS, so it stays on loopback`);
  if (input.http && !isLoopback(input.http.host))
    throw new Error(`http.host ${input.http.host}: the monitoring endpoints stay on loopback`);
  const seen = new Map<string, string>();
  const user = (who: string, publicKey: string, permissions?: Permissions) => {
    checkUserKey(who, publicKey);
    const previous = seen.get(publicKey);
    if (previous) throw new Error(`${who} and ${previous} have the same public key`);
    seen.set(publicKey, who);
    return permissions ? { nkey: publicKey, permissions } : { nkey: publicKey };
  };
  const rooms = new Set<string>();
  const users = [
    ...input.rooms.map((room) => {
      if (!isRoomId(room.id))
        throw new Error(`room ${JSON.stringify(room.id)}: lower-case letters, digits and dashes, 2–63 characters`);
      if (rooms.has(room.id)) throw new Error(`room ${room.id} is listed twice`);
      rooms.add(room.id);
      return user(`room ${room.id}`, room.publicKey, roomPermissions(room.id));
    }),
    ...input.monitoring.map((m) => user(`monitoring ${m.name}`, m.publicKey, monitoringPermissions())),
    ...input.admin.map((a) => user(`admin ${a.name}`, a.publicKey, adminPermissions())),
  ];

  const cluster = input.cluster ? clusterBlock(input.cluster) : undefined;
  const config: ConfObject = {
    server_name: input.serverName,
    host: input.client.host,
    port: input.client.port,
    max_payload: input.maxPayload ?? DEFAULT_MAX_PAYLOAD,
    // Above the rooms' own ping (fleet.keepalive.pingSeconds, 235 s): the server then never needs to ping an idle room,
    // which halves the keepalive bytes of the rooms' daily budget (kiosk/fleet/nats/schema.md).
    ping_interval: '4m',
    ...(input.http ? { http: `${input.http.host}:${input.http.port}` } : {}),
    jetstream: {
      store_dir: input.jetstream.storeDir,
      max_file_store: input.jetstream.maxFileBytes,
      max_memory_store: input.jetstream.maxMemoryBytes,
      ...(input.jetstream.domain === undefined ? {} : { domain: checkDomain(input.jetstream.domain) }),
    },
    websocket: {
      host: input.websocket.host,
      port: input.websocket.port,
      tls: { cert_file: input.websocket.certFile, key_file: input.websocket.keyFile },
      compression: input.websocket.compression ?? false,
      handshake_timeout: '5s',
      // The TLS handshake, CONNECT and the nonce's signature within 5 s, not 2 s (the default): under a ramp of
      // thousands of rooms the 2 s ran out ("Authentication Timeout"), and a room on a slow link is no different.
      authorization: { timeout: 5 },
      ...(input.websocket.advertise
        ? { advertise: checkHostPort('websocket.advertise', input.websocket.advertise) }
        : {}),
    },
    ...(cluster ? { cluster } : {}),
    ...(input.leafnodes ? { leafnodes: input.leafnodes } : {}),
    accounts: { [account]: { jetstream: 'enabled', users } },
  };
  return renderConf(config);
}

/** A whole config file in nats-server's syntax, with the do-not-edit header. Pure. */
export function renderConf(config: ConfObject): string {
  return `# Written by scripts/central (Điểm Cầu central monitoring): regenerate it, do not edit it.\n${formatConf(config, 0)}\n`;
}

/** A JetStream domain is one subject token of the API prefix (`$JS.<domain>.API`): no dots or wildcards. */
export function checkDomain(domain: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(domain))
    throw new Error(`JetStream domain ${JSON.stringify(domain)}: letters, digits, _ and - only`);
  return domain;
}

/**
 * nats-server 2.9's cluster block: a name shared by the nodes, the route listener, the routes to
 * the other nodes with the route credential in their URL, TLS on routes. (2.9 has no route pooling
 * or route compression: those arrived in 2.10.)
 */
function clusterBlock(node: ClusterNodeConfig): ConfObject {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(node.name))
    throw new Error(`cluster name ${node.name}: letters, digits, _ and - only`);
  if (node.peers.length === 0) throw new Error('a cluster node needs at least one other node to route to');
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(node.auth.user))
    throw new Error('cluster route user: letters, digits, _ and - only');
  // The password travels inside route URLs: no character that a URL would need escaped.
  if (!/^[A-Za-z0-9_-]{24,128}$/.test(node.auth.password))
    throw new Error('cluster route password: 24–128 letters, digits, _ or -');
  const { user, password } = node.auth;
  return {
    name: node.name,
    host: node.host,
    port: node.port,
    authorization: { user, password, timeout: 2 },
    tls: { cert_file: node.tls.certFile, key_file: node.tls.keyFile, ca_file: node.tls.caFile, timeout: 2 },
    // Explicit routes are retried forever: a node started before its peers, or restarted, finds them.
    routes: node.peers.map((peer) => `nats-route://${user}:${password}@${checkHostPort('cluster peer', peer)}`),
  };
}

export function checkHostPort(what: string, value: string): string {
  if (!/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(value))
    throw new Error(`${what} ${JSON.stringify(value)}: host:port expected`);
  return value;
}

export function checkUserKey(who: string, publicKey: string): void {
  if (!isUserPublicKey(publicKey))
    throw new Error(`${who}: ${JSON.stringify(publicKey)} is not an nkey user public key (U…)`);
}

export type ConfValue = string | number | boolean | readonly ConfValue[] | ConfObject;
export type ConfObject = { readonly [key: string]: ConfValue | undefined };

/** nats-server's config syntax: unquoted keys, quoted strings (a `$` in a quoted string is not a variable). */
function formatConf(value: ConfObject, depth: number): string {
  const pad = '  '.repeat(depth);
  return Object.entries(value)
    .filter((entry): entry is [string, ConfValue] => entry[1] !== undefined)
    .map(([key, v]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`config key ${key} is not a plain name`);
      return `${pad}${key}: ${formatValue(v, depth)}`;
    })
    .join('\n');
}

function formatValue(value: ConfValue, depth: number): string {
  if (typeof value === 'string') {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
    if (/[\u0000-\u001f"\\]/.test(value))
      throw new Error(`config value ${JSON.stringify(value)}: no quotes, backslashes or control characters`);
    return `"${value}"`;
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`config value ${value} is not an integer`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  const pad = '  '.repeat(depth);
  if (isConfArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => `${pad}  ${formatValue(item, depth + 1)}`).join('\n')}\n${pad}]`;
  }
  return `{\n${formatConf(value, depth + 1)}\n${pad}}`;
}

function isConfArray(value: ConfValue): value is readonly ConfValue[] {
  return Array.isArray(value);
}
