import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { NatsConnection } from '@nats-io/nats-core';
import { connectRoom, connectVerified, readUserCredential } from '../../kiosk/fleet/nats/connection.js';
import { RoomPublisher } from '../../kiosk/fleet/nats/publish.js';
import { serveCommands } from '../../kiosk/fleet/nats/responder.js';
import { initCentral } from './central-dir.js';
import { sendCommand } from './commands.js';
import { startNatsServer } from './nats-process.js';
import { prepareCentralStreams } from './prepare-streams.js';
import { simulatedCommandHandlers } from './sim-commands.js';
import { roomState } from './loadgen-mix.js';

/**
 * First figures for the NATS link on this machine, all on 127.0.0.1 in a temp folder, bounded in
 * count: a room's connect time (TLS + nkey), event publish→ack and command round-trip latency over
 * wss, and what the per-room users in nats-server.conf cost at start and at a reload.
 *
 *   node dist/scripts/central/measure.js [--samples 200] [--rooms 10000]
 */

const { values } = parseArgs({
  options: { samples: { type: 'string', default: '200' }, rooms: { type: 'string', default: '10000' } },
});
const samples = Math.min(Number(values.samples), 5000);
const registered = Math.min(Number(values.rooms), 20_000);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const summary = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(2)} ms, p99 ${percentile(s, 99).toFixed(2)} ms, max ${s.at(-1)?.toFixed(2)} ms (n=${s.length})`;
};
const time = async (f: () => Promise<unknown>) => {
  const start = performance.now();
  await f();
  return performance.now() - start;
};

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'diemcau-nats-measure-'));
  let server: Awaited<ReturnType<typeof startNatsServer>> | undefined;
  try {
    const rooms = Array.from({ length: registered }, (_, i) => `room-${String(i + 1).padStart(5, '0')}`);
    const initMs = await time(() =>
      initCentral({ dir, rooms, websocket: { host: '127.0.0.1', port: -1 }, client: { host: '127.0.0.1', port: -1 } }),
    );
    const { layout } = await initCentral({ dir, rooms: [] });
    const startMs = await time(
      async () => (server = await startNatsServer({ configFile: layout.configFile, readyTimeoutMs: 60_000 })),
    );
    if (!server) throw new Error('nats-server did not start');
    const url = `wss://127.0.0.1:${server.websocketPort}`;
    await prepareCentralStreams(layout, url);

    const roomId = rooms[0]!;
    const credential = { roomId, user: await readUserCredential(layout.roomSeedFile(roomId)) };
    const connects: number[] = [];
    for (let i = 0; i < Math.min(samples, 50); i++) {
      let nc: NatsConnection | undefined;
      connects.push(
        await time(async () => (nc = await connectRoom({ servers: url, credential, caFile: layout.caFile }))),
      );
      await nc?.close();
    }

    const room = await connectRoom({ servers: url, credential, caFile: layout.caFile });
    const publisher = new RoomPublisher(room, roomId);
    const acks: number[] = [];
    for (let seq = 1; seq <= samples; seq++) {
      acks.push(
        await time(() =>
          publisher.event({
            v: 1,
            seq,
            at: new Date().toISOString(),
            topic: 'disk',
            severity: 'info',
            data: { freeBytes: 1e11, level: 'ok' },
          }),
        ),
      );
    }
    const states: number[] = [];
    for (let i = 0; i < samples; i++) {
      states.push(await time(() => publisher.state(roomState(new Date()))));
    }
    serveCommands(room, roomId, simulatedCommandHandlers());
    const monitoring = await connectVerified({
      servers: url,
      user: await readUserCredential(layout.monitoringSeedFile),
      caFile: layout.caFile,
    });
    const pings: number[] = [];
    for (let i = 0; i < samples; i++) pings.push(await time(() => sendCommand(monitoring, roomId, 'ping', {})));

    // A reload (SIGHUP) is how a new room is admitted without a restart: the cost of a config with every room in it.
    const reloadAt = server.output().length;
    const reloadMs = await time(async () => {
      process.kill(server!.pid, 'SIGHUP');
      const until = Date.now() + 60_000;
      while (!/Reloaded server configuration/.test(server!.output().slice(reloadAt))) {
        if (Date.now() > until) throw new Error('no reload seen');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    });
    const stillConnected = !room.isClosed();
    await room.close();
    await monitoring.close();
    await server.stop();

    const lines = [
      `nats-server ${registered} room users: init (keys, config, dev TLS) ${(initMs / 1000).toFixed(1)} s; start to ready ${startMs.toFixed(0)} ms; reload (SIGHUP) ${reloadMs.toFixed(0)} ms, a connected room ${stillConnected ? 'kept' : 'dropped'}`,
      `room connect over wss (TLS + nkey):    ${summary(connects)}`,
      `event publish → JetStream ack (wss):  ${summary(acks)}`,
      `state KV put → ack (wss):             ${summary(states)}`,
      `command ping round trip (wss ×2):     ${summary(pings)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`measure: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
