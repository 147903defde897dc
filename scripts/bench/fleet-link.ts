import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../config/load.js';
import { deviceConfig } from '../../config/schema.js';
import { parseTelemetry } from '../../kiosk/fleet/nats/telemetry.js';
import { startByteCountingProxy } from '../../tests/support/byte-counting-proxy.js';
import { startCentral } from '../../tests/support/central.js';
import { startDaemon, writeTestConfig, type DaemonHandle } from '../../tests/support/daemon.js';
import { makeTempDir, removeTempDir } from '../../tests/support/temp-dir.js';
import type { BenchFigure } from './types.js';

/**
 * Every periodic thing the idle link does (telemetry tick, full sample, client PING, state
 * heartbeat) runs this many times faster than configured by default, so the window stands for
 * SCALE times as long. Honest because an idle link's bytes are only those periodic messages, each
 * the same size at any rate, and nothing else on the link depends on the wall clock: nats-server
 * pings a room only when it heard nothing from it for its ping_interval (4 min), which the room's
 * own, faster, ping never allows at either rate. Two things go the other way, both counted against
 * us: a sample every 1.9 s sees more CPU jitter past the dead-band than one every 30 s (more
 * deltas), and the server's hourly RTT ping is not scaled (about 1.5 KB a day, left out).
 */
const SCALE = 16;
const WINDOW_MS = 8 * 60_000;
const SETTLE_MS = 10_000;
const DAY_MS = 86_400_000;
/** IPv4 + TCP with timestamps, per segment: what the proxy's counts (TCP payload) leave out. */
const TCP_IP_HEADER_BYTES = 52;

export async function fleetLinkFigures(): Promise<BenchFigure[]> {
  const defaults = deviceConfig.parse(
    JSON.parse(readFileSync(join(projectRoot(), 'config', 'default.json'), 'utf8')),
  ).fleet;
  const central = await startCentral();
  const dir = await makeTempDir('bench-fleet-link');
  const daemons: DaemonHandle[] = [];
  const proxy = await startByteCountingProxy({ host: '127.0.0.1', port: Number(new URL(central.servers[0]!).port) });
  try {
    for (const name of ['linked', 'alone']) mkdirSync(join(dir, name));
    const linked = writeTestConfig(join(dir, 'linked'), (c) => {
      c.fleet = {
        ...central.fleetConfig(),
        servers: [`wss://127.0.0.1:${proxy.port}`],
        telemetry: {
          intervalSeconds: defaults.telemetry.intervalSeconds / SCALE,
          fullEveryMinutes: defaults.telemetry.fullEveryMinutes / SCALE,
        },
        keepalive: {
          pingSeconds: defaults.keepalive.pingSeconds / SCALE,
          stateEveryMinutes: defaults.keepalive.stateEveryMinutes / SCALE,
        },
      };
    });
    const alone = writeTestConfig(join(dir, 'alone'));
    // Generous: the dev machine is shared, and start-up is not what this measures.
    const withLink = await startDaemon(linked, { readyTimeoutMs: 90_000 });
    daemons.push(withLink);
    const without = await startDaemon(alone, { readyTimeoutMs: 90_000 });
    daemons.push(without);
    await waitUntil(async () => (await central.state()) !== undefined, 30_000);
    // The connection's opening (TLS, CONNECT, subscriptions, first state and full sample) is not idle traffic.
    await sleep(SETTLE_MS);
    proxy.reset();
    const seen = central.captured().length;
    const cpu0 = [cpuSeconds(withLink), cpuSeconds(without)];
    await sleep(WINDOW_MS);
    const counts = proxy.counts();
    const cpu1 = [cpuSeconds(withLink), cpuSeconds(without)];
    const rss = [rssMiB(withLink), rssMiB(without)];
    const messages = central.captured().slice(seen);
    const samples = messages
      .filter((m) => m.subject.endsWith('.telemetry'))
      .map((m) => parseTelemetry(m.data))
      .flatMap((p) => (p.ok ? [p.value] : []));
    const stateWrites = messages.filter((m) => m.subject.startsWith('$KV.diemcau-rooms.')).length;
    const deltaBytes = messages
      .filter((m) => m.subject.endsWith('.telemetry') && isDelta(m.data))
      .reduce((sum, m) => sum + publishOnTheWire(m.subject, m.data), 0);

    const perDay = DAY_MS / (WINDOW_MS * SCALE);
    const bytes = counts.up + counts.down;
    const cpuWith = cpu1[0]! - cpu0[0]!;
    const cpuWithout = cpu1[1]! - cpu0[1]!;
    const scaled = `${WINDOW_MS / 60_000} min at intervals ÷${SCALE}`;
    return [
      {
        name: `idle bytes on the wire per room per day (TLS websocket, both ways; ${scaled})`,
        value: (bytes * perDay) / 1000,
        unit: 'KB',
        target: '≤ 150 KB',
      },
      {
        name: "the same without the delta samples (each one's wire size computed from its payload)",
        value: ((bytes - deltaBytes) * perDay) / 1000,
        unit: 'KB',
        target: '≤ 150 KB',
      },
      { name: 'of which room → central', value: (counts.up * perDay) / 1000, unit: 'KB' },
      { name: 'of which central → room', value: (counts.down * perDay) / 1000, unit: 'KB' },
      {
        name: 'IP/TCP headers beside them (one per read on each side, estimate)',
        value: ((counts.upReads + counts.downReads) * TCP_IP_HEADER_BYTES * perDay) / 1000,
        unit: 'KB',
      },
      {
        name: 'telemetry samples per day: full',
        value: Math.round(samples.filter((s) => s.full).length * perDay),
        unit: 'samples',
      },
      {
        name: 'telemetry samples per day: delta (CPU jitter past the dead-band, more at the scaled rate)',
        value: Math.round(samples.filter((s) => !s.full).length * perDay),
        unit: 'samples',
      },
      { name: 'room state writes per day', value: Math.round(stateWrites * perDay), unit: 'writes' },
      {
        name: `daemon CPU in the window, with the fleet link (${scaled})`,
        value: cpuWith,
        unit: 'CPU-s',
        ratio: { peer: 'same daemon without the link, same run', value: cpuWith / Math.max(cpuWithout, 0.01) },
      },
      { name: 'daemon CPU in the window, without the link', value: cpuWithout, unit: 'CPU-s' },
      {
        name: 'the link’s CPU per real day (difference, ÷ the scale)',
        value: Math.max(0, cpuWith - cpuWithout) * perDay,
        unit: 'CPU-s',
      },
      {
        name: 'daemon RSS with the fleet link',
        value: rss[0]!,
        unit: 'MiB',
        ratio: { peer: 'same daemon without the link, same run', value: rss[0]! / rss[1]! },
      },
      { name: 'daemon RSS without the link', value: rss[1]!, unit: 'MiB' },
    ];
  } finally {
    for (const daemon of daemons) await daemon.stop().catch(() => undefined);
    await proxy.close();
    await central.close();
    await removeTempDir(dir);
  }
}

