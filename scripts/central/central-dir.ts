import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { notaryKeyFrom } from '../../kiosk/evidence/anchor-receipt.js';
import { serverStylePublicKey } from '../../kiosk/fleet/keys/nkey.js';
import { isRoomId } from '../../kiosk/fleet/nats/subjects.js';
import { newUserKey, publicKeyOfSeedFile, writeSeedFile } from './credentials.js';
import { checkClusterSpec, peersOf, routePassword, type ClusterSpec } from './cluster.js';
import { DEFAULT_ACCOUNT, natsServerConfig, type CentralServerConfig } from './server-config.js';
import { createCa, createServerCertificate } from './tls.js';
import { centralLayout, type CentralLayout } from '../../config/central-layout.js';
import { exists, writeAtomically } from './files.js';

const listen = z.object({ host: z.string().min(1), port: z.number().int().min(-1).max(65535) });
const registrySchema = z.object({
  v: z.literal(1),
  serverName: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  account: z.string(),
  client: listen,
  websocket: listen.extend({ compression: z.boolean().default(false) }),
  http: listen.optional(),
  tlsHosts: z.array(z.string().min(1)).min(1),
  jetstream: z.object({ maxFileBytes: z.number().int().positive(), maxMemoryBytes: z.number().int().positive() }),
  cluster: z
    .object({
      name: z.string(),
      nodes: z.array(
        z.object({
          name: z.string(),
          host: z.string(),
          websocketPort: z.number().int(),
          clusterPort: z.number().int(),
          httpPort: z.number().int().optional(),
        }),
      ),
    })
    .optional(),
  rooms: z.array(
    z.object({
      id: z.string().refine(isRoomId, 'not a room id'),
      publicKey: z.string(),
      /** Where the room is (tỉnh, huyện), for the monitoring dashboard's filters. */
      province: z.string().min(1).max(100).optional(),
      district: z.string().min(1).max(100).optional(),
    }),
  ),
  monitoring: z.array(z.object({ name: z.string(), publicKey: z.string() })),
  admin: z.array(z.object({ name: z.string(), publicKey: z.string() })),
});
export type CentralRegistry = z.output<typeof registrySchema>;

export interface InitCentralOptions {
  dir: string;
  /** Rooms to have: those already registered stay, with their keys. */
  rooms: readonly string[];
  serverName?: string;
  websocket?: { host: string; port: number; compression?: boolean };
  client?: { host: string; port: number };
  http?: { host: string; port: number };
  /** Names and addresses the server certificate is valid for (rooms dial one of them). */
  tlsHosts?: readonly string[];
  /** Issue a new server certificate from the existing CA even though its names did not change (before it expires). */
  renewCertificate?: boolean;
  jetstream?: { maxFileBytes: number; maxMemoryBytes: number };
  /** Province and district of rooms (new or registered): given fields replace the registered ones. */
  placement?: Readonly<Record<string, RoomPlacement>>;
  /** Run as a JetStream cluster of these nodes (`cluster.ts`): one config per node. Kept in the registry once given. */
  cluster?: ClusterSpec;
}

export interface RoomPlacement {
  province?: string;
  district?: string;
}

export interface InitCentralResult {
  layout: CentralLayout;
  registry: CentralRegistry;
  /** Rooms given a key by this run (their seed files are new). */
  addedRooms: string[];
  /** The notary's public key, as rooms configure it (`fleet.notaryKeys`). */
  notary: { fingerprint: string; publicKey: string; pem: string };
}

const GiB = 1024 ** 3;

/** `id`, `id:province` or `id:province:district` (a room id has no colon). */
export function parseRoomOption(value: string): { id: string } & RoomPlacement {
  const [id = '', province, district, ...rest] = value.split(':').map((part) => part.trim());
  if (rest.length > 0) throw new Error(`room ${JSON.stringify(value)}: ID[:PROVINCE[:DISTRICT]], no more than that`);
  return { id, ...(province ? { province } : {}), ...(district ? { district } : {}) };
}

