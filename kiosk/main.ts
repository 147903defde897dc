import { dirname, join, resolve } from 'node:path';
import type { DeviceConfig } from '../config/schema.js';
import { loadConfig, resolveDataPath } from '../config/load.js';
import { createApp, version } from './app.js';
import { DEVICE_KEY_PATH } from './evidence/device-key.js';
import { dataModeTargets, fileModes, makeDir, tightenModes } from './core/file-modes.js';
import { createLogger, type Logger } from './core/logger.js';
import { RecentLogs } from './core/recent-logs.js';
import { createSystemdNotifier } from './core/systemd.js';
import { describeError } from '../hal/core/describe-error.js';

/** systemd's default TimeoutStopSec is 90 s; we finish well inside it, recordings first. */
const STOP_DEADLINE_MS = 30_000;

/** Runs the daemon until SIGTERM/SIGINT. Resolves with the process exit code. */
export async function runDaemon(configPath?: string): Promise<number> {
  // Before any file is created and before the media worker is forked: what libraries create
  // (GStreamer's segment files, SQLite's -wal) must not be world-readable under `npm start`'s 022.
  process.umask(fileModes.umask);
  const { config, source } = loadConfig(configPath);
  const recentLogs = new RecentLogs();
  const logger = createLogger(config.log.level, undefined, recentLogs);
  await makeDir(resolve(config.storage.dataDir), fileModes.dataDir);
  await tightenDataModes(config, logger);
  const systemd = createSystemdNotifier(logger);
  // The file the console may edit: the one given, never the embedded simulation defaults.
  const configFile = configPath ?? (process.env.DIEMCAU_CONFIG || undefined);
  const app = createApp(config, logger, recentLogs, configFile);
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
    logger.fatal({ err: describeError(error) }, 'start failed');
    logger.flush();
    return 1;
  }
  logger.info({ ms: Date.now() - started, addresses: app.web.addresses() }, 'ready');
  systemd.ready(`room ${config.room.id} ready`);
  stopWatchdog = systemd.startWatchdog(() => stopping === undefined);
  return signalled;
}

/** A data directory left looser by an older version (or another umask) is tightened, and said so. */
async function tightenDataModes(config: DeviceConfig, logger: Logger): Promise<void> {
  const dataDir = resolve(config.storage.dataDir);
  const targets = await dataModeTargets({
    dataDir,
    database: resolveDataPath(config, config.storage.database),
    recordingsDir: resolveDataPath(config, config.storage.recordingsDir),
    keysDir: join(dataDir, dirname(DEVICE_KEY_PATH)),
    ...(config.web.console.tls ? { tlsKeyFile: resolve(config.web.console.tls.keyFile) } : {}),
  });
  const { changed, failed } = await tightenModes(targets);
  const octal = (mode: number) => mode.toString(8).padStart(4, '0');
  if (changed.length > 0) {
    logger.warn(
      {
        count: changed.length,
        changes: changed.slice(0, 50).map((c) => `${c.path} ${octal(c.from)} -> ${octal(c.to)}`),
      },
      'file modes tightened: files and folders were readable or writable beyond the scheme (README "Files and modes")',
    );
  }
  if (failed.length > 0) {
    logger.warn(
      { failures: failed.slice(0, 50).map((f) => `${f.path} ${octal(f.mode)}: ${f.error}`) },
      'file modes could not be tightened: chmod these paths by hand',
    );
  }
}
