import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/nats-core';
import { pino, type Logger } from 'pino';
import { connectVerified, readUserCredential } from '../../../kiosk/fleet/nats/connection.js';
import { redactedPaths } from '../../../kiosk/core/logger.js';
import type { CentralLayout } from '../../../config/central-layout.js';
import { TELEMETRY_KEEP_MS } from './domain/telemetry-figures.js';
import { monitoringApp } from './http/app.js';
import { createMonitoringMetrics } from './http/metrics.js';
import { startEventConsumer } from './nats/event-consumer.js';
import { startStateWatcher } from './nats/state-watcher.js';
import { startTelemetryListener } from './nats/telemetry-listener.js';
import { roomDirectory } from './room-directory.js';
import { MonitoringStore } from './store/monitoring-db.js';

/** Something else that answers on the monitoring connection (the evidence-anchoring notary): started after the service's own parts, stopped before them. */
export type ExtraResponder = (nc: NatsConnection) => Promise<() => Promise<void>>;

export interface MonitoringOptions {
  layout: CentralLayout;
  /** nats-server's websocket listeners (wss://…). */
  servers: string[];
  /** The store (monitoring.sqlite), the metrics token; several instances may share it. */
  dataDir: string;
  http: {
    host: string;
    port: number /** Host names the dashboard answers to besides IP addresses (default localhost and this machine's name). */;
    hostNames?: string[];
  };
  extraResponders?: ExtraResponder[];
  logger?: Logger;
}

export interface RunningMonitoring {
  url: string;
  /** For Prometheus: `Authorization: Bearer <token>` (also in `<dataDir>/metrics.token`). */
  metricsToken: string;
  store: MonitoringStore;
  close(): Promise<void>;
}

export async function startMonitoring(options: MonitoringOptions): Promise<RunningMonitoring> {
  const logger =
    options.logger ??
    pino({ base: { svc: 'diemcau-monitoring' }, redact: { paths: redactedPaths, censor: '[redacted]' } });
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const store = await MonitoringStore.open(join(options.dataDir, 'monitoring.sqlite'));
  const stops: (() => Promise<void>)[] = [() => store.close()];
  const close = async () => {
    for (const stop of stops.splice(0).reverse())
      await stop().catch((error: unknown) => logger.warn({ err: error }, 'while stopping'));
  };
  try {
    const rooms = roomDirectory(options.layout, store);
    const metrics = createMonitoringMetrics(() => rooms.all());
    const metricsToken = await readOrCreateToken(join(options.dataDir, 'metrics.token'));

    const nc = await connectVerified({
      servers: options.servers,
      user: await readUserCredential(options.layout.monitoringSeedFile),
      caFile: options.layout.caFile,
      options: {
        name: `monitoring:${hostname()}:${process.pid}`,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 1000,
        reconnectJitter: 500,
      },
    });
    stops.push(() => nc.drain());

    const events = await startEventConsumer(nc, store, metrics, logger);
    stops.push(() => events.stop());
    const states = await startStateWatcher(nc, store, metrics, logger);
    stops.push(() => states.stop());
    const telemetry = startTelemetryListener(nc, store, metrics, logger);
    stops.push(() => telemetry.stop());
    const prune = setInterval(
      () =>
        void store
          .pruneTelemetry(Date.now() - TELEMETRY_KEEP_MS)
          .catch((error: unknown) => logger.warn({ err: error }, 'telemetry pruning failed')),
      3_600_000,
    );
    prune.unref();
    stops.push(async () => clearInterval(prune));
    for (const responder of options.extraResponders ?? []) stops.push(await responder(nc));

    const app = monitoringApp({
      nc,
      store,
      rooms,
      metrics,
      metricsToken,
      logger,
      origin: { scheme: 'http', hostNames: options.http.hostNames ?? ['localhost', hostname()], anyIp: true },
    });
    const server = await new Promise<import('node:http').Server>((resolve, reject) => {
      const s = app.listen(options.http.port, options.http.host, (error?: Error) =>
        error ? reject(error) : resolve(s),
      );
    });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const { port } = server.address() as AddressInfo;
    const host = options.http.host === '0.0.0.0' || options.http.host === '::' ? '127.0.0.1' : options.http.host;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    logger.info({ url, servers: options.servers }, 'monitoring ready');
    return { url, metricsToken, store, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function readOrCreateToken(file: string): Promise<string> {
  const existing = await readFile(file, 'utf8').catch(() => '');
  if (existing.trim()) return existing.trim();
  const token = randomBytes(24).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    // Another instance sharing the folder wrote it first.
    if (error.code !== 'EEXIST') throw error;
  });
  return (await readFile(file, 'utf8')).trim();
}
