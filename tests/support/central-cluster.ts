import type { NatsConnection } from '@nats-io/nats-core';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connectVerified, readUserCredential } from '../../kiosk/fleet/nats/connection.js';
import { parseRoomEventMessage } from '../../kiosk/fleet/nats/events.js';
import { parseRoomState, type RoomState } from '../../kiosk/fleet/nats/state.js';
import { EVENTS_STREAM, ROOMS_BUCKET } from '../../kiosk/fleet/nats/subjects.js';
import { initCentral } from '../../scripts/central/central-dir.js';
import type { CentralLayout } from '../../config/central-layout.js';
import {
  CLUSTER_REPLICAS,
  roomServerUrls,
  startCluster,
  type ClusterSpec,
  type RunningCluster,
} from '../../scripts/central/cluster.js';
import type { StoredEvent } from './central.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';
import { freePort } from './free-port.js';
import { prepareCentralStreams } from '../../scripts/central/prepare-streams.js';

/** What one node's /jsz says about a stream it holds a replica of. */
export interface ReplicaState {
  messages: number;
  lastSeq: number;
}

export interface CentralCluster {
  spec: ClusterSpec;
  layout: CentralLayout;
  cluster: RunningCluster;
  /** Every node's wss URL: the room's `fleet.servers`. */
  servers: string[];
  fleetConfig: (roomId?: string) => Record<string, unknown>;
  /** Every event in DIEMCAU_EVENTS, read back by the monitoring credential (through whichever node it is on). */
  events(topic?: string): Promise<StoredEvent[]>;
  state(roomId?: string): Promise<RoomState | undefined>;
  /** The node a client named `room:<id>` is connected to now (from each node's /connz), or undefined. */
  nodeOf(roomId?: string): Promise<string | undefined>;
  /** The node's own replica of a stream (from its /jsz), or undefined while it has none. */
  replica(node: string, stream: string): Promise<ReplicaState | undefined>;
  close(): Promise<void>;
}

/**
 * Central monitoring as a three-node JetStream cluster on 127.0.0.1 (scripts/central/cluster.ts): real
 * nats-servers routed over mutual TLS, the stream and the bucket on three replicas, and a monitoring
 * connection that may land on any node (and moves when its node dies).
 */
export async function startCentralCluster(options: { rooms?: string[] } = {}): Promise<CentralCluster> {
  const dir = await makeTempDir('central-cluster');
  const port = async () => freePort();
  const spec: ClusterSpec = {
    name: 'diemcau-test',
    nodes: await Promise.all(
      ['n1', 'n2', 'n3'].map(async (name) => ({
        name,
        host: '127.0.0.1',
        websocketPort: await port(),
        clusterPort: await port(),
        httpPort: await port(),
      })),
    ),
  };
  const { layout } = await initCentral({ dir, rooms: options.rooms ?? ['sim-room'], cluster: spec });
  const cluster = await startCluster(spec, layout.nodeConfigFile);
  const servers = roomServerUrls(spec);
  let monitoring: NatsConnection | undefined;
  try {
    await prepareCentralStreams(layout, servers, { replicas: CLUSTER_REPLICAS });
    monitoring = await connectVerified({
      servers,
      user: await readUserCredential(layout.monitoringSeedFile),
      caFile: layout.caFile,
      options: { maxReconnectAttempts: -1, reconnectTimeWait: 250 },
    });
  } catch (error) {
    await cluster.stop();
    await removeTempDir(dir);
    throw error;
  }
  const nc = monitoring;
  const stored = new Map<number, StoredEvent>();
  const httpPort = (name: string) => spec.nodes.find((n) => n.name === name)!.httpPort!;
  const monitor = async (name: string, path: string): Promise<any> => {
    const response = await fetch(`http://127.0.0.1:${httpPort(name)}${path}`).catch(() => undefined);
    return response?.ok ? response.json() : undefined;
  };

  return {
    spec,
    layout,
    cluster,
    servers,
    fleetConfig: (roomId = 'sim-room') => ({
      enabled: true,
      servers,
      credentialFile: layout.roomSeedFile(roomId),
      caFile: layout.caFile,
      rebootCommand: [],
    }),
    async events(topic) {
      const jsm = await jetstreamManager(nc);
      const info = await jsm.streams.info(EVENTS_STREAM);
      for (let seq = Math.max(info.state.first_seq, 1); seq <= info.state.last_seq; seq++) {
        if (stored.has(seq)) continue;
        const msg = await jsm.streams.getMessage(EVENTS_STREAM, { seq }).catch(() => null);
        if (!msg) continue;
        const parsed = parseRoomEventMessage(msg.subject, msg.data);
        if (!parsed.ok) throw new Error(`stream message ${seq} on ${msg.subject} does not parse: ${parsed.error}`);
        stored.set(seq, {
          ...parsed.value.event,
          roomId: parsed.value.roomId,
          msgId: msg.header?.get('Nats-Msg-Id') || undefined,
          streamSeq: seq,
        });
      }
      const all = [...stored.values()].sort((a, b) => a.streamSeq - b.streamSeq);
      return topic ? all.filter((e) => e.topic === topic) : all;
    },
    async state(roomId = 'sim-room') {
      const kv = await new Kvm(nc).open(ROOMS_BUCKET);
      const entry = await kv.get(roomId);
      if (entry?.operation !== 'PUT') return undefined;
      const parsed = parseRoomState(entry.value);
      if (!parsed.ok) throw new Error(`state of ${roomId} does not parse: ${parsed.error}`);
      return parsed.value;
    },
    async nodeOf(roomId = 'sim-room') {
      for (const name of cluster.nodes.keys()) {
        const connz = await monitor(name, '/connz?limit=1024');
        if (connz?.connections?.some((c: { name?: string }) => c.name === `room:${roomId}`)) return name;
      }
      return undefined;
    },
    async replica(node, stream) {
      const jsz = await monitor(node, '/jsz?accounts=true&streams=true');
      for (const account of jsz?.account_details ?? []) {
        const found = (account.stream_detail ?? []).find((s: { name: string }) => s.name === stream);
        if (found) return { messages: found.state.messages, lastSeq: found.state.last_seq };
      }
      return undefined;
    },
    async close() {
      await nc.close().catch(() => undefined);
      await cluster.stop();
      await removeTempDir(dir);
    },
  };
}
