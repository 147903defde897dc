import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/nats-core';
import { pino } from 'pino';
import { connectRoom, readUserCredential } from '../../kiosk/fleet/nats/connection.js';
import { RoomPublisher } from '../../kiosk/fleet/nats/publish.js';
import type { RoomEvent } from '../../kiosk/fleet/nats/events.js';
import type { RoomState } from '../../kiosk/fleet/nats/state.js';
import { MonitoringStore } from '../../scripts/central/monitoring/store/monitoring-db.js';
import { addOperator } from '../../scripts/central/monitoring/http/operators.js';
import { startMonitoring, type RunningMonitoring } from '../../scripts/central/monitoring/service.js';
import type { Central } from '../support/central.js';
import { roomState } from '../../scripts/central/loadgen-mix.js';

export const OPERATOR = { username: 'giamsat', password: 'mật khẩu giám sát 1' };

/** Logs kept in memory, so a test can look for what the service said (and for what it must not say). */
export function memoryLogger() {
  const lines: Record<string, any>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

export async function withOperator(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const store = await MonitoringStore.open(join(dataDir, 'monitoring.sqlite'));
  await addOperator(store, OPERATOR.username, OPERATOR.password);
  await store.close();
}

export function startService(
  central: Central,
  dataDir: string,
  logger = memoryLogger().logger,
): Promise<RunningMonitoring> {
  return startMonitoring({
    layout: central.layout,
    servers: central.servers,
    dataDir,
    http: { host: '127.0.0.1', port: 0 },
    logger,
  });
}

/** A room's own connection and publisher, with its credential and permissions (what a daemon does, without one). */
export async function roomLink(
  central: Central,
  roomId = 'sim-room',
): Promise<{ nc: NatsConnection; publisher: RoomPublisher }> {
  const nc = await connectRoom({
    servers: central.servers,
    credential: { roomId, user: await readUserCredential(central.credentialFile(roomId)) },
    caFile: central.caFile,
  });
  return { nc, publisher: new RoomPublisher(nc, roomId) };
}

export const event = (seq: number, over: Partial<RoomEvent> = {}): RoomEvent => ({
  v: 1,
  seq,
  at: new Date().toISOString(),
  topic: 'disk',
  severity: 'info',
  data: { level: 'ok', seq },
  ...over,
});

export const state = (over: Partial<RoomState> = {}): RoomState => ({ ...roomState(new Date()), ...over });

/** An operator's HTTP session against the dashboard: same-origin JSON like the page sends. */
export async function operatorSession(url: string, credentials = OPERATOR) {
  const login = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify(credentials),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  return {
    get: async (path: string) => {
      const response = await fetch(`${url}${path}`, { headers: { cookie } });
      return { status: response.status, body: (await response.json()) as any };
    },
    post: async (path: string, body: unknown = {}) => {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { cookie, origin: url, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as any };
    },
  };
}

/** One Prometheus sample's value from a /metrics text, or undefined. */
export function metric(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    if (Object.entries(labels).every(([k, v]) => (match[2] ?? '').includes(`${k}="${v}"`))) return Number(match[3]);
  }
  return undefined;
}

export async function scrape(service: RunningMonitoring): Promise<string> {
  return (
    await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${service.metricsToken}` } })
  ).text();
}
