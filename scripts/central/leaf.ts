import { nanos } from '@nats-io/nats-core';
import { DiscardPolicy, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { maxBytes } from '../../kiosk/fleet/nats/codec.js';
import { EVENTS_STREAM, isRoomId, subjects } from '../../kiosk/fleet/nats/subjects.js';
import { adminPermissions, monitoringPermissions, type Permissions } from './permissions.js';
import {
  checkDomain,
  checkHostPort,
  checkUserKey,
  DEFAULT_MAX_PAYLOAD,
  natsServerConfig,
  renderConf,
  type CentralServerConfig,
  type ConfObject,
} from './server-config.js';
import { defaultEventsRetention, type EventsRetention } from './streams.js';

/**
 * The nation's side of central monitoring (README "Scale path" → "The nation"): provinces keep their
 * own server and JetStream (domain = the province's name) and dial the national server as leaf nodes.
 * Pure: config text and stream definitions only (`national-dir.ts` writes the files, `nats-process.ts`
 * runs the servers). Checked against nats-server 2.9 (`nats-server -t`, and tests/fleet/nats-leaf.test.ts).
 */

/** The national stream that copies every province's DIEMCAU_EVENTS (stream sourcing across the leaf links). */
export const EVENTS_ALL_STREAM = 'DIEMCAU_EVENTS_ALL';
/** The national account the monitoring service and the set-up tools are in; it alone has JetStream. */
export const NATIONAL_ACCOUNT = 'QUOCGIA';

/** One province as the nation admits it. */
export interface ProvinceLink {
  /** The province's name: its leaf user and its JetStream domain (`tinh-x`). */
  name: string;
  /** Its leaf user's password (2.9 has no nkey on a leaf remote; it travels over TLS only). */
  password: string;
  /**
   * Its rooms: only their subjects are exported from the province's account, so a province cannot
   * speak for a room of another province (room ids are unique nationally).
   */
  rooms: readonly string[];
}

const PROVINCE = /^[a-z0-9][a-z0-9-]{0,30}$/;

/** `tinh-x` → `TINH_X`: the national account a province's leaf connection is bound to. Pure. */
export function provinceAccount(province: string): string {
  if (!PROVINCE.test(province))
    throw new Error(`province ${JSON.stringify(province)}: lower-case letters, digits and dashes, at most 31`);
  return province.toUpperCase().replace(/-/g, '_');
}

/** `$JS.<domain>.API`: where the province's JetStream answers from the other side of its leaf link. */
export const domainApiPrefix = (domain: string) => `$JS.${checkDomain(domain)}.API`;
/** The subject prefix the sourcing consumer's messages arrive on; exported by the province's account only. */
export function deliverPrefix(province: string): string {
  provinceAccount(province);
  return `diemcau.deliver.${province}`;
}

/**
 * The province's copy of its DIEMCAU_EVENTS that the nation sources (a mirror on the province's own
 * server, `DIEMCAU_EVENTS_TINH_X`). Why not source DIEMCAU_EVENTS itself: the sourcing consumer's
 * flow-control replies are published by the national stream on `$JS.FC.<stream>.<random>.<n>`, and
 * reach the province only through a service import of that subject from the province's account.
 * With every province's stream called DIEMCAU_EVENTS the imports of two provinces collide (nats-server
 * 2.9 refuses the config: "Duplicate service import subject"), and without the import the source
 * stalls after a few thousand messages (measured: 3,550 of 50,000). A stream name per province makes
 * the subject per province. Rooms keep publishing to DIEMCAU_EVENTS and accept no ack from another stream.
 */
export function provinceOutboundStream(province: string): string {
  return `${EVENTS_STREAM}_${provinceAccount(province)}`;
}

/**
 * What a province's national account exports and the national account imports, per province. Tried
 * on 2.9 (tests/fleet/nats-leaf.test.ts); each line is needed:
 * - the rooms' own subjects (stream) and commands (service): telemetry and commands cross as core NATS;
 * - `CONSUMER.CREATE.<outbound stream>` under the province's domain prefix (service): the national
 *   stream's source creates its consumer on the province's stream with it. Nothing else of the
 *   province's JetStream API is exported, so the nation can neither change nor delete the province's streams;
 * - the deliver prefix (stream): the sourcing consumer pushes the events there;
 * - `$JS.FC.<outbound stream>.>` (service): the national stream answers the consumer's flow-control
 *   requests, which must reach the province (the consumer stalls otherwise).
 */
export function provinceExports(link: ProvinceLink): { streams: string[]; services: string[] } {
  const rooms = [...new Set(link.rooms)];
  if (rooms.length !== link.rooms.length) throw new Error(`province ${link.name}: a room is listed twice`);
  for (const room of rooms)
    if (!isRoomId(room)) throw new Error(`province ${link.name}: ${JSON.stringify(room)} is not a room id`);
  const outbound = provinceOutboundStream(link.name);
  return {
    streams: [...rooms.map((room) => subjects.roomAll(room)), `${deliverPrefix(link.name)}.>`],
    services: [
      ...rooms.map((room) => subjects.commands(room)),
      `${domainApiPrefix(link.name)}.CONSUMER.CREATE.${outbound}`,
      `$JS.FC.${outbound}.>`,
    ],
  };
}

export interface NationalServerConfig {
  serverName: string;
  /** Plain NATS on loopback (tools on this machine). */
  client: { host: string; port: number };
  /** The national monitoring service's wss listener. */
  websocket: { host: string; port: number; certFile: string; keyFile: string };
  /** Where provinces dial in (TLS only). */
  leafnodes: { host: string; port: number; certFile: string; keyFile: string };
  http?: { host: string; port: number };
  jetstream: { storeDir: string; maxFileBytes: number; maxMemoryBytes: number };
  provinces: readonly ProvinceLink[];
  /** Users of the national account (nkeys): monitoring reads and sends commands, admin sets up the stream. */
  monitoring: readonly { name: string; publicKey: string }[];
  admin: readonly { name: string; publicKey: string }[];
}

/**
 * The national server's nats-server.conf (2.9): a leafnode listener with TLS, one leaf user per
 * province bound to an account of its own (`TINH_X`: no JetStream, no users but the leaf), and the
 * national account `QUOCGIA` (JetStream, the monitoring and admin nkeys) importing from each. A leaf
 * user in 2.9 has no permissions of its own: the account is the confinement. Pure.
 */
export function nationalServerConfig(input: NationalServerConfig): string {
  checkHostPort('leafnodes', `${input.leafnodes.host}:${input.leafnodes.port}`);
  const names = new Set<string>();
  const rooms = new Map<string, string>();
  for (const link of input.provinces) {
    const account = provinceAccount(link.name);
    if (account === NATIONAL_ACCOUNT || names.has(account))
      throw new Error(`province ${link.name}: its account ${account} is taken`);
    names.add(account);
    if (!/^[A-Za-z0-9_-]{24,128}$/.test(link.password))
      throw new Error(
        `province ${link.name}: the leaf password must be 24–128 letters, digits, _ or - (it travels in the province's remote URL)`,
      );
    for (const room of link.rooms) {
      const other = rooms.get(room);
      if (other)
        throw new Error(`room ${room} is in both ${other} and ${link.name}: room ids must be unique across the nation`);
      rooms.set(room, link.name);
    }
  }
  const keys = new Set<string>();
  const nkeyUser = (who: string, publicKey: string, permissions: Permissions) => {
    checkUserKey(who, publicKey);
    if (keys.has(publicKey)) throw new Error(`${who}: the key is used twice`);
    keys.add(publicKey);
    return { nkey: publicKey, permissions };
  };
  const accounts: Record<string, ConfObject> = {};
  const imports: ConfObject[] = [];
  for (const link of input.provinces) {
    const account = provinceAccount(link.name);
    const exported = provinceExports(link);
    accounts[account] = {
      exports: [
        ...exported.streams.map((stream) => ({ stream })),
        ...exported.services.map((service) => ({ service })),
      ],
    };
    imports.push(
      ...exported.streams.map((subject) => ({ stream: { account, subject } })),
      ...exported.services.map((subject) => ({ service: { account, subject } })),
    );
  }
  accounts[NATIONAL_ACCOUNT] = {
    jetstream: 'enabled',
    users: [
      ...input.monitoring.map((m) => nkeyUser(`monitoring ${m.name}`, m.publicKey, monitoringPermissions())),
      ...input.admin.map((a) => nkeyUser(`admin ${a.name}`, a.publicKey, adminPermissions())),
    ],
    imports,
  };
  return renderConf({
    server_name: input.serverName,
    host: input.client.host,
    port: input.client.port,
    max_payload: DEFAULT_MAX_PAYLOAD,
    ...(input.http ? { http: `${input.http.host}:${input.http.port}` } : {}),
    jetstream: {
      store_dir: input.jetstream.storeDir,
      max_file_store: input.jetstream.maxFileBytes,
      max_memory_store: input.jetstream.maxMemoryBytes,
    },
    websocket: {
      host: input.websocket.host,
      port: input.websocket.port,
      tls: { cert_file: input.websocket.certFile, key_file: input.websocket.keyFile },
      handshake_timeout: '5s',
      authorization: { timeout: 5 },
    },
    leafnodes: {
      host: input.leafnodes.host,
      port: input.leafnodes.port,
      tls: { cert_file: input.leafnodes.certFile, key_file: input.leafnodes.keyFile, timeout: 5 },
      authorization: {
        timeout: 5,
        users: input.provinces.map((link) => ({
          user: link.name,
          password: link.password,
          account: provinceAccount(link.name),
        })),
      },
    },
    accounts,
  });
}

/** How a province dials the nation. */
export interface ProvinceRemote {
  province: string;
  password: string;
  /** The national leafnode listener, `host:port` (on the national certificate). */
  national: string;
  /** The national CA (a copy in the province's folder). */
  caFile: string;
}

/**
 * A province server's config with its leaf link: the folder's own config (`singleServerConfig`), its
 * JetStream under the province's domain, and one remote to the nation for the rooms' account. Pure.
 */
export function provinceServerConfig(single: CentralServerConfig, remote: ProvinceRemote): string {
  provinceAccount(remote.province);
  if (!/^[A-Za-z0-9_-]{24,128}$/.test(remote.password))
    throw new Error('the leaf password must be 24–128 letters, digits, _ or -');
  return natsServerConfig({
    ...single,
    jetstream: { ...single.jetstream, domain: remote.province },
    leafnodes: {
      remotes: [
        {
          // 2.9: no `nkey` on a remote. The password is in the URL, which is only ever dialled over TLS (tls://, and the CA below).
          urls: [
            `tls://${remote.province}:${remote.password}@${checkHostPort('national leafnode listener', remote.national)}`,
          ],
          account: single.account ?? 'DIEMCAU',
          tls: { ca_file: remote.caFile, timeout: 5 },
        },
      ],
    },
  });
}

/** How much of the province's events the outbound mirror keeps for the nation. */
export interface OutboundRetention {
  maxAgeDays: number;
  maxBytes: number;
}

/**
 * 30 days like DIEMCAU_EVENTS, in 512 MiB: what a province's rooms send in a month is a few MB, and a
 * default province store (10 GiB) then still holds the events (8 GiB), the anchors (1 GiB) and this.
 */
export const defaultOutboundRetention: OutboundRetention = { maxAgeDays: 30, maxBytes: 512 * 1024 ** 2 };

/**
 * The province's outbound stream: a mirror of its DIEMCAU_EVENTS on its own server, messages and
 * their Nats-Msg-Id exactly as stored; the nation may catch up on up to its retention. Pure.
 */
export function provinceOutboundStreamConfig(
  province: string,
  retention: OutboundRetention = defaultOutboundRetention,
): Partial<StreamConfig> & { name: string } {
  return {
    name: provinceOutboundStream(province),
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(retention.maxAgeDays * 24 * 3_600_000),
    max_bytes: retention.maxBytes,
    max_msg_size: maxBytes.event + 2048,
    mirror: { name: EVENTS_STREAM },
  };
}

/**
 * DIEMCAU_EVENTS_ALL: one source per province, its outbound stream through the province's domain API.
 * The Nats-Msg-Id (`room:seq`) is kept, and the stream's own duplicate window drops a copy (the
 * source resumes where it stopped after a broken link). No subjects of its own. Pure.
 */
export function eventsAllStreamConfig(
  provinces: readonly string[],
  retention: EventsRetention = defaultEventsRetention,
): Partial<StreamConfig> & { name: string } {
  const hours = (n: number) => nanos(n * 3_600_000);
  return {
    name: EVENTS_ALL_STREAM,
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: hours(retention.maxAgeDays * 24),
    max_bytes: retention.maxBytes,
    duplicate_window: hours(retention.duplicateWindowHours),
    max_msg_size: maxBytes.event + 2048,
    sources: provinces.map((province) => ({
      name: provinceOutboundStream(province),
      external: { api: domainApiPrefix(province), deliver: deliverPrefix(province) },
    })),
  };
}
