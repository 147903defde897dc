import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { createApp, version } from './app.js';
import { createLogger } from './core/logger.js';
import { createSystemdNotifier } from './core/systemd.js';

/** systemd's default TimeoutStopSec is 90 s; we finish well inside it, recordings first. */
const STOP_DEADLINE_MS = 30_000;

/** Runs the daemon until SIGTERM/SIGINT. Resolves with the process exit code. */
export async function runDaemon(configPath?: string): Promise<number> {
  const { config, source } = loadConfig(configPath);
  const logger = createLogger(config.log.level);
  await mkdir(resolve(config.storage.dataDir), { recursive: true });
  const systemd = createSystemdNotifier(logger);
  const app = createApp(config, logger);
  logger.info({ version, config: source, room: config.room.id, pid: process.pid }, 'starting');

  let stopping: Promise<number> | undefined;
  let stopWatchdog = () => {};
  const shutdown = (reason: string): Promise<number> => {
    stopping ??= (async () => {
      logger.info({ reason }, 'stopping');
      systemd.stopping();
      stopWatchdog();
      const clean = await app.host.stopAll(STOP_DEADLINE_MS);
      logger.info({ clean }, 'stopped');
      systemd.close();
      logger.flush();
      return clean ? 0 : 1;
    })();
    return stopping;
  };

  const signalled = new Promise<number>((resolveExit) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => resolveExit(shutdown(signal)));
    }
  });
  process.on('unhandledRejection', (error) => {
    logger.fatal({ err: String((error as Error)?.stack ?? error) }, 'unhandled rejection');
    void shutdown('unhandled rejection').then(() => process.exit(1));
  });
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: String(error?.stack ?? error) }, 'uncaught exception');
    void shutdown('uncaught exception').then(() => process.exit(1));
  });

  const started = Date.now();
  try {
    await app.host.startAll();
  } catch (error) {
    logger.fatal({ err: (error as Error).message }, 'start failed');
    logger.flush();
    return 1;
  }
  logger.info({ ms: Date.now() - started, addresses: app.web.addresses() }, 'ready');
  systemd.ready(`room ${config.room.id} ready`);
  stopWatchdog = systemd.startWatchdog(() => stopping === undefined);
  return signalled;
}