/** Creates or completes a central folder, idempotently: keys and certificates are made once, the config rewritten every time. */
export async function initCentral(options: InitCentralOptions): Promise<InitCentralResult> {
  const layout = centralLayout(options.dir);
  for (const id of options.rooms)
    if (!isRoomId(id))
      throw new Error(`room ${JSON.stringify(id)}: lower-case letters, digits and dashes, 2–63 characters`);
  await mkdir(layout.dir, { recursive: true, mode: 0o700 });
  await mkdir(join(layout.credentialsDir, 'rooms'), { recursive: true, mode: 0o700 });
  await mkdir(layout.storeDir, { recursive: true, mode: 0o700 });

  const previous = await readRegistry(layout.registryFile);
  const registry: CentralRegistry = {
    v: 1,
    serverName: options.serverName ?? previous?.serverName ?? 'diemcau-central',
    account: previous?.account ?? DEFAULT_ACCOUNT,
    client: options.client ?? previous?.client ?? { host: '127.0.0.1', port: -1 },
    websocket: {
      compression: false,
      ...(options.websocket ?? previous?.websocket ?? { host: '127.0.0.1', port: 8443 }),
    },
    ...((options.http ?? previous?.http) ? { http: options.http ?? previous?.http } : {}),
    tlsHosts: [...(options.tlsHosts ?? previous?.tlsHosts ?? defaultTlsHosts())],
    jetstream: options.jetstream ?? previous?.jetstream ?? { maxFileBytes: 10 * GiB, maxMemoryBytes: GiB / 4 },
    ...((options.cluster ?? previous?.cluster)
      ? { cluster: clusterRecord(options.cluster ?? previous!.cluster!) }
      : {}),
    rooms: [...(previous?.rooms ?? [])],
    monitoring: [...(previous?.monitoring ?? [])],
    admin: [...(previous?.admin ?? [])],
  };

  const known = new Set(registry.rooms.map((room) => room.id));
  const addedRooms = [...new Set(options.rooms)].filter((id) => !known.has(id));
  // A province registers thousands of rooms at once: keys are made 64 at a time.
  for (let i = 0; i < addedRooms.length; i += 64) {
    const batch = addedRooms.slice(i, i + 64);
    const keys = await Promise.all(batch.map((id) => keyFor(layout.roomSeedFile(id))));
    for (const [j, id] of batch.entries()) registry.rooms.push({ id, publicKey: keys[j]! });
  }
  for (const room of registry.rooms) {
    const place = options.placement?.[room.id];
    if (place?.province) room.province = place.province;
    if (place?.district) room.district = place.district;
  }
  if (registry.monitoring.length === 0)
    registry.monitoring.push({ name: 'monitoring', publicKey: await keyFor(layout.monitoringSeedFile) });
  if (registry.admin.length === 0)
    registry.admin.push({ name: 'admin', publicKey: await keyFor(layout.adminSeedFile) });
  const notary = await ensureNotaryKey(layout);

  const newCa = !(await exists(layout.caFile));
  if (newCa) await createCa(layout.tlsDir, `Diem Cau central dev CA (${registry.serverName})`);
  const hostsChanged = previous !== undefined && previous.tlsHosts.join(',') !== registry.tlsHosts.join(',');
  if (newCa || hostsChanged || options.renewCertificate || !(await exists(layout.certFile))) {
    await createServerCertificate(
      layout.tlsDir,
      { certFile: layout.caFile, keyFile: layout.caKeyFile },
      registry.tlsHosts,
    );
  }

  const single = singleServerConfig(layout, registry);
  if (registry.cluster) {
    const cluster = registry.cluster;
    checkClusterSpec(cluster);
    const missing = cluster.nodes.filter((node) => !registry.tlsHosts.includes(node.host));
    if (missing.length > 0)
      throw new Error(
        `cluster node ${missing.map((n) => `${n.name} (${n.host})`).join(', ')}: rooms dial it, so its name must be on the certificate: add --tls-host`,
      );
    if (newCa || hostsChanged || options.renewCertificate || !(await exists(layout.routeCertFile))) {
      await createServerCertificate(
        layout.tlsDir,
        { certFile: layout.caFile, keyFile: layout.caKeyFile },
        registry.tlsHosts,
        'route',
        { clientAuth: true },
      );
    }
    const auth = { user: 'route', password: await routePassword(layout.routePasswordFile) };
    for (const node of cluster.nodes) {
      await mkdir(layout.nodeStoreDir(node.name), { recursive: true, mode: 0o700 });
      const config = natsServerConfig({
        ...single,
        serverName: node.name,
        // The plain port stays on loopback and is picked by the server: nothing dials it from elsewhere.
        client: { host: registry.client.host, port: -1 },
        websocket: {
          ...single.websocket,
          port: node.websocketPort,
          advertise: `${node.host.includes(':') ? `[${node.host}]` : node.host}:${node.websocketPort}`,
        },
        ...(node.httpPort === undefined ? {} : { http: { host: '127.0.0.1', port: node.httpPort } }),
        jetstream: { ...single.jetstream, storeDir: layout.nodeStoreDir(node.name) },
        cluster: {
          name: cluster.name,
          host: node.host,
          port: node.clusterPort,
          peers: peersOf(cluster, node),
          auth,
          tls: { certFile: layout.routeCertFile, keyFile: layout.routeKeyFile, caFile: layout.caFile },
        },
      });
      await writeAtomically(layout.nodeConfigFile(node.name), config);
    }
  } else {
    await writeAtomically(layout.configFile, natsServerConfig(single));
  }
  await writeAtomically(layout.registryFile, `${JSON.stringify(registry, null, 2)}\n`);
  return { layout, registry, addedRooms, notary };
}

