import type { NatsConnection } from '@nats-io/nats-core';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connectVerified, readUserCredential } from '../../kiosk/fleet/nats/connection.js';
import { parseRoomEventMessage } from '../../kiosk/fleet/nats/events.js';
import { parseRoomState, type RoomState } from '../../kiosk/fleet/nats/state.js';
import { EVENTS_STREAM, ROOMS_BUCKET } from '../../kiosk/fleet/nats/subjects.js';
import { initCentral } from '../../scripts/central/central-dir.js';
import type { CentralLayout } from '../../config/central-layout.js';
import { EVENTS_ALL_STREAM } from '../../scripts/central/leaf.js';
import { startNatsServer, type RunningNatsServer } from '../../scripts/central/nats-process.js';
import {
  ensureNationalStreams,
  ensureProvinceOutbound,
  initNational,
  provinceRooms,
  readSecret,
  writeProvinceLeafConfig,
  type NationalLayout,
} from '../../scripts/central/national-dir.js';
import { ensureCentralStreams } from '../../scripts/central/streams.js';
import type { StoredEvent } from './central.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';
import { freePort } from './free-port.js';

/** A stored event, and when the server stored it (its stream's timestamp: both servers run on this machine's clock). */
export type LeafStoredEvent = StoredEvent & {
  storedAt: Date;
  /** `Nats-Stream-Source` of a sourced copy: the origin stream (so the province) and its sequence there. */
  source: string | undefined;
};

/** A province's server, linked to the nation as a leaf node. */
export interface LeafProvince {
  name: string;
  layout: CentralLayout;
  /** Its rooms' `fleet.servers`. */
  servers: string[];
  fleetConfig: (roomId: string) => Record<string, unknown>;
  /** The province's own monitoring connection (its DIEMCAU account, on its own server). */
  monitoring: NatsConnection;
  /** Its admin connection: every permission in the province's account (what a province's operator can do). */
  admin: NatsConnection;
  /** Every event in the province's DIEMCAU_EVENTS. */
  events(): Promise<LeafStoredEvent[]>;
  state(roomId: string): Promise<RoomState | undefined>;
  /** How many leaf connections the province's server has now (its /leafz). */
  leafs(): Promise<number>;
}

export interface CentralLeaf {
  national: {
    layout: NationalLayout;
    /** The national monitoring service's connection (account QUOCGIA), reconnecting forever. */
    monitoring: NatsConnection;
    /** Every event in DIEMCAU_EVENTS_ALL. */
    events(): Promise<LeafStoredEvent[]>;
    /** Leaf connections the national server has now (its /leafz). */
    leafs(): Promise<number>;
    stop(): Promise<void>;
    start(): Promise<void>;
  };
  provinces: Map<string, LeafProvince>;
  close(): Promise<void>;
}

/** Reads a stream from its first to its last message, keeping what it already read (a stream only grows here). */
function streamReader(nc: () => NatsConnection, stream: string) {
  const stored = new Map<number, LeafStoredEvent>();
  return async (): Promise<LeafStoredEvent[]> => {
    const jsm = await jetstreamManager(nc());
    const info = await jsm.streams.info(stream);
    for (let seq = Math.max(info.state.first_seq, 1); seq <= info.state.last_seq; seq++) {
      if (stored.has(seq)) continue;
      const msg = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (!msg) continue;
      const parsed = parseRoomEventMessage(msg.subject, msg.data);
      if (!parsed.ok) throw new Error(`${stream} message ${seq} on ${msg.subject} does not parse: ${parsed.error}`);
      stored.set(seq, {
        ...parsed.value.event,
        roomId: parsed.value.roomId,
        msgId: msg.header?.get('Nats-Msg-Id') || undefined,
        streamSeq: seq,
        storedAt: msg.time,
        source: msg.header?.get('Nats-Stream-Source') || undefined,
      });
    }
    return [...stored.values()].sort((a, b) => a.streamSeq - b.streamSeq);
  };
}

const leafzCount = async (httpPort: number): Promise<number> => {
  const response = await fetch(`http://127.0.0.1:${httpPort}/leafz`).catch(() => undefined);
  if (!response?.ok) return 0;
  return ((await response.json()) as { leafnodes?: number }).leafnodes ?? 0;
};

/**
 * The nation and its provinces on 127.0.0.1 (scripts/central/leaf.ts, national-dir.ts): one national
 * nats-server (leafnode listener over TLS, an account per province, JetStream with DIEMCAU_EVENTS_ALL
 * sourcing every province) and one nats-server per province made by `initCentral`, each with its own
 * JetStream domain (the province's name) and a leaf remote to the nation.
 */