function isDelta(data: string): boolean {
  const parsed = parseTelemetry(data);
  return parsed.ok && !parsed.value.full;
}

/** A core NATS PUB from the room as it travels: protocol line and payload, in a masked websocket frame, in a TLS 1.3 record (5 + 16 + 1 bytes). */
function publishOnTheWire(subject: string, payload: string): number {
  const size = Buffer.byteLength(payload);
  const nats = Buffer.byteLength(`PUB ${subject} ${size}\r\n`) + size + 2;
  return nats + 2 + (nats > 125 ? 2 : 0) + 4 + 22;
}

/** utime + stime of the daemon's own process (the link runs there; the media worker is a child). */
function cpuSeconds(daemon: DaemonHandle): number {
  const stat = readFileSync(`/proc/${daemon.child.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of proc(5), counted from after the command name; clock ticks of 1/100 s on Linux.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMiB(daemon: DaemonHandle): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${daemon.child.pid}/status`, 'utf8'))?.[1]) / 1024;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(test: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('the room never wrote its state to central');
    await sleep(250);
  }
}

// `node dist/scripts/bench/fleet-link.js` runs it on its own (the lead adds it to `npm run bench`'s fleet suite).
// `--json`: the figures as one JSON array (the fleet suite runs this part in a process of its own).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await fleetLinkFigures();
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(figures)}\n`);
  else
    for (const figure of figures) {
      const ratio = figure.ratio ? `  (${figure.ratio.value.toFixed(2)}× ${figure.ratio.peer})` : '';
      process.stdout.write(
        `${figure.name}: ${Number.isInteger(figure.value) ? figure.value : figure.value.toFixed(3)} ${figure.unit}${ratio}${figure.target ? `  target ${figure.target}` : ''}\n`,
      );
    }
}