/** A single server's config input from the folder's registry (also the base of a province's leaf config, `leaf.ts`). Pure. */
export function singleServerConfig(layout: CentralLayout, registry: CentralRegistry): CentralServerConfig {
  return {
    serverName: registry.serverName,
    account: registry.account,
    client: registry.client,
    websocket: { ...registry.websocket, certFile: layout.certFile, keyFile: layout.keyFile },
    ...(registry.http ? { http: registry.http } : {}),
    jetstream: { storeDir: layout.storeDir, ...registry.jetstream },
    rooms: registry.rooms,
    monitoring: registry.monitoring,
    admin: registry.admin,
  };
}

/** The notary key, made once (a key rooms already trust must stay); its public half rewritten each run. */
async function ensureNotaryKey(layout: CentralLayout): Promise<InitCentralResult['notary']> {
  const pem = await readFile(layout.notaryKeyFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  let key: ReturnType<typeof notaryKeyFrom>;
  if (pem === undefined) {
    key = notaryKeyFrom(generateKeyPairSync('ed25519').privateKey);
    await writeFile(layout.notaryKeyFile, key.privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
      flag: 'wx',
    });
  } else {
    key = notaryKeyFrom(createPrivateKey(pem));
  }
  const publicPem = key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const publicKey = serverStylePublicKey(key.publicKey);
  await writeFile(layout.notaryPublicKeyFile, publicPem, { mode: 0o644 });
  await writeFile(layout.notaryPublicNkeyFile, `${publicKey}\n`, { mode: 0o644 });
  return { fingerprint: key.fingerprint, publicKey, pem: publicPem };
}

function clusterRecord(spec: ClusterSpec): NonNullable<CentralRegistry['cluster']> {
  return { name: spec.name, nodes: spec.nodes.map((node) => ({ ...node })) };
}

/** This machine by every name a room on it or on the LAN may use. */
function defaultTlsHosts(): string[] {
  const name = hostname();
  return ['localhost', '127.0.0.1', '::1', ...(/^[A-Za-z0-9.-]+$/.test(name) && name !== 'localhost' ? [name] : [])];
}

/** The key of an existing seed file (one made before the registry was), or a new key whose seed is written there. */
async function keyFor(seedFile: string): Promise<string> {
  const existing = await publicKeyOfSeedFile(seedFile);
  if (existing) return existing;
  const key = newUserKey();
  await writeSeedFile(seedFile, key.seed);
  return key.publicKey;
}

/** The registry of a central folder, or undefined when it has none yet. */
export const readCentralRegistry = (layout: CentralLayout): Promise<CentralRegistry | undefined> =>
  readRegistry(layout.registryFile);

async function readRegistry(file: string): Promise<CentralRegistry | undefined> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  const parsed = registrySchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