export async function startCentralLeaf(provinces: { name: string; rooms: string[] }[]): Promise<CentralLeaf> {
  const dir = await makeTempDir('central-leaf');
  const running: RunningNatsServer[] = [];
  const connections: NatsConnection[] = [];
  let nationalServer: RunningNatsServer | undefined;
  try {
    const provinceLayouts = new Map<string, { layout: CentralLayout; wsPort: number; httpPort: number }>();
    for (const province of provinces) {
      const wsPort = await freePort();
      const httpPort = await freePort();
      const { layout } = await initCentral({
        dir: `${dir}/${province.name}`,
        rooms: province.rooms,
        serverName: province.name,
        websocket: { host: '127.0.0.1', port: wsPort },
        client: { host: '127.0.0.1', port: -1 },
        http: { host: '127.0.0.1', port: httpPort },
      });
      provinceLayouts.set(province.name, { layout, wsPort, httpPort });
    }
    // The leafnode and websocket ports are fixed up front: provinces dial the leaf port, and a restarted national server must be found again.
    const ports = { leaf: await freePort(), ws: await freePort(), http: await freePort() };
    const nationalLayout = await initNational({
      dir: `${dir}/quocgia`,
      provinces: await Promise.all(
        provinces.map(async (p) => ({ name: p.name, rooms: await provinceRooms(provinceLayouts.get(p.name)!.layout) })),
      ),
      leafnodes: { host: '127.0.0.1', port: ports.leaf },
      websocket: { host: '127.0.0.1', port: ports.ws },
      http: { host: '127.0.0.1', port: ports.http },
    });
    const configs = new Map<string, string>();
    for (const province of provinces) {
      configs.set(
        province.name,
        await writeProvinceLeafConfig(provinceLayouts.get(province.name)!.layout.dir, {
          province: province.name,
          password: await readSecret(nationalLayout.leafPasswordFile(province.name)),
          national: `127.0.0.1:${ports.leaf}`,
          nationalCaFile: nationalLayout.caFile,
        }),
      );
    }

    nationalServer = await startNatsServer({ configFile: nationalLayout.configFile });
    const nationalUrl = `wss://127.0.0.1:${ports.ws}`;
    const nationalAdmin = await connectVerified({
      servers: nationalUrl,
      user: await readUserCredential(nationalLayout.adminSeedFile),
      caFile: nationalLayout.caFile,
    });
    // Before the provinces are up: a source whose province is not there yet retries on its own.
    await ensureNationalStreams(
      nationalAdmin,
      provinces.map((p) => p.name),
    );
    await nationalAdmin.close();
    const nationalMonitoring = await connectVerified({
      servers: nationalUrl,
      user: await readUserCredential(nationalLayout.monitoringSeedFile),
      caFile: nationalLayout.caFile,
      options: { maxReconnectAttempts: -1, reconnectTimeWait: 250 },
    });
    connections.push(nationalMonitoring);

    const linked = new Map<string, LeafProvince>();
    for (const province of provinces) {
      const { layout, wsPort, httpPort } = provinceLayouts.get(province.name)!;
      running.push(await startNatsServer({ configFile: configs.get(province.name)! }));
      const url = `wss://127.0.0.1:${wsPort}`;
      const admin = await connectVerified({
        servers: url,
        user: await readUserCredential(layout.adminSeedFile),
        caFile: layout.caFile,
      });
      connections.push(admin);
      await ensureCentralStreams(admin);
      await ensureProvinceOutbound(admin, province.name);
      const monitoring = await connectVerified({
        servers: url,
        user: await readUserCredential(layout.monitoringSeedFile),
        caFile: layout.caFile,
      });
      connections.push(monitoring);
      linked.set(province.name, {
        name: province.name,
        layout,
        servers: [url],
        fleetConfig: (roomId) => ({
          enabled: true,
          servers: [url],
          credentialFile: layout.roomSeedFile(roomId),
          caFile: layout.caFile,
          rebootCommand: [],
        }),
        monitoring,
        admin,
        events: streamReader(() => monitoring, EVENTS_STREAM),
        async state(roomId) {
          const entry = await (await new Kvm(monitoring).open(ROOMS_BUCKET)).get(roomId);
          if (entry?.operation !== 'PUT') return undefined;
          const parsed = parseRoomState(entry.value);
          if (!parsed.ok) throw new Error(`state of ${roomId} does not parse: ${parsed.error}`);
          return parsed.value;
        },
        leafs: () => leafzCount(httpPort),
      });
    }

    return {
      national: {
        layout: nationalLayout,
        monitoring: nationalMonitoring,
        events: streamReader(() => nationalMonitoring, EVENTS_ALL_STREAM),
        leafs: () => leafzCount(ports.http),
        async stop() {
          await nationalServer?.stop();
          nationalServer = undefined;
        },
        async start() {
          nationalServer ??= await startNatsServer({ configFile: nationalLayout.configFile });
        },
      },
      provinces: linked,
      async close() {
        for (const nc of connections) await nc.close().catch(() => undefined);
        await Promise.all([...running, ...(nationalServer ? [nationalServer] : [])].map((server) => server.stop()));
        await removeTempDir(dir);
      },
    };
  } catch (error) {
    for (const nc of connections) await nc.close().catch(() => undefined);
    await Promise.all([...running, ...(nationalServer ? [nationalServer] : [])].map((server) => server.stop()));
    await removeTempDir(dir);
    throw error;
  }
}
