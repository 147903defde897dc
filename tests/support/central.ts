import type { NatsConnection } from '@nats-io/nats-core';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connectVerified, readUserCredential } from '../../kiosk/fleet/nats/connection.js';
import { parseRoomEventMessage, type RoomEvent } from '../../kiosk/fleet/nats/events.js';
import { parseRoomState, type RoomState } from '../../kiosk/fleet/nats/state.js';
import type { CommandArgsInput, CommandReply } from '../../kiosk/fleet/nats/commands.js';
import { EVENTS_STREAM, ROOMS_BUCKET, type CommandName } from '../../kiosk/fleet/nats/subjects.js';
import { initCentral } from '../../scripts/central/central-dir.js';
import type { CentralLayout } from '../../config/central-layout.js';
import { sendCommand } from '../../scripts/central/commands.js';
import { startNatsServer, type RunningNatsServer } from '../../scripts/central/nats-process.js';
import { loadNotaryKey, serveNotary } from '../../scripts/central/notary.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';
import { freePort } from './free-port.js';
import { prepareCentralStreams } from '../../scripts/central/prepare-streams.js';

/** An event as stored in DIEMCAU_EVENTS, with the stream's own sequence and the message id the room gave it. */
export interface StoredEvent extends RoomEvent {
  roomId: string;
  msgId: string | undefined;
  streamSeq: number;
}

export interface Central {
  /** The room's `fleet.servers`. */
  servers: string[];
  /** The room's nkey seed (`fleet.credentialFile`) for `roomId` (default sim-room). */
  credentialFile: (roomId?: string) => string;
  caFile: string;
  layout: CentralLayout;
  /** The notary's public key (`N…`), which fleetConfig puts in `fleet.notaryKeys`; the notary serves on the monitoring connection. */
  notaryPublicKey: string;
  /** A device `fleet` config section pointing at this server (reboot is a no-op). */
  fleetConfig: (roomId?: string) => Record<string, unknown>;
  /** Every event in DIEMCAU_EVENTS (read back from the stream by the monitoring credential), optionally one topic. */
  events(topic?: string): Promise<StoredEvent[]>;
  /** The room's value in the KV bucket, or undefined. */
  state(roomId?: string): Promise<RoomState | undefined>;
  command<C extends CommandName>(
    name: C,
    args: CommandArgsInput<C>,
    options?: { roomId?: string; timeoutMs?: number },
  ): Promise<CommandReply<C>>;
  /** Sends raw bytes as a command request (what a broken or hostile sender could send); resolves with the reply as JSON. */
  rawCommand(name: string, payload: string, options?: { roomId?: string; timeoutMs?: number }): Promise<any>;
  /** Every message the server carried, seen by a monitoring subscription to `>` (subject and payload as text). */
  captured: () => { subject: string; data: string }[];
  /** Stops nats-server (its JetStream store stays); `start()` runs it again on the same ports. */
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Central monitoring for a test: a real nats-server from `scripts/central` (per-room nkeys, wss with a
 * dev CA, the events stream and the rooms' bucket) on 127.0.0.1, and a monitoring connection that
 * reads the stream, the bucket, sends commands and captures every message.
 */
export async function startCentral(options: { rooms?: string[] } = {}): Promise<Central> {
  const dir = await makeTempDir('central');
  const port = await freePort();
  const { layout, notary } = await initCentral({
    dir,
    rooms: options.rooms ?? ['sim-room'],
    websocket: { host: '127.0.0.1', port },
    client: { host: '127.0.0.1', port: await freePort() },
  });
  const url = `wss://127.0.0.1:${port}`;
  let server: RunningNatsServer | undefined = await startNatsServer({ configFile: layout.configFile });
  await prepareCentralStreams(layout, url);
  const monitoring: NatsConnection = await connectVerified({
    servers: url,
    user: await readUserCredential(layout.monitoringSeedFile),
    caFile: layout.caFile,
    options: { maxReconnectAttempts: -1, reconnectTimeWait: 250 },
  });
  const seen: { subject: string; data: string }[] = [];
  const decoder = new TextDecoder();
  monitoring.subscribe('>', {
    callback: (_error, msg) => void seen.push({ subject: msg.subject, data: decoder.decode(msg.data) }),
  });
  await monitoring.flush();
  const stopNotary = await serveNotary(monitoring, { notaryKey: await loadNotaryKey(layout.notaryKeyFile) });
  let jsm: JetStreamManager | undefined;
  const stored = new Map<number, StoredEvent>();

  return {
    servers: [url],
    credentialFile: (roomId = 'sim-room') => layout.roomSeedFile(roomId),
    caFile: layout.caFile,
    layout,
    notaryPublicKey: notary.publicKey,
    fleetConfig: (roomId = 'sim-room') => ({
      enabled: true,
      servers: [url],
      credentialFile: layout.roomSeedFile(roomId),
      caFile: layout.caFile,
      rebootCommand: [],
      notaryKeys: [notary.publicKey],
    }),
    async events(topic) {
      jsm ??= await jetstreamManager(monitoring);
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
      const kv = await new Kvm(monitoring).open(ROOMS_BUCKET);
      const entry = await kv.get(roomId);
      if (entry?.operation !== 'PUT') return undefined;
      const parsed = parseRoomState(entry.value);
      if (!parsed.ok) throw new Error(`state of ${roomId} does not parse: ${parsed.error}`);
      return parsed.value;
    },
    command: (name, args, { roomId = 'sim-room', timeoutMs = 10_000 } = {}) =>
      sendCommand(monitoring, roomId, name, args, timeoutMs),
    async rawCommand(name, payload, { roomId = 'sim-room', timeoutMs = 10_000 } = {}) {
      const reply = await monitoring.request(`diemcau.v1.cmd.${roomId}.${name}`, payload, { timeout: timeoutMs });
      return JSON.parse(decoder.decode(reply.data));
    },
    captured: () => seen,
    async stopServer() {
      await server?.stop();
      server = undefined;
    },
    async startServer() {
      server ??= await startNatsServer({ configFile: layout.configFile });
    },
    async close() {
      await stopNotary().catch(() => undefined);
      await monitoring.close().catch(() => undefined);
      await server?.stop();
      await removeTempDir(dir);
    },
  };
}
