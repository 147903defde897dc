import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, expect } from 'vitest';
import { makeTempDir, removeTempDir } from './temp-dir.js';
import { projectRoot } from '../../config/load.js';

export interface DaemonHandle {
  child: ChildProcess;
  /** Every JSON log line the daemon printed so far. */
  logs: Record<string, unknown>[];
  /** stdout and stderr as printed, for searching (e.g. for secrets that must not appear). */
  output: () => string;
  kioskUrl: string;
  consoleUrl: string;
  /** Sends a signal and resolves with the exit code (or the signal name). */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Writes a config based on the embedded defaults, with free ports and the given data dir. */
export function writeTestConfig(
  dir: string,
  overrides: (config: Record<string, any>) => void = () => undefined,
): string {
  const config = JSON.parse(readFileSync(join(projectRoot(), 'config', 'default.json'), 'utf8'));
  config.storage = { ...config.storage, dataDir: join(dir, 'data') };
  config.web = { ...config.web, kiosk: { port: 0 }, console: { host: '127.0.0.1', port: 0 } };
  overrides(config);
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/** Starts the built daemon (`dist/`) as a child process and waits for its `ready` log line. */
export async function startDaemon(
  configPath: string,
  options: { env?: NodeJS.ProcessEnv; readyTimeoutMs?: number } = {},
): Promise<DaemonHandle> {
  const cli = join(projectRoot(), 'dist', 'kiosk', 'cli.js');
  const child = spawn(process.execPath, [cli, 'start', '--config', configPath], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let text = '';
  let pending = '';
  const ready = new Promise<Record<string, any>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`daemon not ready within ${options.readyTimeoutMs ?? 20_000} ms:\n${text}`)),
      options.readyTimeoutMs ?? 20_000,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        try {
          const entry = JSON.parse(line) as Record<string, any>;
          logs.push(entry);
          if (entry.msg === 'ready') {
            clearTimeout(timer);
            resolve(entry);
          }
        } catch {
          // not a log line; kept in `text`
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`daemon exited before ready (${code ?? signal}):\n${text}`));
    });
  });
  const entry = await ready;
  const exited = new Promise<number | string>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? String(child.signalCode));
    else child.once('exit', (code, signal) => resolve(code ?? String(signal)));
  });
  return {
    child,
    logs,
    output: () => text,
    kioskUrl: `http://127.0.0.1:${entry.addresses.kiosk.port}`,
    consoleUrl: `http://127.0.0.1:${entry.addresses.console.port}`,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), 40_000);
      try {
        return await exited;
      } finally {
        clearTimeout(killer);
      }
    },
  };
}

/** `diemcau verify FOLDER` from the build, as a technician runs it on a copy: its exit code and report. */
export function verifyWithCli(folder: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [join(projectRoot(), 'dist', 'kiosk', 'cli.js'), 'verify', folder], (error, stdout) =>
      resolve({ code: error ? Number(error.code) : 0, stdout }),
    ),
  );
}

/**
 * For a describe block whose tests start daemons (dist/ must be built): `folder` makes the test's
 * folder, `start` starts a daemon; after each test every daemon it started is killed (SIGKILL) and
 * its folder removed.
 */
export function daemonsPerTest(): {
  folder(name: string): Promise<string>;
  start(configPath: string, options?: Parameters<typeof startDaemon>[1]): Promise<DaemonHandle>;
} {
  const daemons: DaemonHandle[] = [];
  let dir: string | undefined;
  beforeAll(() => {
    expect(existsSync(join(projectRoot(), 'dist', 'kiosk', 'cli.js')), 'build first: npx tsc -p .').toBe(true);
  });
  afterEach(async () => {
    for (const daemon of daemons.splice(0)) await daemon.stop('SIGKILL');
    await removeTempDir(dir);
    dir = undefined;
  });
  return {
    folder: async (name) => (dir = await makeTempDir(name)),
    start: async (configPath, options) => {
      const daemon = await startDaemon(configPath, options);
      daemons.push(daemon);
      return daemon;
    },
  };
}
